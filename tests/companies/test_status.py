"""Suspending and reactivating companies against the simulator, calling the task body here."""

import pytest
from django.urls import reverse

from companies import status
from companies.choices import CompanyStatus, StatusAction
from companies.models import ApiCall, Company, StatusChange
from companies.tasks import MAX_PUSH_RETRIES
from companies.tasks import change_status as change_status_task
from gravityzone.errors import RateLimitedError, TransientError
from gravityzone.simulator.faults import FaultPlan
from tests.companies.admin_forms import LIST_URL
from tests.companies.factories import make_customer, make_partner
from tests.companies.test_push_subscription import push_until_done

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("use_simulator")]


@pytest.fixture
def tree():
    """A partner with a customer and a sub-partner that has a customer of its own, all pushed."""
    partner = make_partner()
    reseller = make_partner(name="Blue Yonder MSP", parent=partner)
    companies = {
        "partner": partner,
        "customer": make_customer(parent=partner),
        "reseller": reseller,
        "reseller customer": make_customer(name="Tailspin Toys", parent=reseller),
    }
    for company in companies.values():
        push_until_done(company)
    return {key: Company.objects.get(pk=company.pk) for key, company in companies.items()}


def run_status_change(status_change, attempts=12):
    """Run each target's call as the Celery task would, retrying what may pass."""
    for target in status_change.targets.all():
        for _ in range(attempts):
            try:
                status.change_status(status_change.pk, target.company_id)
                break
            except (TransientError, RateLimitedError):
                continue


def suspend(companies, recursive, reason="Invoice 2026-118 unpaid"):
    queryset = Company.objects.filter(pk__in=[company.pk for company in companies])
    return status.request_status_change(queryset, StatusAction.SUSPEND, recursive=recursive, reason=reason, user=None)


def statuses(tree, tenant):
    """Return {key: (status here, suspended in the simulator)}."""
    result = {}
    for key, company in tree.items():
        company.refresh_from_db()
        result[key] = (company.status, tenant.companies[company.gravityzone_id].is_suspended)
    return result


def test_recursive_suspension_suspends_whole_tree(tree, tenant):
    run_status_change(suspend([tree["partner"]], recursive=True))

    assert set(statuses(tree, tenant).values()) == {(CompanyStatus.SUSPENDED, True)}


def test_suspension_alone_leaves_companies_below_active(tree, tenant):
    run_status_change(suspend([tree["partner"]], recursive=False))

    assert statuses(tree, tenant) == {
        "partner": (CompanyStatus.SUSPENDED, True),
        "customer": (CompanyStatus.ACTIVE, False),
        "reseller": (CompanyStatus.ACTIVE, False),
        "reseller customer": (CompanyStatus.ACTIVE, False),
    }


def test_recursive_reactivation_reactivates_whole_tree(tree, tenant):
    run_status_change(suspend([tree["partner"]], recursive=True))
    queryset = Company.objects.filter(pk=tree["partner"].pk)

    reactivation = status.request_status_change(
        queryset, StatusAction.ACTIVATE, recursive=True, reason="Invoice paid", user=None
    )
    run_status_change(reactivation)

    assert set(statuses(tree, tenant).values()) == {(CompanyStatus.ACTIVE, False)}


def test_suspension_is_pending_until_confirmed(tree):
    suspend([tree["partner"]], recursive=True)

    tree["reseller customer"].refresh_from_db()
    assert (tree["reseller customer"].status, tree["reseller customer"].status_pending) == ("active", "suspend")


def test_failure_midway_marks_only_what_gravityzone_did(tree, simulator, tenant):
    # The first call (the reseller's) goes through; every later one fails until the retries run out.
    simulator.simulator.fault_plan = FaultPlan(upcoming=["none", *["server_error"] * 40])
    status_change = suspend([tree["customer"], tree["reseller"]], recursive=True)

    for target in status_change.targets.all():
        change_status_task.apply(args=[status_change.pk, target.company_id], retries=MAX_PUSH_RETRIES)

    found = statuses(tree, tenant)
    assert all((here == CompanyStatus.SUSPENDED) == remote for here, remote in found.values()), found
    assert sorted(key for key, (here, _remote) in found.items() if here == CompanyStatus.SUSPENDED) == [
        "reseller",
        "reseller customer",
    ]


