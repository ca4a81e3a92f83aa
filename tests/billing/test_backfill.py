import pytest
from django.core.management import CommandError, call_command

from billing.models import MonthlyUsage, UsagePull
from tests.billing.helpers import make_customer, pushed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("use_simulator")]


def test_backfill_pulls_each_month_of_range(tenant, capsys):
    company = pushed(make_customer(), tenant)

    call_command("backfill_usage", "2026-08", "2026-10")

    months = sorted(MonthlyUsage.objects.filter(company=company).values_list("month", flat=True))
    assert [f"{month:%Y-%m}" for month in months] == ["2026-08", "2026-09", "2026-10"]


def test_backfill_shows_progress(tenant, capsys):
    pushed(make_customer(), tenant)

    call_command("backfill_usage", "2026-10")

    assert "10/2026 [##############################] 1/1" in capsys.readouterr().out


def test_backfill_of_named_company_only(tenant):
    wanted = pushed(make_customer(), tenant)
    pushed(make_customer(name="Fabrikam Logistics"), tenant)

    call_command("backfill_usage", "2026-10", company=["Contoso Dental"])

    assert list(MonthlyUsage.objects.values_list("company", flat=True)) == [wanted.pk]


def test_backfill_records_the_pull(tenant):
    pushed(make_customer(), tenant)

    call_command("backfill_usage", "2026-10")

    assert UsagePull.objects.get().trigger == "backfill"


def test_unknown_company_is_a_command_error():
    with pytest.raises(CommandError, match="Nobody Ltd \\(no such company\\)"):
        call_command("backfill_usage", "2026-10", company=["Nobody Ltd"])


def test_month_in_other_format_is_a_command_error():
    with pytest.raises(CommandError, match="is not a valid month"):
        call_command("backfill_usage", "10/2026")


def test_reversed_range_is_a_command_error():
    with pytest.raises(CommandError, match="give the earlier month first"):
        call_command("backfill_usage", "2026-10", "2026-08")


def test_future_month_is_a_command_error():
    with pytest.raises(CommandError, match="has not started yet"):
        call_command("backfill_usage", "2999-01")
