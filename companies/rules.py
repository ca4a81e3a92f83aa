"""GravityZone's rules for a company's subscription, checked before anything is saved.

`apply_couplings` sets what GravityZone would set on its own (EDR brings Sandbox Analyzer and
HyperDetect, MDR brings EDR, …), so that what is saved here is what GravityZone will hold.
`check_subscription` then returns the rules the settings still break, as messages keyed by
the field to show them on. Both take the company as edited in the same form, because several
rules depend on the company type or on whether the partner above manages the company.
"""

from companies.choices import (
    DEFAULT_ADDITIONAL_MODELS,
    IntegrityMonitoringRetention,
    LicenseType,
    MdrService,
    ProductType,
    ProtectionModel,
)

MONTHLY = LicenseType.MONTHLY_SUBSCRIPTION
INHERITED = (LicenseType.MONTHLY_SUBSCRIPTION, LicenseType.MONTHLY_SUBSCRIPTION_TRIAL)

XDR_SENSOR_FIELDS = (
    "manage_xdr_identity_providers",
    "manage_xdr_productivity_apps",
    "manage_xdr_network",
    "manage_xdr_cloud_workloads",
)
RESELL_FIELDS = (
    "resell_xdr",
    "resell_remote_engines_scanning",
    "resell_container_protection",
    "resell_event_correlator",
    "resell_sandbox_analyzer",
    "resell_hyper_detect",
)
TERM_FIELDS = ("end_subscription", "auto_renew_period", "minimum_endpoints")


def apply_couplings(subscription, company, changed_fields):
    """Set the settings that GravityZone derives from others, as it would on its side."""
    if subscription.mdr_service == MdrService.FOUNDATIONS:
        # MDR runs on EDR, and a partner with MDR may resell it.
        subscription.manage_event_correlator = True
        if company.is_partner:
            subscription.mdr_resell = True

    # EDR needs Sandbox Analyzer and HyperDetect: switching it on or off switches both.
    if subscription.manage_event_correlator or "manage_event_correlator" in changed_fields:
        subscription.manage_sandbox_analyzer = subscription.manage_event_correlator
        subscription.manage_hyper_detect = subscription.manage_event_correlator
    if subscription.resell_event_correlator:
        subscription.resell_sandbox_analyzer = True
        subscription.resell_hyper_detect = True

    # A customer resells nothing: its one "product to resell" follows its own product, as
    # GravityZone's default does. More than one is an error check_subscription reports.
    resold = subscription.additional_product_types
    if not resold or (not company.is_partner and len(resold) == 1):
        subscription.additional_product_types = [subscription.assigned_product_type]

    # A customer distributes no models: its list is always the default of its own model.
    model = subscription.assigned_protection_model
    if not company.is_partner:
        subscription.additional_protection_models = list(DEFAULT_ADDITIONAL_MODELS.get(model, []))
    elif model:
        # A new model brings its default list, unless the same save chose the list too.
        chosen = "additional_protection_models" in changed_fields and subscription.additional_protection_models
        model_changed = "assigned_protection_model" in changed_fields
        if not subscription.additional_protection_models or (model_changed and not chosen):
            subscription.additional_protection_models = list(DEFAULT_ADDITIONAL_MODELS[model])


