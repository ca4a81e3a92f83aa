"""Pushing companies with their subscriptions to the simulator, faults included."""

import pytest

from companies import sync
from companies.audit import redact
from companies.models import ApiCall, Company, SyncState
from gravityzone.errors import RateLimitedError, TransientError
from gravityzone.simulator.faults import FaultPlan
from tests.companies.admin_forms import change_url, company_errors, form_data
from tests.companies.factories import make_customer, make_partner, subscribe
from tests.companies.mirror import differences

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("use_simulator")]


def push_until_done(company, attempts=12):
    """Push as the Celery task does, retrying what may pass, and return the reloaded company."""
    for _ in range(attempts):
        try:
            sync.push_company(company.pk)
        except (TransientError, RateLimitedError):
            continue
        company.refresh_from_db()
        if company.sync_state != SyncState.PENDING:
            return company
    raise AssertionError(f"{company} still pending after {attempts} attempts")


def build_tree():
    partner = make_partner()
    subscribe(
        partner,
        reserved_slots=200,
        assigned_protection_model="mspSecure",
        additional_protection_models=["mspSecure", "aLaCarte"],
        additional_product_types=[0, 3],
        resell_event_correlator=True,
        manage_exchange=True,
    )
    customer = make_customer(parent=partner)
    subscribe(customer, reserved_slots=20, manage_event_correlator=True, manage_container_protection=True)
    trial = make_customer(name="Tailspin Toys", parent=partner)
    subscribe(trial, license_type=5, assigned_protection_model="", manage_sandbox_analyzer=True)
    return [partner, customer, trial]


def test_pushed_tree_matches_simulator(tenant):
    companies = [push_until_done(company) for company in build_tree()]

    assert [difference for company in companies for difference in differences(company, tenant)] == []


def test_faults_leave_simulator_matching_without_duplicates(simulator, tenant):
    simulator.simulator.fault_plan = FaultPlan(
        upcoming=["lost_response", "server_error", "html_error", "rate_limited", "lost_response"]
    )

    companies = [push_until_done(company) for company in build_tree()]

    names = [company.name for company in tenant.companies.values()]
    assert [difference for company in companies for difference in differences(company, tenant)] == []
    assert len(names) == len(set(names))


def test_subscription_change_reaches_simulator(tenant):
    partner, customer, _trial = [push_until_done(company) for company in build_tree()]
    customer.subscription.manage_patch_management = True
    customer.subscription.reserved_slots = None
    customer.subscription.save()
    sync.request_push([customer.pk], subscription=True)

    push_until_done(customer)

    assert differences(Company.objects.get(pk=customer.pk), tenant) == []


def test_lost_subscription_response_is_sent_again(simulator, tenant):
    customer = push_until_done(build_tree()[0])
    customer.subscription.manage_mobile_security = True
    customer.subscription.save()
    sync.request_push([customer.pk], subscription=True)
    simulator.simulator.fault_plan = FaultPlan(
        upcoming=["lost_response"], methods=frozenset({"setMonthlySubscription"})
    )

    push_until_done(customer)

    assert differences(Company.objects.get(pk=customer.pk), tenant) == []


def test_trial_switched_to_monthly_becomes_monthly_in_simulator(tenant):
    _partner, _customer, trial = [push_until_done(company) for company in build_tree()]
    trial.subscription.license_type = 3
    trial.subscription.assigned_protection_model = "mspSecure"
    trial.subscription.save()
    sync.request_push([trial.pk], subscription=True)

    push_until_done(trial)

    assert tenant.companies[trial.gravityzone_id].subscription["type"] == 3


def test_xdr_resell_switches_client_sensors_on_here_too(tenant):
    partner, customer, _trial = [push_until_done(company) for company in build_tree()]
    partner.subscription.resell_xdr = True
    partner.subscription.save()
    sync.request_push([partner.pk], subscription=True)

    push_until_done(partner)

    customer.subscription.refresh_from_db()
    assert customer.subscription.manage_xdr_network is True
    assert differences(Company.objects.get(pk=customer.pk), tenant) == []


def test_moving_clients_is_sent_once(tenant):
    partner, customer, _trial = [push_until_done(company) for company in build_tree()]
    partner.subscription.clients_protection_model_change = "aLaCarte"
    partner.subscription.save()
    sync.request_push([partner.pk], subscription=True)

    push_until_done(partner)

    partner.subscription.refresh_from_db()
    customer.subscription.refresh_from_db()
    assert (partner.subscription.clients_protection_model_change, customer.subscription.assigned_protection_model) == (
        "",
        "aLaCarte",
    )


def test_every_call_is_recorded_with_outcome(simulator):
    simulator.simulator.fault_plan = FaultPlan(upcoming=["server_error"])
    partner = build_tree()[0]

    push_until_done(partner)

    calls = list(ApiCall.objects.filter(company=partner).order_by("started_at").values_list("method", "outcome"))
    assert calls == [
        ("findCompaniesByName", "failed"),
        ("findCompaniesByName", "success"),
        ("createCompany", "success"),
    ]


def test_recorded_call_names_who_triggered_it(admin_user):
    partner = build_tree()[0]
    sync.request_push([partner.pk], user=admin_user)

    push_until_done(partner)

    assert set(ApiCall.objects.filter(company=partner).values_list("triggered_by", flat=True)) == {admin_user.pk}


def test_secret_params_are_redacted():
    assert redact({"licenseSubscription": {"type": 2, "licenseKey": "ABCD-1234"}}) == {
        "licenseSubscription": {"type": 2, "licenseKey": "[redacted]"}
    }


def test_stale_form_is_refused_with_reason(admin_client, admin_user):
    partner = make_partner()
    subscription = subscribe(partner)
    stale_form = form_data(partner, subscription, name="Northwind Security")
    Company.objects.filter(pk=partner.pk).update(version=partner.version + 1, updated_by=admin_user)

    response = admin_client.post(change_url(partner), stale_form)

    assert "changed this company" in company_errors(response)["__all__"][0]


def test_stale_form_changes_nothing(admin_client):
    partner = make_partner()
    subscription = subscribe(partner)
    stale_form = form_data(partner, subscription, name="Northwind Security")
    Company.objects.filter(pk=partner.pk).update(version=partner.version + 1)

    admin_client.post(change_url(partner), stale_form)

    assert Company.objects.get(pk=partner.pk).name == "Northwind IT Services"
