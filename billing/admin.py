from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from billing import dashboard, exports
from billing.models import COUNTER_COLUMNS, MonthlyUsage, UsagePull
from billing.months import parse_month, previous_month, target_month
from companies.admin import ReadOnlyAdmin
from companies.choices import CompanyType
from companies.models import Company


class InvalidMonth(Exception):
    """The month asked for is not valid; `fallback` is the month to show instead."""

    def __init__(self, reason, fallback):
        super().__init__(reason)
        self.reason = reason
        self.fallback = fallback


# Companies per page of the dashboard's table; the totals and the exports cover every page.
ROWS_PER_PAGE = 100


@admin.register(MonthlyUsage)
class MonthlyUsageAdmin(ReadOnlyAdmin):
    """The finance dashboard, shown in place of a plain list of usage rows."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.dashboard_view), name="billing_monthlyusage_changelist"),
            path("export.<str:file_format>", view(self.export_view), name="billing_monthlyusage_export"),
            path("company/<int:company_id>/", view(self.history_view), name="billing_monthlyusage_history"),
        ]

    def _check_view_permission(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def _month_and_filters(self, request):
        # Without a month asked for, the latest month pulled, or else the month that just ended.
        latest = MonthlyUsage.objects.aggregate(latest=Max("month"))["latest"] or previous_month()
        try:
            month = parse_month(request.GET["month"]) if request.GET.get("month") else latest
        except ValueError as exc:
            raise InvalidMonth(str(exc), latest) from None
        company_type = request.GET.get("type")
        filters = dashboard.Filters(
            company_type=int(company_type) if company_type in ("0", "1") else None,
            search=request.GET.get("q", "").strip(),
            flag=request.GET.get("flag") if request.GET.get("flag") in dashboard.FLAGS else "",
        )
        return month, filters

    def dashboard_view(self, request):
        self._check_view_permission(request)
        try:
            month, filters = self._month_and_filters(request)
        except InvalidMonth as exc:
            messages.warning(request, f"{exc.reason} Showing {exc.fallback:%Y-%m}, the latest month pulled.")
            month, filters = exc.fallback, dashboard.Filters()
        page = Paginator(dashboard.month_rows(month, filters), ROWS_PER_PAGE).get_page(request.GET.get("page"))
        sums = dashboard.month_totals(month)
        labels = {column: MonthlyUsage._meta.get_field(column).verbose_name for column, _counter in COUNTER_COLUMNS}
        points = dashboard.trend(month)

        context = {
            **self.admin_site.each_context(request),
            "title": f"Monthly usage, {target_month(month)}",
            "opts": self.model._meta,
            "month": month,
            "month_value": f"{month:%Y-%m}",
            "filters": filters,
            "query": _without_page(request.GET),
            "flags": dashboard.FLAGS,
            "company_types": CompanyType.choices,
            "page": page,
            "rows": [(row, [dashboard.FLAGS[flag] for flag in dashboard.row_flags(row)]) for row in page],
            "service_totals": [(labels[column], sums[column]) for column, _counter in COUNTER_COLUMNS if sums[column]],
            "billable_total": sums["billable"],
            "model_totals": dashboard.model_totals(sums).items(),
            "totals_rule": dashboard.TOTALS_RULE,
            "bars": dashboard.trend_svg_bars(points),
            "month_pulled": MonthlyUsage.objects.filter(month=month).exists(),
        }
        return TemplateResponse(request, "admin/billing/dashboard.html", context)

    def export_view(self, request, file_format):
        self._check_view_permission(request)
        try:
            month, filters = self._month_and_filters(request)
        except InvalidMonth as exc:
            # Nothing is exported for a month other than the one asked for.
            messages.error(request, f"{exc.reason} Nothing was exported.")
            return HttpResponseRedirect(reverse("admin:billing_monthlyusage_changelist"))
        rows = dashboard.month_rows(month, filters)
        filename = f"gravityzone-usage-{month:%Y-%m}"
        if file_format == "csv":
            return exports.csv_response(rows, filename)
        if file_format == "xlsx":
            return exports.xlsx_response(rows, filename)
        messages.error(request, "Exports are available as CSV or XLSX.")
        return HttpResponseRedirect(reverse("admin:billing_monthlyusage_changelist"))

    def history_view(self, request, company_id):
        self._check_view_permission(request)
        company = get_object_or_404(Company.objects.select_related("subscription"), pk=company_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Monthly usage of {company}",
            "opts": self.model._meta,
            "company": company,
            "rows": [
                (row, [dashboard.FLAGS[flag] for flag in dashboard.row_flags(row)])
                for row in dashboard.company_history(company)
            ],
        }
        return TemplateResponse(request, "admin/billing/history.html", context)


@admin.register(UsagePull)
class UsagePullAdmin(ReadOnlyAdmin):
    list_display = (
        "month_label",
        "started_at",
        "finished_at",
        "trigger",
        "companies_total",
        "companies_done",
        "failed",
    )
    list_filter = ("trigger",)
    fields = ("month", "started_at", "finished_at", "trigger", "companies_total", "companies_done", "failure_list")
    readonly_fields = fields

    @admin.display(description="month", ordering="month")
    def month_label(self, obj):
        return target_month(obj.month)

    @admin.display(description="failed")
    def failed(self, obj):
        return len(obj.failures)

    @admin.display(description="failures")
    def failure_list(self, obj):
        return "; ".join(f"{item['company']}: {item['error']}" for item in obj.failures) or "None"


def _without_page(query):
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()
