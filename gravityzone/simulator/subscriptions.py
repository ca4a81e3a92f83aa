"""Monthly subscriptions: the checks GravityZone applies and the settings it couples.

`apply_subscription` serves both createCompany's `licenseSubscription` and
setMonthlySubscription. It checks a request against the company's current subscription and
returns the new one, or raises -32602 naming the parameter at fault. Nothing here is shared
with the back-office's own forms, so that the simulator catches their mistakes.
"""

import copy
import re

from gravityzone.simulator import params as p
from gravityzone.simulator.errors import invalid_params
from gravityzone.simulator.state import PARTNER

MONTHLY_SUBSCRIPTION = 3
MONTHLY_LICENSE_TRIAL = 4
MONTHLY_SUBSCRIPTION_TRIAL = 5
LICENSE_KEY = 2
LICENSE_TYPES = (1, 2, 3, 4, 5, 6)
INHERITED_TYPES = (MONTHLY_SUBSCRIPTION, MONTHLY_SUBSCRIPTION_TRIAL)

ENDPOINT_SECURITY = 0
EDR = 3
PRODUCT_TYPES = (ENDPOINT_SECURITY, EDR)

A_LA_CARTE = "aLaCarte"
PROTECTION_MODELS = (A_LA_CARTE, "mspSecure", "mspSecurePlus", "mspSecureExtra")

# The additionalProtectionModels an assigned protection model brings when none are given.
# GravityZone's page lost this table but for one row; each MSP tier is assumed to bring itself
# and the tiers below it.
DEFAULT_ADDITIONAL_MODELS = {
    A_LA_CARTE: [A_LA_CARTE],
    "mspSecure": ["mspSecure"],
    "mspSecurePlus": ["mspSecure", "mspSecurePlus"],
    "mspSecureExtra": ["mspSecure", "mspSecurePlus", "mspSecureExtra"],
}

ADD_ON_FLAGS = (
    "manageExchange",
    "manageEncryption",
    "manageRemoteEnginesScanning",
    "manageHyperDetect",
    "manageSandboxAnalyzer",
    "managePatchManagement",
    "manageEventCorrelator",
    "manageEmailSecurity",
    "manageMobileSecurity",
    "manageContainerProtection",
    "manageIntegrityMonitoring",
)
XDR_SENSORS = ("manageXDRIdentityProviders", "manageXDRProductivityApps", "manageXDRNetwork", "manageXDRCloudWorkloads")
OWN_USE_SETTINGS = (
    *XDR_SENSORS,
    "manageRemoteEnginesScanning",
    "manageContainerProtection",
    "manageEventCorrelator",
    "manageSandboxAnalyzer",
    "manageHyperDetect",
)
RESELL_SETTINGS = (
    "manageXDRResell",
    "manageRemoteEnginesScanningResell",
    "manageContainerProtectionResell",
    "manageEventCorrelatorResell",
    "manageSandboxAnalyzerResell",
    "manageHyperDetectResell",
)
# Settings that may be sent at the top level or inside ownUse/resell, but not both at once.
EXCLUSIVE_SETTINGS = (
    "manageRemoteEnginesScanning",
    "manageContainerProtection",
    "manageEventCorrelator",
    "manageSandboxAnalyzer",
    "manageHyperDetect",
)
IM_RETENTIONS = (0, 1, 2, 3)
MDR_SERVICES = (0, 1)

SUBSCRIPTION_PARAMS = (
    "reservedSlots",
    "endSubscription",
    "autoRenewPeriod",
    "minimumUsage",
    "assignedProductType",
    "additionalProductTypes",
    "assignedProtectionModel",
    "additionalProtectionModels",
    *ADD_ON_FLAGS,
    "imDataRetention",
    "ownUse",
    "resell",
    "licensedServices",
)
LICENSE_SUBSCRIPTION_PARAMS = (*SUBSCRIPTION_PARAMS, "type", "licenseKey")
SET_SUBSCRIPTION_PARAMS = (*SUBSCRIPTION_PARAMS, "companyId", "removeReservedSlots", "setNewProtectionModelForClients")

DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
DEFAULT_AUTO_RENEW_MONTHS = 12


def trial_subscription():
    """Return the licence of a company created without `licenseSubscription`: a trial key."""
    return new_subscription(1)


