"""GravityZone's rules for createCompany and setMonthlySubscription, as valid and invalid cases.

Each rule has at least one case that GravityZone accepts and one it rejects. A case names the
parameter at fault, so that a form can be checked for an error on the matching field.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RuleCase:
    id: str
    # "create": `params` are createCompany's; "set": setMonthlySubscription's, sent for a
    # company created first with `company`.
    call: str
    params: dict
    # Words of GravityZone's error details, or None when the request is valid.
    error: str | None = None
    parameter: str | None = None
    company: dict = field(default_factory=dict)

    @property
    def valid(self):
        return self.error is None


def create(case_id, params, error=None, parameter=None):
    return RuleCase(case_id, "create", params, error, parameter)


def subscribe(case_id, params, error=None, parameter=None, company=None):
    company = company or {"type": 1, "licenseSubscription": {"type": 3}}
    return RuleCase(case_id, "set", params, error, parameter, company)


def licence(**settings):
    return {"type": 3, **settings}


PARTNER_MONTHLY = {"type": 0, "licenseSubscription": {"type": 3}}
PARTNER_EDR_PRODUCT = {"type": 0, "licenseSubscription": {"type": 3, "assignedProductType": 3}}
CUSTOMER_TRIAL = {"type": 1, "licenseSubscription": {"type": 5}}

CASES = [
    # The company type is required: 0 for a partner, 1 for a customer.
    create("type-partner", {"type": 0}),
    create("type-missing", {}, "Missing required parameter 'type'", "type"),
    create("type-unknown", {"type": 2}, "Invalid value for 'type'", "type"),
    # The name is required, unique and at most 64 characters.
    create("name-64-characters", {"type": 1, "name": "n" * 64}),
    create("name-65-characters", {"type": 1, "name": "n" * 65}, "at most 64 characters", "name"),
    create("name-blank", {"type": 1, "name": "   "}, "cannot be empty", "name"),
    # The parent is a partner's ID; a customer cannot be one.
    create("parent-unknown-id", {"type": 1, "parentId": "0" * 24}, "Invalid value for 'parentId'", "parentId"),
    # The licence type of a new company is one GravityZone defines.
    create("licence-monthly-licence-trial", {"type": 0, "licenseSubscription": {"type": 4}}),
    create("licence-type-unknown", {"type": 1, "licenseSubscription": {"type": 9}}, "Invalid value for 'type'", "type"),
    create(
        "licence-key-needs-key",
        {"type": 1, "licenseSubscription": {"type": 2}},
        "'licenseKey' is required",
        "licenseKey",
    ),
    # The product type is 0 or 3, and only with licence type 3 or 5.
    create("product-edr-monthly", {"type": 1, "licenseSubscription": licence(assignedProductType=3)}),
    create(
        "product-with-licence-trial",
        {"type": 0, "licenseSubscription": {"type": 4, "assignedProductType": 0}},
        "only with licence type 3 or 5",
        "assignedProductType",
    ),
    create(
        "product-unknown",
        {"type": 1, "licenseSubscription": licence(assignedProductType=1)},
        "Invalid value for 'assignedProductType'",
        "assignedProductType",
    ),
    # The products a company may resell contain its own product.
    create(
        "resold-products-contain-own",
        {"type": 0, "licenseSubscription": licence(assignedProductType=0, additionalProductTypes=[0, 3])},
    ),
    create(
        "resold-products-miss-own",
        {"type": 0, "licenseSubscription": licence(assignedProductType=3, additionalProductTypes=[0])},
        "must contain 'assignedProductType'",
        "additionalProductTypes",
    ),
    create(
        "resold-products-with-licence-trial",
        {"type": 0, "licenseSubscription": {"type": 4, "additionalProductTypes": [0]}},
        "only with licence type 3 or 5",
        "additionalProductTypes",
    ),
    # A protection model needs the monthly subscription and Endpoint Security.
    create(
        "model-on-endpoint-security", {"type": 1, "licenseSubscription": licence(assignedProtectionModel="mspSecure")}
    ),
    create(
        "model-on-edr-product",
        {"type": 1, "licenseSubscription": licence(assignedProductType=3, assignedProtectionModel="mspSecure")},
        "'assignedProtectionModel' may be sent only",
        "assignedProtectionModel",
    ),
    create(
        "model-on-subscription-trial",
        {"type": 1, "licenseSubscription": {"type": 5, "assignedProtectionModel": "aLaCarte"}},
        "'assignedProtectionModel' may be sent only",
        "assignedProtectionModel",
    ),
    # Additional protection models need an assigned model in the same request, or the EDR
    # product reselling Endpoint Security.
    create(
        "extra-models-with-model",
        {
            "type": 0,
            "licenseSubscription": licence(
                assignedProtectionModel="mspSecure", additionalProtectionModels=["aLaCarte"]
            ),
        },
    ),
    create(
        "extra-models-with-edr-reselling-endpoint",
        {
            "type": 0,
            "licenseSubscription": licence(
                assignedProductType=3, additionalProductTypes=[3, 0], additionalProtectionModels=["mspSecure"]
            ),
        },
    ),
    create(
        "extra-models-alone",
        {"type": 0, "licenseSubscription": licence(additionalProtectionModels=["mspSecure"])},
        "'additionalProtectionModels' may be sent only",
        "additionalProtectionModels",
    ),
    # Without management from above, the new account's email and name are required.
    create(
        "unmanaged-with-account",
        {"type": 1, "canBeManagedByAbove": False, "accountEmail": "it@contoso.example", "accountFullName": "Ann Lee"},
    ),
    create(
        "unmanaged-without-account",
        {"type": 1, "canBeManagedByAbove": False, "accountEmail": "it@contoso.example"},
        "'accountEmail' and 'accountFullName' are required",
        "accountFullName",
    ),
    # A contact person needs an email.
    create("contact-with-email", {"type": 1, "contactPerson": {"email": "ann@contoso.example", "fullName": "Ann Lee"}}),
    create(
        "contact-without-email",
        {"type": 1, "contactPerson": {"fullName": "Ann Lee"}},
        "'email' is required",
        "contactPerson",
    ),
    # The address is at most 128 characters without HTML; the phone at most 32.
    create("address-128-characters", {"type": 1, "address": "a" * 128}),
    create("address-with-html", {"type": 1, "address": "<b>1 Main St</b>"}, "HTML tags are not allowed", "address"),
    create("phone-33-characters", {"type": 1, "phone": "1" * 33}, "at most 32 characters", "phone"),
    # Reserved seats are at least 1 and at most the parent's free seats; the term and the
    # minimum usage apply to the monthly subscription only.
    create("seats-reserved", {"type": 1, "licenseSubscription": licence(reservedSlots=10)}),
    create(
        "seats-zero",
        {"type": 1, "licenseSubscription": licence(reservedSlots=0)},
        "Invalid value for 'reservedSlots'",
        "reservedSlots",
    ),
    create(
        "seats-over-parent-pool",
        {"type": 1, "licenseSubscription": licence(reservedSlots=10_001)},
        "free seats",
        "reservedSlots",
    ),
    create(
        "end-date-on-trial",
        {"type": 1, "licenseSubscription": {"type": 5, "endSubscription": "2030-01-31"}},
        "applies only to the monthly subscription",
        "endSubscription",
    ),
    create(
        "minimum-usage-on-trial",
        {"type": 1, "licenseSubscription": {"type": 5, "minimumUsage": {"endpointMonthlyUsage": 5}}},
        "applies only to the monthly subscription",
        "minimumUsage",
    ),
    # setMonthlySubscription needs the company's ID.
    subscribe("company-id-given", {"manageExchange": True}),
    RuleCase(
        "company-id-missing", "set", {"manageExchange": True}, "Missing required parameter 'companyId'", "companyId"
    ),
    # Reserved seats: 0 means none; they cannot be set and removed at once.
    subscribe("seats-none", {"reservedSlots": 0}),
    subscribe("seats-removed", {"removeReservedSlots": True}),
    subscribe(
        "seats-set-and-removed",
        {"reservedSlots": 5, "removeReservedSlots": True},
        "cannot be sent together",
        "reservedSlots",
    ),
    # The end date is YYYY-MM-DD or "" and, with the renewal period, only for licence type 3.
    subscribe("end-date-iso", {"endSubscription": "2029-04-14", "autoRenewPeriod": 12}),
    subscribe("end-date-cleared", {"endSubscription": ""}),
    subscribe("end-date-other-format", {"endSubscription": "14/04/2029"}, "YYYY-MM-DD", "endSubscription"),
    create(
        "renewal-on-trial",
        {"type": 1, "licenseSubscription": {"type": 5, "autoRenewPeriod": 12}},
        "applies only to the monthly subscription",
        "autoRenewPeriod",
    ),
    # Add-on flags are booleans.
    subscribe("add-ons-switched", {"manageExchange": True, "manageEncryption": False, "managePatchManagement": True}),
    subscribe("add-on-not-boolean", {"manageExchange": "yes"}, "expected a boolean", "manageExchange"),
    # EDR sets Sandbox Analyzer and HyperDetect to its own value.
    subscribe("edr-on", {"manageEventCorrelator": True}),
    subscribe("edr-off", {"manageEventCorrelator": False, "manageSandboxAnalyzer": True}),
    # Container Protection needs the à la carte protection model.
    subscribe(
        "container-with-a-la-carte",
        {"assignedProductType": 0, "assignedProtectionModel": "aLaCarte", "manageContainerProtection": True},
    ),
    subscribe(
        "container-with-msp-secure",
        {"assignedProductType": 0, "assignedProtectionModel": "mspSecure", "manageContainerProtection": True},
        "only with the 'aLaCarte' protection model",
        "manageContainerProtection",
    ),
    # A setting is sent either at the top level or inside ownUse/resell, never both.
    subscribe("edr-inside-own-use", {"ownUse": {"manageEventCorrelator": True}}),
    subscribe(
        "edr-at-top-and-in-own-use",
        {"manageEventCorrelator": True, "ownUse": {"manageEventCorrelator": True}},
        "both at the top level and inside",
        "manageEventCorrelator",
    ),
    subscribe(
        "sandbox-at-top-and-resold",
        {"manageSandboxAnalyzer": True, "resell": {"manageSandboxAnalyzerResell": True}},
        "both at the top level and inside",
        "manageSandboxAnalyzer",
        company=PARTNER_MONTHLY,
    ),
    # MDR is a licensed service of the monthly subscription: 0 off, 1 Foundations.
    subscribe("mdr-foundations", {"licensedServices": {"mdrServiceOwnUse": 1, "mdrServiceResell": True}}),
    subscribe(
        "mdr-unknown-service",
        {"licensedServices": {"mdrServiceOwnUse": 2}},
        "Invalid value for 'mdrServiceOwnUse'",
        "mdrServiceOwnUse",
    ),
    create(
        "mdr-on-trial",
        {"type": 1, "licenseSubscription": {"type": 5, "licensedServices": {"mdrServiceOwnUse": 1}}},
        "applies only to the monthly subscription",
        "licensedServices",
    ),
    # Integrity Monitoring keeps events for 7, 90, 180 or 365 days (codes 0 to 3).
    subscribe("retention-one-year", {"manageIntegrityMonitoring": True, "imDataRetention": 3}),
    subscribe(
        "retention-unknown",
        {"manageIntegrityMonitoring": True, "imDataRetention": 4},
        "Invalid value for 'imDataRetention'",
        "imDataRetention",
    ),
    # ownUse and resell apply to licence types 3 and 5 only.
    create(
        "own-use-on-subscription-trial",
        {"type": 1, "licenseSubscription": {"type": 5, "ownUse": {"manageHyperDetect": True}}},
    ),
    # setMonthlySubscription switches a trial to the monthly subscription.
    subscribe("trial-switched-to-monthly", {"autoRenewPeriod": 12}, company=CUSTOMER_TRIAL),
    create(
        "own-use-on-licence-trial",
        {"type": 0, "licenseSubscription": {"type": 4, "ownUse": {"manageHyperDetect": True}}},
        "applies only to licence types 3 and 5",
        "ownUse",
    ),
    # The XDR sensors need EDR.
    subscribe("sensors-with-edr", {"manageEventCorrelator": True, "ownUse": {"manageXDRNetwork": True}}),
    subscribe("sensors-without-edr", {"ownUse": {"manageXDRNetwork": True}}, "needs EDR", "manageXDRNetwork"),
    # EDR inside ownUse or resell brings its two companions along.
    subscribe("edr-resold", {"resell": {"manageEventCorrelatorResell": True}}, company=PARTNER_MONTHLY),
    # Reselling XDR switches the sensors on for the companies managed.
    subscribe("xdr-resold", {"resell": {"manageXDRResell": True}}, company=PARTNER_MONTHLY),
    subscribe(
        "xdr-resold-not-boolean",
        {"resell": {"manageXDRResell": 1}},
        "expected a boolean",
        "manageXDRResell",
        company=PARTNER_MONTHLY,
    ),
    # Reselling Container Protection needs à la carte among the additional models.
    subscribe(
        "container-resold-with-a-la-carte",
        {
            "assignedProductType": 0,
            "assignedProtectionModel": "mspSecure",
            "additionalProtectionModels": ["mspSecure", "aLaCarte"],
            "resell": {"manageContainerProtectionResell": True},
        },
        company=PARTNER_MONTHLY,
    ),
    subscribe(
        "container-resold-without-a-la-carte",
        {
            "assignedProductType": 0,
            "assignedProtectionModel": "mspSecure",
            "resell": {"manageContainerProtectionResell": True},
        },
        "contains 'aLaCarte'",
        "manageContainerProtectionResell",
        company=PARTNER_MONTHLY,
    ),
    # Products and models follow the createCompany rules; resold products are for partners
    # and come with the assigned product.
    subscribe(
        "resold-products-for-partner",
        {"assignedProductType": 0, "additionalProductTypes": [0, 3]},
        company=PARTNER_MONTHLY,
    ),
    subscribe(
        "resold-products-for-customer",
        {"assignedProductType": 0, "additionalProductTypes": [0]},
        "applies only to partner companies",
        "additionalProductTypes",
    ),
    subscribe(
        "resold-products-without-product",
        {"additionalProductTypes": [0, 3]},
        "requires 'assignedProductType'",
        "additionalProductTypes",
        company=PARTNER_MONTHLY,
    ),
    subscribe(
        "extra-models-for-edr-partner",
        {"additionalProtectionModels": ["aLaCarte"]},
        "'additionalProtectionModels' may be sent only",
        "additionalProtectionModels",
        company=PARTNER_EDR_PRODUCT,
    ),
    # The minimum usage commits to a number of endpoints each month.
    subscribe("minimum-usage", {"minimumUsage": {"endpointMonthlyUsage": 120}}),
    subscribe(
        "minimum-usage-negative",
        {"minimumUsage": {"endpointMonthlyUsage": -1}},
        "Invalid value for 'endpointMonthlyUsage'",
        "endpointMonthlyUsage",
    ),
    # A partner can move its clients to one of the models it offers.
    subscribe(
        "clients-moved-to-offered-model",
        {
            "assignedProductType": 0,
            "assignedProtectionModel": "mspSecure",
            "additionalProtectionModels": ["mspSecure", "aLaCarte"],
            "setNewProtectionModelForClients": "aLaCarte",
        },
        company=PARTNER_MONTHLY,
    ),
    subscribe(
        "clients-moved-to-model-not-offered",
        {
            "assignedProductType": 0,
            "assignedProtectionModel": "mspSecure",
            "setNewProtectionModelForClients": "aLaCarte",
        },
        "must be one of 'additionalProtectionModels'",
        "setNewProtectionModelForClients",
        company=PARTNER_MONTHLY,
    ),
]
