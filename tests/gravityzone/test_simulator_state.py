"""What the simulator keeps: coupled settings, usage, suspension and its control endpoints."""

from datetime import UTC, datetime

import httpx
import pytest

from gravityzone.errors import InvalidParamsError
from gravityzone.simulator.companies import create_company
from gravityzone.simulator.state import TenantState
from gravityzone.simulator.usage import own_usage
from tests.services import API_KEY

# The marketplace page's setMonthlySubscription example. The page lost the contents of its two
# arrays, so these are values its own rules allow. The resold products must contain the
# assigned product (0). Reselling Container Protection and moving clients to aLaCarte need
# aLaCarte among the additional protection models.
MARKETPLACE_EXAMPLE = {
    "reservedSlots": 120,
    "removeReservedSlots": False,
    "endSubscription": "2029-04-14",
    "autoRenewPeriod": 12,
    "manageExchange": False,
    "manageEncryption": False,
    "managePatchManagement": False,
    "ownUse": {
        "manageXDRIdentityProviders": False,
        "manageXDRProductivityApps": False,
        "manageXDRNetwork": False,
        "manageXDRCloudWorkloads": False,
        "manageRemoteEnginesScanning": False,
        "manageContainerProtection": False,
        "manageHyperDetect": True,
        "manageSandboxAnalyzer": True,
        "manageEventCorrelator": True,
    },
    "resell": {
        "manageXDRResell": True,
        "manageRemoteEnginesScanningResell": True,
        "manageContainerProtectionResell": True,
        "manageHyperDetectResell": True,
        "manageSandboxAnalyzerResell": True,
        "manageEventCorrelatorResell": True,
    },
    "manageEmailSecurity": False,
    "manageIntegrityMonitoring": True,
    "imDataRetention": 2,
    "licensedServices": {"mdrServiceOwnUse": 1, "mdrServiceResell": True},
    "minimumUsage": {"endpointMonthlyUsage": 120},
    "assignedProductType": 0,
    "additionalProductTypes": [0],
    "assignedProtectionModel": "mspSecure",
    "additionalProtectionModels": ["mspSecure", "aLaCarte"],
    "setNewProtectionModelForClients": "aLaCarte",
}


def create(client, name, company_type=1, parent_id=None, **subscription):
    params = {"type": company_type, "name": name, "licenseSubscription": {"type": 3, **subscription}}
    if parent_id:
        params["parentId"] = parent_id
    return client.call("companies", "createCompany", params)


def subscribe(client, company_id, **params):
    client.call("licensing", "setMonthlySubscription", {"companyId": company_id, **params})


def test_marketplace_example_is_accepted(gravityzone, tenant):
    partner_id = create(gravityzone, "Northwind IT Services", company_type=0)

    subscribe(gravityzone, partner_id, **MARKETPLACE_EXAMPLE)

    assert tenant.companies[partner_id].subscription["reservedSlots"] == 120


def test_marketplace_example_moves_clients_to_new_model(gravityzone, tenant):
    partner_id = create(
        gravityzone,
        "Northwind IT Services",
        company_type=0,
        assignedProtectionModel="mspSecure",
        additionalProtectionModels=["mspSecure", "aLaCarte"],
    )
    customer_id = create(gravityzone, "Contoso Dental", parent_id=partner_id, assignedProtectionModel="mspSecure")

    subscribe(gravityzone, partner_id, **MARKETPLACE_EXAMPLE)

    assert tenant.companies[customer_id].subscription["assignedProtectionModel"] == "aLaCarte"


def test_xdr_resell_switches_sensors_on_for_clients(gravityzone, tenant):
    partner_id = create(gravityzone, "Northwind IT Services", company_type=0)
    customer_id = create(gravityzone, "Contoso Dental", parent_id=partner_id)

    subscribe(gravityzone, partner_id, resell={"manageXDRResell": True})

    assert tenant.companies[customer_id].subscription["ownUse"]["manageXDRNetwork"] is True


