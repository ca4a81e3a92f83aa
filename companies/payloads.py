"""The GravityZone requests that make GravityZone hold what is saved here.

Every request carries the full set of settings: an add-on flag left out of
setMonthlySubscription keeps whatever GravityZone had, so a partial request would leave stale
settings behind.
"""

from companies.choices import LicenseType, ProductType
from gravityzone import types as gz

MONTHLY = LicenseType.MONTHLY_SUBSCRIPTION
INHERITED = (LicenseType.MONTHLY_SUBSCRIPTION, LicenseType.MONTHLY_SUBSCRIPTION_TRIAL)


def new_company(company):
    """Return createCompany's parameters; the parent must already have its GravityZone ID."""
    subscription = getattr(company, "subscription", None)
    return gz.NewCompany(
        type=gz.CompanyType(company.company_type),
        name=company.name,
        parent_id=company.parent.gravityzone_id if company.parent_id else None,
        address=company.address or None,
        country=company.country.code or None,
        state=company.state or None,
        phone=company.phone or None,
        industry=company.industry,
        can_be_managed_by_above=company.can_be_managed_by_above,
        enforce_2fa=company.enforce_2fa,
        skip_2fa_period=company.skip_2fa_period,
        account_email=company.account_email or None,
        account_full_name=company.account_full_name or None,
        contact_person=_contact_person(company),
        license_subscription=license_subscription(company, subscription) if subscription else None,
    )


def company_changes(company):
    """Return updateCompanyDetails's parameters: every detail, so that GravityZone matches."""
    return gz.CompanyChanges(
        type=gz.CompanyType(company.company_type),
        name=company.name,
        address=company.address,
        country=company.country.code,
        state=company.state,
        phone=company.phone,
        industry=company.industry,
        enforce_2fa=company.enforce_2fa,
        skip_2fa_period=company.skip_2fa_period,
        contact_person=_contact_person(company),
    )


def license_subscription(company, subscription):
    """Return createCompany's `licenseSubscription` for the subscription's licence type."""
    settings = _settings(company, subscription, subscription.license_type)
    return gz.LicenseSubscription(type=gz.LicenseType(subscription.license_type), **settings)


def monthly_subscription(company, subscription):
    """Return setMonthlySubscription's parameters; the call leaves the company on licence type 3."""
    settings = _settings(company, subscription, MONTHLY)
    # Values that are unset here are sent as such, so that GravityZone drops its old ones.
    settings["end_subscription"] = subscription.end_subscription or ""
    settings["minimum_usage"] = gz.MinimumUsage(endpoint_monthly_usage=subscription.minimum_endpoints or 0)
    return gz.MonthlySubscription(
        **settings,
        # Without a reservation, the company draws on its parent's pool.
        remove_reserved_slots=subscription.reserved_slots is None,
        set_new_protection_model_for_clients=_model(subscription.clients_protection_model_change),
    )


def _settings(company, subscription, license_type):
    """Return the settings both calls share, each where `license_type` lets GravityZone take it."""
    monthly = license_type == MONTHLY
    inherited = license_type in INHERITED
    product = gz.ProductType(subscription.assigned_product_type)
    uses_models = monthly and product == gz.ProductType.ENDPOINT_SECURITY
    resells_endpoint = ProductType.ENDPOINT_SECURITY in subscription.additional_product_types
    settings = {
        "reserved_slots": subscription.reserved_slots,
        "manage_exchange": subscription.manage_exchange,
        "manage_encryption": subscription.manage_encryption,
        "manage_patch_management": subscription.manage_patch_management,
        "manage_email_security": subscription.manage_email_security,
        "manage_mobile_security": subscription.manage_mobile_security,
        "manage_integrity_monitoring": subscription.manage_integrity_monitoring,
    }
    if subscription.manage_integrity_monitoring:
        settings["im_data_retention"] = gz.IntegrityMonitoringRetention(subscription.im_data_retention)

    if monthly:
        settings["end_subscription"] = subscription.end_subscription
        settings["auto_renew_period"] = subscription.auto_renew_period
        if subscription.minimum_endpoints is not None:
            settings["minimum_usage"] = gz.MinimumUsage(endpoint_monthly_usage=subscription.minimum_endpoints)
        settings["licensed_services"] = gz.LicensedServices(
            mdr_service_own_use=gz.MdrService(subscription.mdr_service),
            mdr_service_resell=subscription.mdr_resell if company.is_partner else None,
        )

    if inherited:
        settings["assigned_product_type"] = product
        if company.is_partner:
            settings["additional_product_types"] = [
                gz.ProductType(value) for value in subscription.additional_product_types
            ]
    if uses_models:
        settings["assigned_protection_model"] = _model(subscription.assigned_protection_model)
    if company.is_partner and (uses_models or (monthly and product == gz.ProductType.EDR and resells_endpoint)):
        settings["additional_protection_models"] = [
            _model(value) for value in subscription.additional_protection_models
        ]

    if inherited:
        # GravityZone takes these five either at the top level or in ownUse, never both; ownUse
        # is the one that also contains the XDR sensors.
        settings["own_use"] = gz.OwnUse(
            manage_xdr_identity_providers=subscription.manage_xdr_identity_providers,
            manage_xdr_productivity_apps=subscription.manage_xdr_productivity_apps,
            manage_xdr_network=subscription.manage_xdr_network,
            manage_xdr_cloud_workloads=subscription.manage_xdr_cloud_workloads,
            manage_remote_engines_scanning=subscription.manage_remote_engines_scanning,
            manage_container_protection=subscription.manage_container_protection,
            manage_event_correlator=subscription.manage_event_correlator,
            manage_sandbox_analyzer=subscription.manage_sandbox_analyzer,
            manage_hyper_detect=subscription.manage_hyper_detect,
        )
        if company.is_partner:
            settings["resell"] = gz.Resell(
                manage_xdr_resell=subscription.resell_xdr,
                manage_remote_engines_scanning_resell=subscription.resell_remote_engines_scanning,
                manage_container_protection_resell=subscription.resell_container_protection,
                manage_event_correlator_resell=subscription.resell_event_correlator,
                manage_sandbox_analyzer_resell=subscription.resell_sandbox_analyzer,
                manage_hyper_detect_resell=subscription.resell_hyper_detect,
            )
    else:
        settings["manage_remote_engines_scanning"] = subscription.manage_remote_engines_scanning
        settings["manage_sandbox_analyzer"] = subscription.manage_sandbox_analyzer
        settings["manage_hyper_detect"] = subscription.manage_hyper_detect
        # At the top level, any value of EDR sets Sandbox Analyzer and HyperDetect to it, so
        # EDR is sent only to switch it on.
        if subscription.manage_event_correlator:
            settings["manage_event_correlator"] = True
    return settings


def _contact_person(company):
    if not company.contact_email:
        return None
    return gz.ContactPerson(
        email=company.contact_email,
        full_name=company.contact_full_name or None,
        phone_number=company.contact_phone or None,
        company_role=company.contact_role or None,
    )


def _model(value):
    return gz.ProtectionModel(value) if value else None
