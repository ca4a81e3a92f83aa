"""The licensing API: subscriptions, licence information and monthly usage."""

from datetime import UTC, datetime

from gravityzone.simulator import params as p
from gravityzone.simulator import usage
from gravityzone.simulator.companies import check_company
from gravityzone.simulator.errors import invalid_params
from gravityzone.simulator.subscriptions import (
    ADD_ON_FLAGS,
    ENDPOINT_SECURITY,
    MONTHLY_SUBSCRIPTION,
    apply_subscription,
    apply_to_clients,
    trial_subscription,
)


def set_monthly_subscription(tenant, params):
    p.require(params, "companyId")
    company = check_company(tenant, params, "companyId")
    if company.id == tenant.root_id:
        raise invalid_params("Invalid value for 'companyId': the API key's own company cannot be changed this way.")
    parent = tenant.companies[company.parent_id]

    subscription = apply_subscription(tenant, company, parent, params, creating=False)
    company.set_subscription(subscription)
    apply_to_clients(tenant, company, params, subscription)
    tenant.save()
    return None


def get_license_info(tenant, params):
    p.reject_unknown(params, ("companyId", "returnAllProducts"))
    p.check_boolean(params, "returnAllProducts")
    company = check_company(tenant, params, "companyId")
    subscription = company.subscription or trial_subscription()
    now = datetime.now(UTC)

    info = {
        "subscriptionType": subscription["type"],
        "isAddon": False,
        "usedSlots": _used_slots(tenant, company, now),
        # The reserved seats of an inheriting company; null when it draws on a shared pool.
        "totalSlots": subscription["reservedSlots"] or None,
        "assignedProductType": subscription["assignedProductType"],
        "additionalProductTypes": subscription["additionalProductTypes"],
        "assignedProtectionModel": subscription["assignedProtectionModel"],
        "additionalProtectionModels": subscription["additionalProtectionModels"],
        "ownUse": subscription["ownUse"],
        "resell": subscription["resell"],
        "licensedServices": subscription["licensedServices"],
        "minimumUsage": subscription["minimumUsage"],
        **{flag: subscription[flag] for flag in ADD_ON_FLAGS},
    }
    if subscription["manageIntegrityMonitoring"]:
        info["imDataRetention"] = subscription["imDataRetention"]
    if subscription["type"] == MONTHLY_SUBSCRIPTION:
        info["endSubscription"] = subscription["endSubscription"]
        info["autoRenewPeriod"] = subscription["autoRenewPeriod"]
    if subscription["licenseKey"]:
        info["licenseKey"] = subscription["licenseKey"]
    if company.id == tenant.root_id:
        info["totalSlots"] = tenant.total_slots
    return info


def get_monthly_usage(tenant, params):
    company, (year, month) = _check_usage_request(tenant, params)
    per_product = usage.subtree_usage(tenant, company, year, month)
    if not per_product:
        # GravityZone returns the number 0 for a company with no monthly licence.
        return 0
    # getMonthlyUsage covers Endpoint Security only.
    counters = per_product.get(ENDPOINT_SECURITY, usage.zero_counters())
    return {**counters, "minimumUsage": _minimum_usage(company)}


def get_monthly_usage_per_product_type(tenant, params):
    company, (year, month) = _check_usage_request(tenant, params)
    per_product = usage.subtree_usage(tenant, company, year, month)
    if not per_product:
        return 0
    entries = []
    for product_type in sorted(per_product):
        entries.append(
            {"productType": product_type, **per_product[product_type], "minimumUsage": _minimum_usage(company)}
        )
    return {"usages": entries}


def _check_usage_request(tenant, params):
    p.reject_unknown(
        params,
        ("companyId", "targetMonth", "usageCoverageType", "companyRegistrationStartDate", "companyRegistrationEndDate"),
    )
    company = check_company(tenant, params, "companyId")
    target = p.check_string(params, "targetMonth")
    if target is None:
        now = datetime.now(UTC)
        return company, (now.year, now.month)
    parsed = usage.parse_month(target)
    if parsed is None:
        raise invalid_params("Invalid value for 'targetMonth': expected a month as mm/yyyy, such as 03/2026.")
    return company, parsed


def _minimum_usage(company):
    subscription = company.subscription or trial_subscription()
    return dict(subscription["minimumUsage"])


def _used_slots(tenant, company, now):
    per_product = usage.subtree_usage(tenant, company, now.year, now.month, now=now)
    return sum(counters["endpointMonthlyUsage"] for counters in per_product.values())


METHODS = {
    "setMonthlySubscription": set_monthly_subscription,
    "getLicenseInfo": get_license_info,
    "getMonthlyUsage": get_monthly_usage,
    "getMonthlyUsagePerProductType": get_monthly_usage_per_product_type,
}
