"""Compare a company saved here with the simulator's copy of it."""

from companies.choices import LicenseType
from companies.payloads import INHERITED

TOP_LEVEL_FLAGS = (
    ("manage_exchange", "manageExchange"),
    ("manage_encryption", "manageEncryption"),
    ("manage_patch_management", "managePatchManagement"),
    ("manage_email_security", "manageEmailSecurity"),
    ("manage_mobile_security", "manageMobileSecurity"),
    ("manage_integrity_monitoring", "manageIntegrityMonitoring"),
)
OWN_USE_FLAGS = (
    ("manage_xdr_identity_providers", "manageXDRIdentityProviders"),
    ("manage_xdr_productivity_apps", "manageXDRProductivityApps"),
    ("manage_xdr_network", "manageXDRNetwork"),
    ("manage_xdr_cloud_workloads", "manageXDRCloudWorkloads"),
    ("manage_remote_engines_scanning", "manageRemoteEnginesScanning"),
    ("manage_container_protection", "manageContainerProtection"),
    ("manage_event_correlator", "manageEventCorrelator"),
    ("manage_sandbox_analyzer", "manageSandboxAnalyzer"),
    ("manage_hyper_detect", "manageHyperDetect"),
)
RESELL_FLAGS = (
    ("resell_xdr", "manageXDRResell"),
    ("resell_remote_engines_scanning", "manageRemoteEnginesScanningResell"),
    ("resell_container_protection", "manageContainerProtectionResell"),
    ("resell_event_correlator", "manageEventCorrelatorResell"),
    ("resell_sandbox_analyzer", "manageSandboxAnalyzerResell"),
    ("resell_hyper_detect", "manageHyperDetectResell"),
)


def differences(company, tenant):
    """Return a list of what differs between `company` and the simulator's copy."""
    remote = tenant.companies.get(company.gravityzone_id)
    if remote is None:
        return [f"{company} is not in the simulator"]
    found = []

    def compare(label, ours, theirs):
        if ours != theirs:
            found.append(f"{company} {label}: ours {ours!r}, simulator {theirs!r}")

    compare("name", company.name, remote.name)
    compare("type", company.company_type, remote.type)
    compare("parent", company.parent.gravityzone_id if company.parent_id else tenant.root_id, remote.parent_id)

    subscription = company.subscription
    state = remote.subscription
    compare("licence type", subscription.license_type, state["type"])
    compare("reserved seats", subscription.reserved_slots or 0, state["reservedSlots"])
    compare("product", subscription.assigned_product_type, state["assignedProductType"])
    compare("protection model", subscription.assigned_protection_model or None, state["assignedProtectionModel"])
    if company.is_partner:
        compare(
            "products to resell", sorted(subscription.additional_product_types), sorted(state["additionalProductTypes"])
        )
        compare(
            "client models",
            sorted(subscription.additional_protection_models),
            sorted(state["additionalProtectionModels"]),
        )
    for ours, theirs in TOP_LEVEL_FLAGS:
        compare(ours, getattr(subscription, ours), state[theirs])

    # Where the licence type allows it, these settings travel in ownUse; otherwise at the top level.
    in_own_use = subscription.license_type in INHERITED
    for ours, theirs in OWN_USE_FLAGS:
        remote_value = state["ownUse"][theirs] if in_own_use else state.get(theirs, False)
        compare(ours, getattr(subscription, ours), remote_value)
    if company.is_partner and in_own_use:
        for ours, theirs in RESELL_FLAGS:
            compare(ours, getattr(subscription, ours), state["resell"][theirs])
    if subscription.license_type == LicenseType.MONTHLY_SUBSCRIPTION:
        compare("MDR", subscription.mdr_service, state["licensedServices"]["mdrServiceOwnUse"])
        compare("minimum", subscription.minimum_endpoints or 0, state["minimumUsage"]["endpointMonthlyUsage"])
    return found
