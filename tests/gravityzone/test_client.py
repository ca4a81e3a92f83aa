"""Every client method against the simulator over loopback HTTP."""

import base64
import logging

import pytest

from gravityzone import GravityZoneClient
from gravityzone.errors import ApiError, AuthenticationError, InvalidParamsError, TransientError
from gravityzone.types import (
    CompanyChanges,
    CompanyType,
    LicenseType,
    MonthlySubscription,
    ProductType,
    ProtectionModel,
)
from tests.gravityzone.helpers import customer, monthly, partner
from tests.services import API_KEY, running_simulator

MONTH = "03/2026"


def test_create_company_returns_new_id(gravityzone, tenant):
    company_id = gravityzone.create_company(partner())

    assert tenant.companies[company_id].name == "Northwind IT Services"


def test_create_company_places_it_below_parent(gravityzone, tenant):
    partner_id = gravityzone.create_company(partner())

    customer_id = gravityzone.create_company(customer(parent_id=partner_id))

    assert tenant.companies[customer_id].parent_id == partner_id


def test_get_company_details_parses_company(gravityzone):
    company_id = gravityzone.create_company(customer(address="1 Main St"))

    details = gravityzone.get_company_details(company_id)

    assert (details.id, details.name, details.type) == (company_id, "Contoso Dental", CompanyType.CUSTOMER)


def test_get_company_details_keeps_unknown_fields(gravityzone):
    company_id = gravityzone.create_company(customer(address="1 Main St"))

    details = gravityzone.get_company_details(company_id)

    assert details.extra["address"] == "1 Main St"


def test_get_company_details_defaults_to_own_company(gravityzone, tenant):
    assert gravityzone.get_company_details().id == tenant.root_id


def test_update_company_details_renames(gravityzone, tenant):
    company_id = gravityzone.create_company(customer())

    gravityzone.update_company_details(company_id, CompanyChanges(name="Contoso Clinics"))

    assert tenant.companies[company_id].name == "Contoso Clinics"


def test_find_company_by_exact_name_ignores_prefix_matches(gravityzone):
    gravityzone.create_company(customer(name="Acme Holdings"))
    acme_id = gravityzone.create_company(customer(name="Acme"))

    found = gravityzone.find_company_by_exact_name("  ACME ")

    assert found.id == acme_id


def test_find_company_by_exact_name_returns_none_without_match(gravityzone):
    gravityzone.create_company(customer(name="Acme Holdings"))

    assert gravityzone.find_company_by_exact_name("Acme") is None


def test_create_company_once_reuses_company_an_earlier_attempt_created(gravityzone, tenant):
    first_id = gravityzone.create_company(customer())

    second_id = gravityzone.create_company_once(customer())

    assert second_id == first_id
    assert [company.name for company in tenant.companies.values()].count("Contoso Dental") == 1


def test_create_company_once_rejects_same_name_below_another_partner(gravityzone):
    partner_id = gravityzone.create_company(partner())
    gravityzone.create_company(customer())

    with pytest.raises(ApiError, match="below another partner"):
        gravityzone.create_company_once(customer(parent_id=partner_id))


def test_duplicate_name_raises_api_error(gravityzone):
    gravityzone.create_company(customer())

    with pytest.raises(ApiError) as caught:
        gravityzone.create_company(customer(name="CONTOSO dental"))

    assert "already exists" in caught.value.details


def test_invalid_params_carry_details(gravityzone):
    with pytest.raises(InvalidParamsError) as caught:
        gravityzone.create_company(customer(name="x" * 65))

    assert caught.value.details == "Invalid value for 'name': at most 64 characters are allowed."


def test_delete_company_removes_it(gravityzone, tenant):
    company_id = gravityzone.create_company(customer())

    gravityzone.delete_company(company_id)

    assert company_id not in tenant.companies


def test_delete_partner_with_companies_is_refused(gravityzone):
    partner_id = gravityzone.create_company(partner())
    gravityzone.create_company(customer(parent_id=partner_id))

    with pytest.raises(ApiError, match="still manages other companies"):
        gravityzone.delete_company(partner_id)


def test_suspend_recursive_suspends_companies_below(gravityzone, tenant):
    partner_id = gravityzone.create_company(partner())
    customer_id = gravityzone.create_company(customer(parent_id=partner_id))

    gravityzone.suspend_company(partner_id, recursive=True)

    assert tenant.companies[customer_id].is_suspended


def test_suspend_alone_leaves_companies_below_active(gravityzone, tenant):
    partner_id = gravityzone.create_company(partner())
    customer_id = gravityzone.create_company(customer(parent_id=partner_id))

    gravityzone.suspend_company(partner_id, recursive=False)

    assert (tenant.companies[partner_id].is_suspended, tenant.companies[customer_id].is_suspended) == (True, False)


def test_activate_recursive_reactivates_companies_below(gravityzone, tenant):
    partner_id = gravityzone.create_company(partner())
    customer_id = gravityzone.create_company(customer(parent_id=partner_id))
    gravityzone.suspend_company(partner_id, recursive=True)

    gravityzone.activate_company(partner_id, recursive=True)

    assert not tenant.companies[customer_id].is_suspended


def test_suspension_shows_in_company_details(gravityzone):
    company_id = gravityzone.create_company(customer())

    gravityzone.suspend_company(company_id, recursive=False)

    assert gravityzone.get_company_details(company_id).is_suspended