def new_subscription(license_type):
    return {
        "type": license_type,
        "licenseKey": None,
        "reservedSlots": 0,
        "endSubscription": "",
        "autoRenewPeriod": 0,
        "minimumUsage": {"endpointMonthlyUsage": 0},
        "assignedProductType": ENDPOINT_SECURITY,
        "additionalProductTypes": [ENDPOINT_SECURITY],
        "assignedProtectionModel": None,
        "additionalProtectionModels": [],
        **dict.fromkeys(ADD_ON_FLAGS, False),
        "imDataRetention": 0,
        "ownUse": dict.fromkeys(OWN_USE_SETTINGS, False),
        "resell": dict.fromkeys(RESELL_SETTINGS, False),
        "licensedServices": {"mdrServiceOwnUse": 0, "mdrServiceResell": False},
    }


def apply_subscription(tenant, company, parent, request, *, creating):
    """Check `request` and return the subscription it gives `company`.

    `company` is the company being created or changed (its `subscription` is the current one
    when changing), and `parent` the partner whose seats it draws on.
    """
    if creating:
        p.reject_unknown(request, LICENSE_SUBSCRIPTION_PARAMS)
        license_type = p.check_integer(request, "type", choices=LICENSE_TYPES, required=True)
        current = new_subscription(license_type)
        license_key = p.check_string(request, "licenseKey")
        if license_type == LICENSE_KEY and not license_key:
            raise invalid_params("'licenseKey' is required when the licence type is 2.")
        current["licenseKey"] = license_key
    else:
        p.reject_unknown(request, SET_SUBSCRIPTION_PARAMS)
        current = company.subscription or trial_subscription()
        # setMonthlySubscription switches a company from any trial or yearly licence to the
        # monthly subscription, as the marketplace page describes it.
        license_type = MONTHLY_SUBSCRIPTION

    state = copy.deepcopy(current)
    state["type"] = license_type

    _apply_seats(tenant, company, parent, request, state, creating=creating)
    _apply_term(request, state, license_type)
    _apply_products(company, parent, request, state, license_type, creating=creating)
    _apply_add_ons(company, request, state, license_type)
    return state


def apply_to_clients(tenant, company, request, state):
    """Apply the settings of a partner's request that change the companies it manages."""
    children = [child for child in tenant.companies.values() if child.parent_id == company.id]

    # Reselling XDR switches the four XDR sensors on for every managed company.
    if request.get("resell", {}).get("manageXDRResell") is True:
        for child in children:
            if child.subscription is not None:
                child.subscription["ownUse"].update(dict.fromkeys(XDR_SENSORS, True))

    new_model = request.get("setNewProtectionModelForClients")
    if new_model:
        for child in children:
            subscription = child.subscription
            if subscription and _uses_protection_models(subscription["type"], subscription["assignedProductType"]):
                subscription["assignedProtectionModel"] = new_model
                subscription["additionalProtectionModels"] = list(DEFAULT_ADDITIONAL_MODELS[new_model])


def _apply_seats(tenant, company, parent, request, state, *, creating):
    reserved = p.check_integer(request, "reservedSlots", minimum=1 if creating else 0, maximum=10**9)
    remove = None if creating else p.check_boolean(request, "removeReservedSlots")
    if remove and reserved:
        raise invalid_params("'reservedSlots' cannot be sent together with 'removeReservedSlots': true.")

    if reserved is not None:
        free = tenant.free_slots(parent, excluding=company)
        if free is not None and reserved > free:
            raise invalid_params(f"Invalid value for 'reservedSlots': the parent company has {free} free seats.")
        state["reservedSlots"] = reserved
    if remove:
        state["reservedSlots"] = 0


def _apply_term(request, state, license_type):
    end = p.check_string(request, "endSubscription")
    auto_renew = p.check_integer(request, "autoRenewPeriod", minimum=0, maximum=120)
    minimum_usage = p.check_object(request, "minimumUsage")
    for name, value in (("endSubscription", end), ("autoRenewPeriod", auto_renew), ("minimumUsage", minimum_usage)):
        if value is not None and license_type != MONTHLY_SUBSCRIPTION:
            raise invalid_params(f"'{name}' applies only to the monthly subscription (licence type 3).")

    if end is not None:
        if end and not DATE.match(end):
            raise invalid_params("Invalid value for 'endSubscription': expected a date as YYYY-MM-DD.")
        state["endSubscription"] = end
        if end and auto_renew is None and not state["autoRenewPeriod"]:
            state["autoRenewPeriod"] = DEFAULT_AUTO_RENEW_MONTHS
    if auto_renew is not None:
        state["autoRenewPeriod"] = auto_renew
    if minimum_usage is not None:
        p.reject_unknown(minimum_usage, ("endpointMonthlyUsage",))
        endpoints = p.check_integer(minimum_usage, "endpointMonthlyUsage", minimum=0, maximum=10**9)
        if endpoints is not None:
            state["minimumUsage"] = {"endpointMonthlyUsage": endpoints}


