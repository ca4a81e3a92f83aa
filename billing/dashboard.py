"""The figures of the finance dashboard, for one month or one company.

GravityZone reports a partner's usage with the usage of every company below it. Totals
therefore add up only the companies that no company above them already covers: a row counts
unless one of its ancestors has a monthly licence row for the same month.
"""

from dataclasses import dataclass

from django.db.models import F

from billing.models import COUNTER_COLUMNS, MonthlyUsage
from billing.months import add_months
from companies.choices import ProtectionModel
from companies.models import Company

TOTALS_RULE = (
    "A partner's usage in GravityZone includes every company below it, so usage totals add up only "
    "the companies that no partner above them in this list already covers. Billable endpoints add "
    "to that, for every company, the part of its minimum commitment its own usage falls short of."
)

FLAGS = {
    "above_reservation": "usage above the reserved seats",
    "below_commitment": "usage below the minimum commitment",
    "no_licence": "no monthly licence",
}

MODEL_COLUMNS = {
    ProtectionModel.A_LA_CARTE: "a_la_carte",
    ProtectionModel.MSP_SECURE: "msp_secure",
    ProtectionModel.MSP_SECURE_PLUS: "msp_secure_plus",
    ProtectionModel.MSP_SECURE_EXTRA: "msp_secure_extra",
}


@dataclass(frozen=True)
class Filters:
    company_type: int | None = None
    search: str = ""
    flag: str = ""


def month_rows(month, filters=Filters()):
    """Return the month's usage rows with their company, filtered, in one query."""
    rows = MonthlyUsage.objects.filter(month=month).select_related(
        "company", "company__parent", "company__subscription"
    )
    if filters.company_type is not None:
        rows = rows.filter(company__company_type=filters.company_type)
    if filters.search:
        rows = rows.filter(company__name__icontains=filters.search)
    if filters.flag == "above_reservation":
        rows = rows.filter(has_monthly_license=True, endpoint__gt=F("company__subscription__reserved_slots"))
    elif filters.flag == "below_commitment":
        rows = rows.filter(has_monthly_license=True, endpoint__lt=F("minimum_endpoints"))
    elif filters.flag == "no_licence":
        rows = rows.filter(has_monthly_license=False)
    return rows.order_by("company__name")


def row_flags(row):
    """Return the FLAGS keys that apply to one usage row."""
    if not row.has_monthly_license:
        return ["no_licence"]
    flags = []
    subscription = getattr(row.company, "subscription", None)
    reserved = subscription.reserved_slots if subscription else None
    if reserved is not None and row.endpoint > reserved:
        flags.append("above_reservation")
    if row.minimum_endpoints is not None and row.endpoint < row.minimum_endpoints:
        flags.append("below_commitment")
    return flags


def month_totals(month):
    """Return {column: sum} of every counter for a month, and "billable", following TOTALS_RULE."""
    counted = counted_rows(month, month)
    sums = {column: sum(row[column] for row in counted) for column, _counter in COUNTER_COLUMNS}

    # Every company's commitment counts, a partner's companies' included, but only the part its
    # own usage does not cover already.
    commitments = MonthlyUsage.objects.filter(month=month, has_monthly_license=True, minimum_endpoints__isnull=False)
    shortfall = sum(
        max(minimum - endpoints, 0) for endpoints, minimum in commitments.values_list("endpoint", "minimum_endpoints")
    )
    sums["billable"] = sums["endpoint"] + shortfall
    return sums


def model_totals(sums):
    return {model.label: sums[column] for model, column in MODEL_COLUMNS.items()}


def trend(last_month, months=12):
    """Return [(month, total endpoints)] for the `months` months up to `last_month`, oldest first."""
    first = add_months(last_month, -(months - 1))
    by_month = {}
    for row in counted_rows(first, last_month, columns=["endpoint"]):
        by_month[row["month"]] = by_month.get(row["month"], 0) + row["endpoint"]
    return [(add_months(first, index), by_month.get(add_months(first, index), 0)) for index in range(months)]


def counted_rows(first, last, columns=None):
    """Return the rows totals add up, from `first` to `last`: those no ancestor's row covers.

    Rows are dicts of `columns` (every counter by default). Two queries, however many
    companies and months.
    """
    columns = columns or [column for column, _counter in COUNTER_COLUMNS]
    rows = list(
        MonthlyUsage.objects.filter(month__gte=first, month__lte=last, has_monthly_license=True).values(
            "month", "company_id", "minimum_endpoints", *columns
        )
    )
    parents = dict(Company.objects.values_list("pk", "parent_id"))
    covered = {(row["month"], row["company_id"]) for row in rows}

    counted = []
    for row in rows:
        ancestor = parents.get(row["company_id"])
        while ancestor is not None and (row["month"], ancestor) not in covered:
            ancestor = parents.get(ancestor)
        if ancestor is None:
            counted.append(row)
    return counted


def trend_svg_bars(points, *, width=720, height=180):
    """Return the bars of a trend chart: (x, y, bar width, bar height, label, value)."""
    highest = max((value for _month, value in points), default=0) or 1
    slot = width / len(points)
    bars = []
    for index, (month, value) in enumerate(points):
        # Room below for the month and above for the value.
        bar_height = round((height - 40) * value / highest)
        bars.append(
            {
                "x": round(index * slot + slot * 0.15),
                "y": height - 20 - bar_height,
                "width": round(slot * 0.7),
                "height": bar_height,
                "label": f"{month:%m/%y}",
                "label_x": round(index * slot + slot / 2),
                "value": value,
            }
        )
    return bars


def company_history(company, months=24):
    """Return the company's usage rows, newest first, in one query."""
    rows = MonthlyUsage.objects.filter(company=company).select_related("company__subscription")
    return list(rows.order_by("-month")[:months])