def test_set_monthly_subscription_applies_edr_coupling(gravityzone, tenant):
    company_id = gravityzone.create_company(customer(license_subscription=monthly()))

    gravityzone.set_monthly_subscription(company_id, MonthlySubscription(manage_event_correlator=True))

    subscription = tenant.companies[company_id].subscription
    assert (subscription["manageSandboxAnalyzer"], subscription["manageHyperDetect"]) == (True, True)


def test_license_info_reports_subscription(gravityzone):
    subscription = monthly(reserved_slots=25, assigned_protection_model=ProtectionModel.MSP_SECURE)
    company_id = gravityzone.create_company(customer(license_subscription=subscription))

    info = gravityzone.get_license_info(company_id)

    assert (info.subscription_type, info.total_slots) == (LicenseType.MONTHLY_SUBSCRIPTION, 25)


def test_license_info_without_reservation_has_no_total(gravityzone):
    company_id = gravityzone.create_company(customer(license_subscription=monthly()))

    assert gravityzone.get_license_info(company_id).total_slots is None


def test_license_info_keeps_add_on_flags(gravityzone):
    company_id = gravityzone.create_company(customer(license_subscription=monthly(manage_exchange=True)))

    assert gravityzone.get_license_info(company_id).flags["manageExchange"] is True


def test_monthly_usage_of_trial_company_is_none(gravityzone):
    company_id = gravityzone.create_company(customer())

    assert gravityzone.get_monthly_usage(company_id, MONTH) is None


def test_monthly_usage_matches_override(gravityzone, simulator):
    company_id = gravityzone.create_company(customer(license_subscription=monthly()))
    _backdate_subscription(simulator, company_id)
    simulator.simulator.tenant.usage_overrides[f"{company_id} {MONTH}"] = {"endpointMonthlyUsage": 42}

    usage = gravityzone.get_monthly_usage(company_id, MONTH)

    assert usage.get("endpointMonthlyUsage") == 42


def test_monthly_usage_per_product_type_sums_entries(gravityzone, simulator):
    partner_id = gravityzone.create_company(partner(license_subscription=monthly()))
    edr_subscription = monthly(assigned_product_type=ProductType.EDR)
    edr_id = gravityzone.create_company(customer(parent_id=partner_id, license_subscription=edr_subscription))
    for company_id in (partner_id, edr_id):
        _backdate_subscription(simulator, company_id)
    tenant = simulator.simulator.tenant
    tenant.usage_overrides[f"{partner_id} {MONTH}"] = {"endpointMonthlyUsage": 3}
    tenant.usage_overrides[f"{edr_id} {MONTH}"] = {"endpointMonthlyUsage": 40, "edrMonthlyUsage": 40}

    total = gravityzone.get_monthly_usage_per_product_type(partner_id, MONTH).total()

    assert (total.get("endpointMonthlyUsage"), total.get("edrMonthlyUsage")) == (43, 40)


def test_get_companies_list_returns_direct_children(gravityzone):
    partner_id = gravityzone.create_company(partner())
    gravityzone.create_company(customer(parent_id=partner_id))
    customer_id = gravityzone.create_company(customer(name="Adventure Works"))

    children = gravityzone.get_companies_list(company_type=CompanyType.CUSTOMER)

    assert [child.id for child in children] == [customer_id]


def test_get_companies_list_of_customer_is_invalid(gravityzone):
    customer_id = gravityzone.create_company(customer())

    with pytest.raises(InvalidParamsError):
        gravityzone.get_companies_list(customer_id)


def test_api_key_details_list_enabled_apis(gravityzone):
    assert gravityzone.get_api_key_details().enabled_apis == ("companies", "general", "licensing", "network")


def test_unknown_key_raises_authentication_error(client_for):
    with pytest.raises(AuthenticationError) as caught:
        client_for("not-the-key").get_company_details()

    assert caught.value.http_status == 401


def test_key_without_api_scope_raises_authentication_error():
    with (
        running_simulator(enabled_apis=("companies",)) as simulator,
        GravityZoneClient(simulator.base_url, API_KEY) as client,
        pytest.raises(AuthenticationError),
    ):
        client.get_companies_list()


def test_unreachable_server_raises_transient_error_not_sent():
    # Port 9 (discard) is closed on loopback here, so the connection is refused at once.
    with (
        GravityZoneClient("http://127.0.0.1:9/api", "key", sleep=lambda seconds: None) as client,
        pytest.raises(TransientError) as caught,
    ):
        client.get_company_details("0" * 24)

    assert caught.value.request_sent is False


def test_client_repr_leaves_out_api_key():
    with GravityZoneClient("http://127.0.0.1:9/api", "super-secret-key") as client:
        assert "super-secret-key" not in repr(client)


def test_api_key_never_reaches_debug_logs(client_for, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for()
    client.create_company(customer())

    with pytest.raises(AuthenticationError) as caught:
        client_for("wrong-key-value").get_company_details()

    for key in (API_KEY, "wrong-key-value"):
        basic_credentials = base64.b64encode(f"{key}:".encode()).decode()
        assert key not in caplog.text
        assert basic_credentials not in caplog.text
        assert key not in str(caught.value)


def _backdate_subscription(simulator, company_id):
    """Make the company's current subscription count for MONTH too."""
    company = simulator.simulator.tenant.companies[company_id]
    for entry in company.subscription_history:
        entry[0] = "2000-01-01T00:00:00"
