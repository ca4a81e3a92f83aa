"""The finance dashboard, its exports and the company history, against hand-computed figures."""

import csv
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing import dashboard
from billing.exports import neutralize
from billing.models import MonthlyUsage
from companies.models import Company, CompanyType, Subscription
from tests.billing.helpers import OCTOBER, usage_row
from tests.companies.factories import make_customer, make_partner, subscribe

pytestmark = pytest.mark.django_db

DASHBOARD_URL = reverse("admin:billing_monthlyusage_changelist")


@pytest.fixture
def month_of_usage():
    """A partner (50 endpoints, its customer's 30 included) and a customer directly below the root."""
    partner = make_partner()
    subscribe(partner, assigned_protection_model="mspSecure", minimum_endpoints=60)
    below = make_customer(parent=partner)
    subscribe(below, assigned_protection_model="mspSecure")
    direct = make_customer(name="Adventure Works")
    subscribe(direct, reserved_slots=10)
    usage_row(partner, endpoint=50, msp_secure=50, minimum_endpoints=60, edr=5)
    usage_row(below, endpoint=30, msp_secure=30)
    usage_row(direct, endpoint=20, a_la_carte=20, edr=3)
    return partner, below, direct


def test_totals_leave_out_companies_a_partner_covers(month_of_usage):
    sums = dashboard.month_totals(OCTOBER)

    assert (sums["endpoint"], sums["edr"]) == (70, 8)


def test_billable_total_takes_minimum_where_larger(month_of_usage):
    sums = dashboard.month_totals(OCTOBER)

    assert sums["billable"] == 60 + 20


def test_billable_total_counts_commitment_of_company_below_partner():
    partner = make_partner()
    below = make_customer(parent=partner)
    usage_row(partner, endpoint=44)
    usage_row(below, endpoint=6, minimum_endpoints=40)

    sums = dashboard.month_totals(OCTOBER)

    assert sums["billable"] == 44 + (40 - 6)


def test_totals_per_protection_model(month_of_usage):
    sums = dashboard.month_totals(OCTOBER)

    assert dashboard.model_totals(sums) == {
        "À la carte": 20,
        "MSP Secure": 50,
        "MSP Secure Plus": 0,
        "MSP Secure Extra": 0,
    }


def test_company_below_partner_without_licence_row_is_counted():
    partner = make_partner()
    below = make_customer(parent=partner)
    usage_row(partner, has_monthly_license=False)
    usage_row(below, endpoint=30)

    sums = dashboard.month_totals(OCTOBER)

    assert sums["endpoint"] == 30


def test_flags_mark_usage_above_reservation_and_below_commitment(month_of_usage):
    partner, _below, direct = month_of_usage
    rows = {row.company_id: dashboard.row_flags(row) for row in dashboard.month_rows(OCTOBER)}

    assert (rows[partner.pk], rows[direct.pk]) == (["below_commitment"], ["above_reservation"])


def test_flag_filter_keeps_only_flagged_companies(month_of_usage):
    rows = dashboard.month_rows(OCTOBER, dashboard.Filters(flag="above_reservation"))

    assert [row.company.name for row in rows] == ["Adventure Works"]


def test_trend_has_twelve_months_oldest_first(month_of_usage):
    points = dashboard.trend(OCTOBER)

    assert (len(points), points[-1]) == (12, (OCTOBER, 70))


def test_dashboard_states_the_totals_rule(admin_client, month_of_usage):
    page = admin_client.get(DASHBOARD_URL, {"month": "2026-10"}).content.decode()

    assert "includes every company below it" in page


def test_dashboard_shows_no_licence_instead_of_zero(admin_client):
    company = make_customer()
    usage_row(company, has_monthly_license=False)

    page = admin_client.get(DASHBOARD_URL, {"month": "2026-10"}).content.decode()

    assert "No monthly licence" in page


def test_dashboard_with_bad_month_falls_back_with_message(admin_client):
    response = admin_client.get(DASHBOARD_URL, {"month": "October"}, follow=True)

    assert "is not a valid month" in response.content.decode()


def add_rows(count, start=0):
    companies = Company.objects.bulk_create(
        Company(name=f"Customer {number}", name_key=f"customer {number}", company_type=CompanyType.CUSTOMER)
        for number in range(start, start + count)
    )
    Subscription.objects.bulk_create(Subscription(company=company) for company in companies)
    MonthlyUsage.objects.bulk_create(MonthlyUsage(company=company, month=OCTOBER, endpoint=7) for company in companies)


def count_queries(admin_client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_rows(admin_client):
    add_rows(3)
    few = count_queries(admin_client, DASHBOARD_URL, month="2026-10")
    add_rows(600, start=3)

    assert count_queries(admin_client, DASHBOARD_URL, month="2026-10") == few


def test_history_query_count_does_not_grow_with_months(admin_client):
    company = make_customer()
    url = reverse("admin:billing_monthlyusage_history", args=[company.pk])
    usage_row(company)
    few = count_queries(admin_client, url)
    for month in range(1, 10):
        usage_row(company, month=OCTOBER.replace(year=2025, month=month))

    assert count_queries(admin_client, url) == few


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx")],
)
def test_text_that_looks_like_a_formula_is_neutralized(value, expected):
    assert neutralize(value) == expected


def test_numbers_stay_numbers():
    assert neutralize(-5) == -5


def export(admin_client, file_format, **params):
    url = reverse("admin:billing_monthlyusage_export", args=[file_format])
    return admin_client.get(url, {"month": "2026-10", **params})


def test_csv_export_has_the_table_rows(admin_client, month_of_usage):
    response = export(admin_client, "csv")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Adventure Works", "Contoso Dental", "Northwind IT Services"]


def test_csv_export_applies_filters(admin_client, month_of_usage):
    response = export(admin_client, "csv", flag="above_reservation")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Adventure Works"]


def test_csv_export_neutralizes_company_names(admin_client):
    company = make_customer(name="=HYPERLINK(evil)")
    usage_row(company, endpoint=4)

    response = export(admin_client, "csv")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(evil)"


def test_xlsx_export_keeps_numbers_numeric(admin_client):
    company = make_customer(name="=HYPERLINK(evil)")
    usage_row(company, endpoint=4)

    response = export(admin_client, "xlsx")

    workbook = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    # Column J is the endpoints. A number cell has a plain value, a text cell an inline string.
    assert '<c r="J2"><v>4</v></c>' in sheet
    assert "<t>'=HYPERLINK(evil)</t>" in sheet


def test_history_lists_months_newest_first(admin_client):
    company = make_customer()
    usage_row(company, month=OCTOBER.replace(month=9), endpoint=8)
    usage_row(company, endpoint=9)

    response = admin_client.get(reverse("admin:billing_monthlyusage_history", args=[company.pk]))

    assert [row.endpoint for row, _flags in response.context["rows"]] == [9, 8]


def test_export_with_bad_month_exports_nothing(admin_client):
    response = export(admin_client, "csv", month="2026-13")

    assert response.status_code == 302
