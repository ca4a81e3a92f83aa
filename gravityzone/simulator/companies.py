"""The companies API: creating, changing, finding, suspending and deleting companies."""

import re

from gravityzone.simulator import params as p
from gravityzone.simulator.errors import invalid_params, server_error
from gravityzone.simulator.state import CUSTOMER, PARTNER, Company, new_company_id
from gravityzone.simulator.subscriptions import apply_subscription, trial_subscription

NAME_MAX_LENGTH = 64
ADDRESS_MAX_LENGTH = 128
PHONE_MAX_LENGTH = 32
SKIP_2FA_PERIODS = (0, 1, 3, 7, 14, 30, 90)
CONTACT_PERSON_FIELDS = ("fullName", "email", "phoneNumber", "companyRole")
HTML_TAG = re.compile(r"<[^>]*>")

COMPANY_DETAIL_PARAMS = ("name", "address", "phone", "country", "state", "industry", "enforce2FA", "skip2FAPeriod")

CREATE_PARAMS = (
    *COMPANY_DETAIL_PARAMS,
    "type",
    "parentId",
    "canBeManagedByAbove",
    "accountEmail",
    "accountFullName",
    "contactPerson",
    "licenseSubscription",
)

UPDATE_PARAMS = (*COMPANY_DETAIL_PARAMS, "companyId", "type", "contactPerson")


def create_company(tenant, params):
    p.reject_unknown(params, CREATE_PARAMS)
    company_type = p.check_integer(params, "type", choices=(PARTNER, CUSTOMER), required=True)
    name = _check_name(tenant, params, required=True)
    parent = _check_parent(tenant, params)
    can_be_managed = p.check_boolean(params, "canBeManagedByAbove")
    account_email = p.check_string(params, "accountEmail")
    account_full_name = p.check_string(params, "accountFullName")
    if can_be_managed is False and not (account_email and account_full_name):
        raise invalid_params("'accountEmail' and 'accountFullName' are required when 'canBeManagedByAbove' is false.")

    company = Company(
        id=new_company_id(),
        name=name,
        type=company_type,
        parent_id=parent.id,
        can_be_managed_by_above=True if can_be_managed is None else can_be_managed,
        account_email=account_email,
        account_full_name=account_full_name,
    )
    request = p.check_object(params, "licenseSubscription")
    if request is None:
        subscription = trial_subscription()
    else:
        subscription = apply_subscription(tenant, company, parent, request, creating=True)
    _apply_details(company, params)

    company.set_subscription(subscription)
    tenant.add(company)
    return company.id


def delete_company(tenant, params):
    p.reject_unknown(params, ("companyId",))
    company = _check_managed_company(tenant, params)
    if tenant.children(company):
        raise server_error("The company cannot be deleted because it still manages other companies.")
    tenant.remove(company)
    return None


def suspend_company(tenant, params):
    p.reject_unknown(params, ("companyId", "recursive"))
    company = _check_managed_company(tenant, params)
    p.require(params, "recursive")
    _set_suspended(tenant, company, True, recursive=p.check_boolean(params, "recursive"))
    return None


def activate_company(tenant, params):
    p.reject_unknown(params, ("companyId", "recursive"))
    company = _check_managed_company(tenant, params)
    _set_suspended(tenant, company, False, recursive=bool(p.check_boolean(params, "recursive")))
    return None


def _set_suspended(tenant, company, suspended, *, recursive):
    company.is_suspended = suspended
    if recursive:
        for descendant in tenant.descendants(company):
            descendant.is_suspended = suspended
    tenant.save()


def update_company_details(tenant, params):
    p.reject_unknown(params, UPDATE_PARAMS)
    company = check_company(tenant, params, "companyId")
    company_type = p.check_integer(params, "type", choices=(PARTNER, CUSTOMER))
    name = _check_name(tenant, params, exclude=company) if "name" in params else None
    if company_type == CUSTOMER and _has_children(tenant, company):
        raise invalid_params("Invalid value for 'type': a partner that manages companies cannot become a customer.")

    # Every check runs before the first change, so a rejected call changes nothing.
    _apply_details(company, params)
    if name is not None:
        company.name = name
    if company_type is not None:
        company.type = company_type
    tenant.save()
    return None


def get_company_details(tenant, params):
    p.reject_unknown(params, ("companyId",))
    return check_company(tenant, params, "companyId").to_details()