def test_failed_change_shows_error_and_clears_pending(tree, simulator):
    simulator.simulator.fault_plan = FaultPlan(upcoming=["server_error"] * 40)
    status_change = suspend([tree["customer"]], recursive=False)

    change_status_task.apply(args=[status_change.pk, tree["customer"].pk], retries=MAX_PUSH_RETRIES)

    tree["customer"].refresh_from_db()
    assert (tree["customer"].status, tree["customer"].status_pending) == ("active", "")
    assert "could not be reached" in tree["customer"].status_error


def test_company_below_selected_one_needs_no_call(tree):
    status_change = suspend([tree["partner"], tree["reseller customer"]], recursive=True)

    assert list(status_change.targets.values_list("company", flat=True)) == [tree["partner"].pk]


def test_company_not_in_gravityzone_is_left_out():
    company = make_customer()

    assert suspend([company], recursive=False) is None


def test_suspension_is_kept_in_history_with_reason(tree, admin_user):
    queryset = Company.objects.filter(pk=tree["customer"].pk)
    status_change = status.request_status_change(
        queryset, StatusAction.SUSPEND, recursive=False, reason="Invoice 2026-118 unpaid", user=admin_user
    )

    run_status_change(status_change)

    record = tree["customer"].history.latest()
    assert (record.status, record.history_user, record.history_change_reason) == (
        "suspended",
        admin_user,
        "Suspend: Invoice 2026-118 unpaid",
    )


def test_progress_counts_outcomes(tree):
    status_change = suspend([tree["customer"], tree["reseller"]], recursive=False)
    status.change_status(status_change.pk, tree["customer"].pk)

    assert status.progress(status_change) == {"pending": 1, "done": 1, "failed": 0}


def post_action(client, action, companies, **fields):
    data = {"action": action, "_selected_action": [company.pk for company in companies], **fields}
    return client.post(LIST_URL, data)


def test_confirmation_lists_count_and_names(admin_client, tree):
    response = post_action(admin_client, "suspend_companies", [tree["customer"], tree["reseller"]])

    page = response.content.decode()
    assert "Suspend 2 companies in GravityZone" in page
    assert "Blue Yonder MSP, Contoso Dental" in page


def test_confirmation_requires_reason_and_scope(admin_client, tree):
    response = post_action(admin_client, "suspend_companies", [tree["customer"]], apply="1")

    errors = response.context["form"].errors
    assert set(errors) == {"reason", "recursive"}


def test_confirmed_action_queues_and_shows_progress(admin_client, tree):
    response = post_action(
        admin_client, "suspend_companies", [tree["customer"]], apply="1", recursive="no", reason="Unpaid"
    )

    status_change = StatusChange.objects.get()
    assert response.url == reverse("admin:companies_statuschange_change", args=[status_change.pk])


def test_licence_refresh_stores_licence_info(tree):
    status.refresh_license_info(tree["customer"].pk)

    tree["customer"].refresh_from_db()
    assert tree["customer"].license_info["subscriptionType"] == 1


def test_retry_note_shows_on_pending_target(tree):
    status_change = suspend([tree["customer"]], recursive=False)

    status.record_retry(status_change.pk, tree["customer"].pk, "Attempt 1 failed (timed out); trying again.")

    target = status_change.targets.get()
    assert (target.outcome, target.error) == ("pending", "Attempt 1 failed (timed out); trying again.")


def test_licence_refresh_records_who_asked(tree, admin_user):
    status.refresh_license_info(tree["customer"].pk, triggered_by_id=admin_user.pk)

    call = ApiCall.objects.get(method="getLicenseInfo")
    assert call.triggered_by == admin_user