def check_subscription(subscription, company, *, stored=None, in_gravityzone=False):
    """Return {field name: message} for every rule the subscription breaks.

    `stored` is the subscription GravityZone holds for a company it has (`in_gravityzone`);
    GravityZone cannot make some changes to an existing company.
    """
    errors = {}

    def reject(field, message):
        errors.setdefault(field, message)

    license_type = subscription.license_type
    monthly = license_type == MONTHLY
    inherited = license_type in INHERITED
    product = subscription.assigned_product_type
    model = subscription.assigned_protection_model
    uses_models = monthly and product == ProductType.ENDPOINT_SECURITY

    if in_gravityzone and stored is None and license_type != MONTHLY:
        reject("license_type", "A company already in GravityZone can be given only the monthly subscription.")
    if stored is not None:
        _check_change(subscription, stored, reject)

    for field in TERM_FIELDS:
        if getattr(subscription, field) is not None and not monthly:
            reject(field, "Applies only to the monthly subscription.")

    if product != ProductType.ENDPOINT_SECURITY and not inherited:
        reject(
            "assigned_product_type",
            "Bitdefender EDR can be chosen only with a monthly subscription or the monthly subscription trial.",
        )
    resold_products = subscription.additional_product_types
    if set(resold_products) != {product} and not company.is_partner:
        reject("additional_product_types", "Only partners resell products.")
    if set(resold_products) != {product} and not inherited:
        reject(
            "additional_product_types",
            "Products to resell need a monthly subscription or the monthly subscription trial.",
        )
    if product not in resold_products:
        reject("additional_product_types", "The products to resell must include the company's own product.")

    if uses_models and not model:
        reject("assigned_protection_model", "Choose the protection model the company uses.")
    offered = _models_offered_by_parent(company)
    if model and offered and model not in offered:
        labels = ", ".join(ProtectionModel(value).label for value in offered)
        reject("assigned_protection_model", f"{company.parent} offers its clients only: {labels}.")
    if model and not uses_models:
        reject(
            "assigned_protection_model",
            "A protection model applies only to the monthly subscription with Endpoint Security.",
        )
    edr_reselling_endpoint = monthly and product == ProductType.EDR and ProductType.ENDPOINT_SECURITY in resold_products
    models_apply = uses_models or edr_reselling_endpoint
    if company.is_partner and subscription.additional_protection_models and not models_apply:
        reject(
            "additional_protection_models",
            "Protection models for clients need the monthly subscription, with either Endpoint Security "
            "and a protection model, or Bitdefender EDR reselling Endpoint Security.",
        )

    if subscription.manage_container_protection and model != ProtectionModel.A_LA_CARTE:
        reject("manage_container_protection", "Container Protection needs the à la carte protection model.")
    if (
        subscription.resell_container_protection
        and ProtectionModel.A_LA_CARTE not in subscription.additional_protection_models
    ):
        reject(
            "resell_container_protection",
            "Reselling Container Protection needs À la carte among the protection models for clients.",
        )

    if subscription.manage_event_correlator and not (
        subscription.manage_sandbox_analyzer and subscription.manage_hyper_detect
    ):
        reject("manage_event_correlator", "EDR needs Sandbox Analyzer and HyperDetect.")
    for field in XDR_SENSOR_FIELDS:
        if getattr(subscription, field) and not subscription.manage_event_correlator:
            reject(field, "XDR sensors need EDR.")
        if getattr(subscription, field) and not inherited:
            reject(field, "XDR sensors need a monthly subscription or the monthly subscription trial.")

    for field in RESELL_FIELDS:
        if getattr(subscription, field) and not company.is_partner:
            reject(field, "Only partners resell.")
        elif getattr(subscription, field) and not inherited:
            reject(field, "Reselling needs a monthly subscription or the monthly subscription trial.")

    if subscription.mdr_service != MdrService.DISABLED:
        if not monthly:
            reject("mdr_service", "MDR applies only to the monthly subscription.")
        if not company.can_be_managed_by_above:
            reject("mdr_service", "MDR needs the partner above to manage this company.")
    if subscription.mdr_resell and not company.is_partner:
        reject("mdr_resell", "Only partners resell MDR.")
    elif subscription.mdr_resell and not monthly:
        reject("mdr_resell", "MDR applies only to the monthly subscription.")

    if (
        subscription.im_data_retention != IntegrityMonitoringRetention.DAYS_7
        and not subscription.manage_integrity_monitoring
    ):
        reject("im_data_retention", "The retention applies only with Integrity Monitoring on.")

    new_model = subscription.clients_protection_model_change
    if new_model and not company.is_partner:
        reject("clients_protection_model_change", "Only a partner has clients to move.")
    elif new_model and new_model not in subscription.additional_protection_models:
        reject(
            "clients_protection_model_change",
            "Clients can be moved only to one of the protection models for clients.",
        )

    _check_seats(subscription, company, reject)
    return errors


def _models_offered_by_parent(company):
    """Return the protection models the parent partner gives its clients, or [] when not known here."""
    if company.parent_id is None:
        return []
    parent_subscription = getattr(company.parent, "subscription", None)
    if parent_subscription is None or parent_subscription.license_type != MONTHLY:
        return []
    return parent_subscription.additional_protection_models


def _check_change(subscription, stored, reject):
    """Check what GravityZone can change on a company it already has."""
    if stored.license_type == MONTHLY and subscription.license_type != MONTHLY:
        reject("license_type", "A monthly subscription cannot go back to a trial.")
        return
    if stored.license_type != MONTHLY and subscription.license_type == stored.license_type:
        changed = [
            field.name
            for field in subscription._meta.concrete_fields
            if field.name not in ("id", "company") and getattr(subscription, field.name) != getattr(stored, field.name)
        ]
        if changed:
            reject(
                "license_type",
                "GravityZone changes a trial's settings only by switching it to the monthly subscription. "
                "Choose “Monthly subscription” to switch it, or undo the changes.",
            )


def _check_seats(subscription, company, reject):
    """Check the reservation against the parent's own, where the parent reserves seats here.

    GravityZone alone has the seats of the API key's own company and of parents without a
    reservation, and rejects an overdraft there itself.
    """
    if not subscription.reserved_slots or company.parent_id is None:
        return
    parent_subscription = getattr(company.parent, "subscription", None)
    parent_seats = parent_subscription.reserved_slots if parent_subscription else None
    if not parent_seats:
        return
    siblings = type(subscription).objects.filter(company__parent_id=company.parent_id).exclude(company_id=company.pk)
    taken = sum(siblings.exclude(reserved_slots=None).values_list("reserved_slots", flat=True))
    free = parent_seats - taken
    if subscription.reserved_slots > free:
        reject("reserved_slots", f"The parent {company.parent} has {max(free, 0)} seats left to reserve.")