def _apply_products(company, parent, request, state, license_type, *, creating):
    assigned = p.check_integer(request, "assignedProductType", choices=PRODUCT_TYPES)
    additional = _check_list(request, "additionalProductTypes", PRODUCT_TYPES)
    model = p.check_string(request, "assignedProtectionModel")
    additional_models = _check_list(request, "additionalProtectionModels", PROTECTION_MODELS)
    if model is not None and model not in PROTECTION_MODELS:
        raise invalid_params("Invalid value for 'assignedProtectionModel'.")

    for name, value in (("assignedProductType", assigned), ("additionalProductTypes", additional)):
        if value is not None and license_type not in INHERITED_TYPES:
            raise invalid_params(f"'{name}' may be sent only with licence type 3 or 5.")
    if additional is not None and not creating:
        if company.type != PARTNER:
            raise invalid_params("'additionalProductTypes' applies only to partner companies.")
        if assigned is None:
            raise invalid_params("'additionalProductTypes' requires 'assignedProductType' in the same request.")

    product = assigned if assigned is not None else state["assignedProductType"]
    products = additional
    if products is None and assigned is not None:
        products = [assigned]
    if products is not None and product not in products:
        raise invalid_params("Invalid value for 'additionalProductTypes': it must contain 'assignedProductType'.")
    resulting_products = products if products is not None else state["additionalProductTypes"]

    # A partner on the monthly subscription gives its clients only the models it offers.
    parent_subscription = parent.subscription or {}
    offered = None
    if parent_subscription.get("type") == MONTHLY_SUBSCRIPTION:
        offered = parent_subscription["additionalProtectionModels"]
    if model is not None and offered and model not in offered:
        raise invalid_params(
            "Invalid value for 'assignedProtectionModel': the parent company does not offer this model."
        )
    if model is not None and not _uses_protection_models(license_type, product):
        raise invalid_params(
            "'assignedProtectionModel' may be sent only with licence type 3 and 'assignedProductType' 0."
        )
    if additional_models is not None:
        edr_reselling_endpoint = (
            product == EDR and ENDPOINT_SECURITY in resulting_products and license_type == MONTHLY_SUBSCRIPTION
        )
        with_assigned_model = _uses_protection_models(license_type, product) and model is not None
        if not (edr_reselling_endpoint or with_assigned_model):
            raise invalid_params(
                "'additionalProtectionModels' may be sent only with licence type 3 and either "
                "'assignedProtectionModel' in the same request, or 'assignedProductType' 3 with "
                "'additionalProductTypes' containing 0."
            )

    state["assignedProductType"] = product
    state["additionalProductTypes"] = list(resulting_products)
    if model is not None:
        state["assignedProtectionModel"] = model
        state["additionalProtectionModels"] = additional_models or list(DEFAULT_ADDITIONAL_MODELS[model])
    elif additional_models is not None:
        state["additionalProtectionModels"] = additional_models
    elif creating and _uses_protection_models(license_type, product):
        # Without a model, the company gets the first one its parent makes available.
        offered = (parent.subscription or {}).get("additionalProtectionModels") or [A_LA_CARTE]
        state["assignedProtectionModel"] = offered[0]
        state["additionalProtectionModels"] = list(DEFAULT_ADDITIONAL_MODELS[offered[0]])
    if not _uses_protection_models(license_type, product):
        state["assignedProtectionModel"] = None