def find_companies_by_name(tenant, params):
    p.reject_unknown(params, ("nameFilter", "maxResults"))
    name_filter = p.check_string(params, "nameFilter", required=True)
    max_results = p.check_integer(params, "maxResults", minimum=1, maximum=100)
    if not name_filter.strip("* "):
        raise invalid_params("Invalid value for 'nameFilter'.")

    # A leading '*' searches anywhere in the name; otherwise only name prefixes match.
    anywhere = name_filter.startswith("*")
    needle = name_filter.lstrip("*").casefold()
    matches = []
    for company in tenant.companies.values():
        if not tenant.is_below_root(company):
            continue
        haystack = company.name.casefold()
        if (needle in haystack) if anywhere else haystack.startswith(needle):
            matches.append(company)

    matches.sort(key=lambda company: company.name.casefold())
    return [company.to_details() for company in matches[: max_results or 25]]


def _check_name(tenant, params, *, required=False, exclude=None):
    name = p.check_string(params, "name", max_length=NAME_MAX_LENGTH, required=required)
    if not name.strip():
        raise invalid_params("Invalid value for 'name': the name cannot be empty.")
    existing = tenant.find_by_name(name)
    if existing is not None and existing is not exclude:
        raise server_error(f"A company with the name '{name}' already exists.")
    return name


def _check_parent(tenant, params):
    if "parentId" not in params:
        return tenant.root
    parent = check_company(tenant, params, "parentId")
    if parent.type != PARTNER:
        raise invalid_params("Invalid value for 'parentId'.")
    return parent


def check_company(tenant, params, name):
    """Return the company a parameter names, which must be the key's own or one below it."""
    if name not in params and name == "companyId":
        return tenant.root
    company_id = p.check_string(params, name, required=True)
    company = tenant.companies.get(company_id)
    if company is None or not tenant.manages(company):
        raise invalid_params(f"Invalid value for '{name}'.")
    return company


def _check_managed_company(tenant, params):
    """Return the company `companyId` names, which must be below the key's own company."""
    p.require(params, "companyId")
    company = check_company(tenant, params, "companyId")
    if company.id == tenant.root_id:
        raise invalid_params("Invalid value for 'companyId': the API key's own company cannot be changed this way.")
    return company


def _apply_details(company, params):
    """Check and copy the fields createCompany and updateCompanyDetails share."""
    address = p.check_string(params, "address", max_length=ADDRESS_MAX_LENGTH)
    if address is not None and HTML_TAG.search(address):
        raise invalid_params("Invalid value for 'address': HTML tags are not allowed.")
    phone = p.check_string(params, "phone", max_length=PHONE_MAX_LENGTH)
    country = p.check_string(params, "country")
    state = p.check_string(params, "state")
    industry = p.check_integer(params, "industry", minimum=0, maximum=9999)
    enforce_2fa = p.check_boolean(params, "enforce2FA")
    skip_2fa_period = p.check_integer(params, "skip2FAPeriod", choices=SKIP_2FA_PERIODS)
    contact_person = _check_contact_person(params)

    if address is not None:
        company.address = address
    if phone is not None:
        company.phone = phone
    if country is not None:
        company.country = country or "N/A"
    if state is not None:
        company.state = state or "N/A"
    if industry is not None:
        company.industry = industry
    if enforce_2fa is not None:
        company.enforce_2fa = enforce_2fa
    if skip_2fa_period is not None:
        company.skip_2fa_period = skip_2fa_period
    if contact_person is not None:
        company.contact_person = contact_person


def _check_contact_person(params):
    contact = p.check_object(params, "contactPerson")
    if contact is None:
        return None
    p.reject_unknown(contact, CONTACT_PERSON_FIELDS)
    if not p.check_string(contact, "email"):
        raise invalid_params("Invalid value for 'contactPerson': 'email' is required.")
    for field_name in CONTACT_PERSON_FIELDS:
        p.check_string(contact, field_name)
    return {field_name: contact.get(field_name, "") for field_name in CONTACT_PERSON_FIELDS}


def _has_children(tenant, company):
    return any(other.parent_id == company.id for other in tenant.companies.values())


METHODS = {
    "createCompany": create_company,
    "updateCompanyDetails": update_company_details,
    "getCompanyDetails": get_company_details,
    "findCompaniesByName": find_companies_by_name,
    "deleteCompany": delete_company,
    "suspendCompany": suspend_company,
    "activateCompany": activate_company,
}
