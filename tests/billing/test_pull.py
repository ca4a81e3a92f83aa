"""Pulling monthly usage from the simulator into usage rows."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from billing import pull
from billing.models import COUNTER_COLUMNS, MonthlyUsage, UsagePull
from billing.months import current_month, previous_month, target_month
from billing.tasks import pull_company_usage, pull_usage
from companies.models import ApiCall
from companies.tasks import MAX_PUSH_RETRIES
from gravityzone.simulator.faults import FaultPlan
from gravityzone.types import USAGE_COUNTERS
from tests.billing.helpers import MARKETPLACE_USAGE, OCTOBER, make_customer, make_partner, pushed, set_usage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("use_simulator")]


def pull_october(companies):
    usage_pull = pull.start_pull(
        OCTOBER, pull.billable_companies().filter(pk__in=[c.pk for c in companies]), trigger="test"
    )
    for company in companies:
        pull.pull_company(usage_pull.pk, company.pk, OCTOBER)
    return UsagePull.objects.get(pk=usage_pull.pk)


def test_every_documented_counter_has_a_column():
    assert [counter for _column, counter in COUNTER_COLUMNS] == list(USAGE_COUNTERS)


def test_marketplace_example_is_stored_counter_by_counter(tenant):
    company = pushed(make_customer(), tenant)
    set_usage(tenant, company, MARKETPLACE_USAGE)

    pull_october([company])

    row = MonthlyUsage.objects.get(company=company, month=OCTOBER)
    assert {counter: getattr(row, column) for column, counter in COUNTER_COLUMNS} == MARKETPLACE_USAGE


def test_target_month_is_sent_as_month_and_year(tenant):
    company = pushed(make_customer(), tenant)

    pull_october([company])

    params = ApiCall.objects.filter(method="getMonthlyUsage").values_list("params", flat=True)
    assert [call["targetMonth"] for call in params] == ["10/2026"]


def test_zero_result_means_no_monthly_licence(tenant):
    company = pushed(make_customer(), tenant, license_type=5, assigned_protection_model="")
    tenant.companies[company.gravityzone_id].subscription["type"] = 1
    for entry in tenant.companies[company.gravityzone_id].subscription_history:
        entry[1]["type"] = 1

    pull_october([company])

    assert MonthlyUsage.objects.get(company=company).has_monthly_license is False


def test_rerun_replaces_figures_instead_of_adding(tenant):
    company = pushed(make_customer(), tenant)
    set_usage(tenant, company, {"endpointMonthlyUsage": 12})
    pull_october([company])

    pull_october([company])

    assert list(MonthlyUsage.objects.values_list("endpoint", flat=True)) == [12]


def test_product_entries_are_summed(tenant):
    partner = pushed(make_partner(), tenant, additional_product_types=[0, 3])
    edr_customer = pushed(make_customer(parent=partner), tenant, assigned_product_type=3, assigned_protection_model="")
    set_usage(tenant, partner, {"endpointMonthlyUsage": 5})
    set_usage(tenant, edr_customer, {"endpointMonthlyUsage": 40, "edrMonthlyUsage": 40})

    pull_october([partner])

    row = MonthlyUsage.objects.get(company=partner)
    assert (row.endpoint, row.edr) == (45, 40)


def test_minimum_usage_is_stored(tenant):
    company = pushed(make_customer(), tenant, minimum_endpoints=25)

    pull_october([company])

    assert MonthlyUsage.objects.get(company=company).minimum_endpoints == 25


def test_overlapping_pull_of_same_month_is_refused(tenant):
    company = pushed(make_customer(), tenant)
    pull.start_pull(OCTOBER, pull.billable_companies(), trigger="test")

    with pytest.raises(pull.PullAlreadyRunning):
        pull.start_pull(OCTOBER, pull.billable_companies(), trigger="test")
    assert company


def test_pull_finishes_when_every_company_is_handled(tenant):
    companies = [pushed(make_customer(name=f"Customer {number}"), tenant) for number in range(2)]

    usage_pull = pull_october(companies)

    assert usage_pull.companies_done == 2
    assert usage_pull.finished_at is not None


def test_failed_company_is_listed_on_the_pull(tenant, simulator):
    company = pushed(make_customer(), tenant)
    usage_pull = pull.start_pull(OCTOBER, pull.billable_companies(), trigger="test")
    simulator.simulator.fault_plan = FaultPlan(rates={"server_error": 1.0})

    pull_company_usage.apply(args=[usage_pull.pk, company.pk, OCTOBER.isoformat()], retries=MAX_PUSH_RETRIES)

    usage_pull.refresh_from_db()
    assert [failure["company"] for failure in usage_pull.failures] == ["Contoso Dental"]
    assert usage_pull.finished_at is not None


def test_scheduled_pull_queues_one_task_per_company(tenant, django_capture_on_commit_callbacks, published_tasks):
    companies = [pushed(make_customer(name=f"Customer {number}"), tenant) for number in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        pull_usage(OCTOBER.isoformat(), trigger="schedule")

    assert sorted(args[1] for _name, args, _kwargs in published_tasks) == sorted(c.pk for c in companies)


def test_previous_month_is_decided_in_utc_far_from_utc():
    # 13:30 on 1 December in Kiritimati (UTC+14) is still 30 November in UTC.
    now = datetime.datetime(2026, 12, 1, 13, 30, tzinfo=ZoneInfo("Pacific/Kiritimati"))

    assert (current_month(now), previous_month(now)) == (datetime.date(2026, 11, 1), datetime.date(2026, 10, 1))


def test_month_after_midnight_utc_is_the_new_one():
    now = datetime.datetime(2026, 12, 1, 0, 0, 1, tzinfo=datetime.UTC)

    assert target_month(previous_month(now)) == "11/2026"


def test_beat_pulls_previous_month_early_on_the_first():
    task = PeriodicTask.objects.select_related("crontab").get(task="billing.tasks.pull_previous_month")

    assert (task.crontab.day_of_month, task.crontab.hour, str(task.crontab.timezone)) == ("1", "2", "UTC")


def test_beat_refreshes_current_month_daily():
    task = PeriodicTask.objects.select_related("crontab").get(task="billing.tasks.refresh_current_month")

    assert (task.crontab.day_of_month, task.crontab.hour) == ("*", "3")


def test_schedules_are_not_reset_by_settings():
    assert not settings.CELERY_BEAT_SCHEDULE