def _apply_add_ons(company, request, state, license_type):
    flags = {name: p.check_boolean(request, name) for name in ADD_ON_FLAGS if name in request}
    own_use = _check_settings(request, "ownUse", OWN_USE_SETTINGS)
    resell = _check_settings(request, "resell", RESELL_SETTINGS)
    services = p.check_object(request, "licensedServices")
    retention = p.check_integer(request, "imDataRetention", choices=IM_RETENTIONS)
    new_model = p.check_string(request, "setNewProtectionModelForClients")

    for name in ("ownUse", "resell"):
        if name in request and license_type not in INHERITED_TYPES:
            raise invalid_params(f"'{name}' applies only to licence types 3 and 5.")
    for name in EXCLUSIVE_SETTINGS:
        if name in flags and (name in own_use or f"{name}Resell" in resell):
            raise invalid_params(f"'{name}' cannot be sent both at the top level and inside 'ownUse' or 'resell'.")

    state.update(flags)
    state["ownUse"].update(own_use)
    state["resell"].update(resell)

    # EDR needs Sandbox Analyzer and HyperDetect: any value given to EDR sets both to it.
    if "manageEventCorrelator" in flags:
        state["manageSandboxAnalyzer"] = state["manageHyperDetect"] = flags["manageEventCorrelator"]
    if own_use.get("manageEventCorrelator") is True:
        state["ownUse"]["manageSandboxAnalyzer"] = state["ownUse"]["manageHyperDetect"] = True
    if resell.get("manageEventCorrelatorResell") is True:
        state["resell"]["manageSandboxAnalyzerResell"] = state["resell"]["manageHyperDetectResell"] = True

    if services is not None:
        _apply_licensed_services(company, services, state, license_type)

    if retention is not None:
        state["imDataRetention"] = retention

    edr_on = state["manageEventCorrelator"] or state["ownUse"]["manageEventCorrelator"]
    enabled_sensors = [sensor for sensor in XDR_SENSORS if own_use.get(sensor)]
    if enabled_sensors and not edr_on:
        raise invalid_params(f"'{enabled_sensors[0]}' in 'ownUse' needs EDR ('manageEventCorrelator') to be on.")

    container_on = state["manageContainerProtection"] or state["ownUse"]["manageContainerProtection"]
    if container_on and state["assignedProtectionModel"] != A_LA_CARTE:
        raise invalid_params("'manageContainerProtection' can be true only with the 'aLaCarte' protection model.")
    if resell.get("manageContainerProtectionResell") and A_LA_CARTE not in state["additionalProtectionModels"]:
        raise invalid_params(
            "'manageContainerProtectionResell' can be true only when 'additionalProtectionModels' contains 'aLaCarte'."
        )

    if new_model is not None:
        if company.type != PARTNER:
            raise invalid_params("'setNewProtectionModelForClients' applies only to partner companies.")
        if new_model not in state["additionalProtectionModels"]:
            raise invalid_params(
                "Invalid value for 'setNewProtectionModelForClients': it must be one of 'additionalProtectionModels'."
            )


def _apply_licensed_services(company, services, state, license_type):
    if license_type != MONTHLY_SUBSCRIPTION:
        raise invalid_params("'licensedServices' applies only to the monthly subscription (licence type 3).")
    p.reject_unknown(services, ("mdrServiceOwnUse", "mdrServiceResell"))
    own_use = p.check_integer(services, "mdrServiceOwnUse", choices=MDR_SERVICES)
    resell = p.check_boolean(services, "mdrServiceResell")

    if own_use == 1:
        if not company.can_be_managed_by_above:
            raise invalid_params("MDR requires 'canBeManagedByAbove' to be true.")
        # MDR runs on EDR, and a partner with MDR may resell it.
        state["manageEventCorrelator"] = state["manageSandboxAnalyzer"] = state["manageHyperDetect"] = True
        if company.type == PARTNER:
            resell = True
    if own_use is not None:
        state["licensedServices"]["mdrServiceOwnUse"] = own_use
    # Reselling MDR means something only for a partner.
    if resell is not None and company.type == PARTNER:
        state["licensedServices"]["mdrServiceResell"] = resell


def _uses_protection_models(license_type, product_type):
    return license_type == MONTHLY_SUBSCRIPTION and product_type == ENDPOINT_SECURITY


def _check_list(request, name, choices):
    if name not in request:
        return None
    value = request[name]
    if not isinstance(value, list) or not value or any(item not in choices or isinstance(item, bool) for item in value):
        allowed = ", ".join(repr(choice) for choice in choices)
        raise invalid_params(f"Invalid value for '{name}': expected a non-empty array of {allowed}.")
    return list(dict.fromkeys(value))


def _check_settings(request, name, allowed):
    settings = p.check_object(request, name)
    if settings is None:
        return {}
    p.reject_unknown(settings, allowed)
    return {key: p.check_boolean(settings, key) for key in settings}
