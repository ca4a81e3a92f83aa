"""The network API: getCompaniesList."""

from gravityzone.simulator import params as p
from gravityzone.simulator.errors import invalid_params
from gravityzone.simulator.state import CUSTOMER, PARTNER

# getCompaniesList's own licence codes, and the licence types each one covers.
LICENSE_FILTERS = {1: (1, 4, 5), 2: (2,), 3: (3,)}


def get_companies_list(tenant, params):
    # Live tenants reject `page` and `perPage`: the list is not paginated.
    p.reject_unknown(params, ("parentId", "filters"))
    parent = tenant.root
    if "parentId" in params:
        parent_id = p.check_string(params, "parentId")
        parent = tenant.companies.get(parent_id)
        if (
            parent is None
            or parent.type != PARTNER
            or not (parent.id == tenant.root_id or tenant.is_below_root(parent))
        ):
            raise invalid_params("Invalid value for 'parentId'.")

    filters = p.check_object(params, "filters") or {}
    p.reject_unknown(filters, ("companyType", "licenseType"))
    company_type = p.check_integer(filters, "companyType", choices=(PARTNER, CUSTOMER))
    license_type = p.check_integer(filters, "licenseType", choices=tuple(LICENSE_FILTERS))

    children = tenant.children(parent)
    if company_type is not None:
        children = [child for child in children if child.type == company_type]
    if license_type is not None:
        covered = LICENSE_FILTERS[license_type]
        children = [child for child in children if (child.subscription or {}).get("type") in covered]
    return [{"id": child.id, "name": child.name} for child in children]


METHODS = {"getCompaniesList": get_companies_list}