def test_edr_off_switches_its_companions_off(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental", manageEventCorrelator=True)

    subscribe(gravityzone, company_id, manageEventCorrelator=False)

    subscription = tenant.companies[company_id].subscription
    assert (subscription["manageSandboxAnalyzer"], subscription["manageHyperDetect"]) == (False, False)


def test_leaving_edr_out_keeps_its_companions(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental", manageSandboxAnalyzer=True)

    subscribe(gravityzone, company_id, manageExchange=True)

    assert tenant.companies[company_id].subscription["manageSandboxAnalyzer"] is True


def test_mdr_turns_edr_on(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental")

    subscribe(gravityzone, company_id, licensedServices={"mdrServiceOwnUse": 1})

    assert tenant.companies[company_id].subscription["manageEventCorrelator"] is True


def test_mdr_for_partner_turns_mdr_reselling_on(gravityzone, tenant):
    partner_id = create(gravityzone, "Northwind IT Services", company_type=0)

    subscribe(gravityzone, partner_id, licensedServices={"mdrServiceOwnUse": 1})

    assert tenant.companies[partner_id].subscription["licensedServices"]["mdrServiceResell"] is True


def test_edr_in_own_use_brings_companions_in_own_use(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental")

    subscribe(gravityzone, company_id, ownUse={"manageEventCorrelator": True})

    own_use = tenant.companies[company_id].subscription["ownUse"]
    assert (own_use["manageSandboxAnalyzer"], own_use["manageHyperDetect"]) == (True, True)


@pytest.mark.parametrize(
    ("model", "additional"),
    [
        ("aLaCarte", ["aLaCarte"]),
        ("mspSecure", ["mspSecure"]),
        ("mspSecurePlus", ["mspSecure", "mspSecurePlus"]),
        ("mspSecureExtra", ["mspSecure", "mspSecurePlus", "mspSecureExtra"]),
    ],
)
def test_assigned_model_fills_default_additional_models(gravityzone, tenant, model, additional):
    company_id = create(gravityzone, "Northwind IT Services", company_type=0, assignedProtectionModel=model)

    assert tenant.companies[company_id].subscription["additionalProtectionModels"] == additional


def test_omitted_reservation_is_kept(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental", reservedSlots=25)

    subscribe(gravityzone, company_id, manageExchange=True)

    assert tenant.companies[company_id].subscription["reservedSlots"] == 25


def test_end_date_brings_default_renewal_period(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental")

    subscribe(gravityzone, company_id, endSubscription="2030-01-31")

    assert tenant.companies[company_id].subscription["autoRenewPeriod"] == 12


def test_suspend_requires_recursive(gravityzone):
    company_id = create(gravityzone, "Contoso Dental")

    with pytest.raises(InvalidParamsError, match="Missing required parameter 'recursive'"):
        gravityzone.call("companies", "suspendCompany", {"companyId": company_id})


def test_own_company_cannot_be_suspended(gravityzone, tenant):
    with pytest.raises(InvalidParamsError, match="own company"):
        gravityzone.suspend_company(tenant.root_id, recursive=False)


def past_usage(tenant, company_id, year=2026, month=3):
    return own_usage(tenant, tenant.companies[company_id], year, month, now=datetime(2026, 11, 15, tzinfo=UTC))


def backdate(tenant, company_id):
    for entry in tenant.companies[company_id].subscription_history:
        entry[0] = "2000-01-01T00:00:00"


def test_usage_is_the_same_on_every_read(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental", manageExchange=True)
    backdate(tenant, company_id)

    assert past_usage(tenant, company_id) == past_usage(tenant, company_id)


def test_past_usage_ignores_later_subscription_changes(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental")
    backdate(tenant, company_id)
    before = past_usage(tenant, company_id)

    subscribe(gravityzone, company_id, manageExchange=True, manageEventCorrelator=True)

    assert past_usage(tenant, company_id) == before


def test_usage_before_monthly_licence_is_none(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental")

    assert past_usage(tenant, company_id) == {}


def test_usage_counts_only_enabled_add_ons(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental", manageExchange=False)
    backdate(tenant, company_id)

    counters = past_usage(tenant, company_id)[0]

    assert (counters["endpointMonthlyUsage"] > 0, counters["exchangeMonthlyUsage"]) == (True, 0)


def test_current_month_usage_grows_through_month(gravityzone, tenant):
    company_id = create(gravityzone, "Contoso Dental")
    backdate(tenant, company_id)
    company = tenant.companies[company_id]

    early = own_usage(tenant, company, 2026, 11, now=datetime(2026, 11, 2, tzinfo=UTC))[0]
    late = own_usage(tenant, company, 2026, 11, now=datetime(2026, 11, 29, tzinfo=UTC))[0]

    assert early["endpointMonthlyUsage"] <= late["endpointMonthlyUsage"]


def test_partner_usage_includes_companies_below(gravityzone, tenant):
    partner_id = create(gravityzone, "Northwind IT Services", company_type=0)
    customer_id = create(gravityzone, "Contoso Dental", parent_id=partner_id)
    for company_id in (partner_id, customer_id):
        backdate(tenant, company_id)
    tenant.usage_overrides[f"{partner_id} 03/2026"] = {"endpointMonthlyUsage": 2}
    tenant.usage_overrides[f"{customer_id} 03/2026"] = {"endpointMonthlyUsage": 30}

    usage = gravityzone.get_monthly_usage(partner_id, "03/2026")

    assert usage.get("endpointMonthlyUsage") == 32


def test_target_month_in_other_format_is_invalid(gravityzone):
    company_id = create(gravityzone, "Contoso Dental")

    with pytest.raises(InvalidParamsError, match="mm/yyyy"):
        gravityzone.call("licensing", "getMonthlyUsage", {"companyId": company_id, "targetMonth": "2026-03"})


def control(simulator, name, json=None):
    url = simulator.base_url.replace("/api", f"/_simulator/{name}")
    if json is None:
        return httpx.get(url, auth=(API_KEY, ""))
    return httpx.post(url, json=json, auth=(API_KEY, ""))


def test_control_endpoint_sets_usage(gravityzone, simulator, tenant):
    company_id = create(gravityzone, "Contoso Dental")
    backdate(tenant, company_id)

    control(
        simulator, "usage", {"companyId": company_id, "targetMonth": "03/2026", "counters": {"endpointMonthlyUsage": 9}}
    )

    assert gravityzone.get_monthly_usage(company_id, "03/2026").get("endpointMonthlyUsage") == 9


def test_control_endpoint_sets_faults(gravityzone, simulator):
    control(simulator, "faults", {"next": ["server_error"], "methods": ["getCompanyDetails"]})

    assert control(simulator, "faults").json()["next"] == ["server_error"]


def test_control_endpoint_rejects_unknown_fault(simulator):
    response = control(simulator, "faults", {"rates": {"meteor": 0.5}})

    assert response.status_code == 400


def test_control_endpoint_requires_api_key(simulator):
    response = httpx.get(simulator.base_url.replace("/api", "/_simulator/state"))

    assert response.status_code == 401


def test_control_endpoint_dumps_state(gravityzone, simulator):
    company_id = create(gravityzone, "Contoso Dental")

    companies = control(simulator, "state").json()["companies"]

    assert company_id in [company["id"] for company in companies]


def test_subscription_survives_restart(tmp_path):
    tenant = TenantState(path=tmp_path / "state.json")

    with tenant.lock:
        company_id = create_company(tenant, {"type": 1, "name": "Contoso Dental", "licenseSubscription": {"type": 3}})

    reloaded = TenantState(path=tmp_path / "state.json")

    assert reloaded.companies[company_id].subscription["type"] == 3


def test_set_subscription_switches_trial_to_monthly(gravityzone, tenant):
    company_id = gravityzone.call(
        "companies", "createCompany", {"type": 1, "name": "Contoso Dental", "licenseSubscription": {"type": 5}}
    )

    subscribe(gravityzone, company_id, manageExchange=True)

    assert tenant.companies[company_id].subscription["type"] == 3


def test_client_model_must_be_offered_by_parent(gravityzone):
    partner_id = create(gravityzone, "Northwind IT Services", company_type=0, assignedProtectionModel="aLaCarte")

    with pytest.raises(InvalidParamsError, match="does not offer this model"):
        create(gravityzone, "Contoso Dental", parent_id=partner_id, assignedProtectionModel="mspSecure")
