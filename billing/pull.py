"""Pulling monthly usage from GravityZone into MonthlyUsage rows, one company and month at a time."""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from backoffice.gravityzone import get_client
from billing.models import COUNTER_COLUMNS, MonthlyUsage, UsagePull
from billing.months import target_month
from companies.audit import CallRecorder
from companies.models import Company

logger = logging.getLogger(__name__)


class PullAlreadyRunning(Exception):
    """A pull of the same month has not finished yet."""


def billable_companies():
    """Return the companies GravityZone bills monthly: in GravityZone, with a monthly subscription."""
    return Company.objects.exclude(gravityzone_id="").filter(subscription__isnull=False)


def start_pull(month, companies, *, trigger):
    """Record a pull of `month` for `companies`; raise PullAlreadyRunning if one is under way."""
    try:
        with transaction.atomic():
            return UsagePull.objects.create(month=month, trigger=trigger, companies_total=companies.count())
    except IntegrityError:
        raise PullAlreadyRunning(f"Usage of {target_month(month)} is being pulled already.") from None


def fetch_usage(client, company, month):
    """Return the MonthlyUsage fields for one company and month, read from GravityZone.

    getMonthlyUsage covers Endpoint Security only, so the counters are the sum of
    getMonthlyUsagePerProductType's entries; getMonthlyUsage's result is kept beside them.
    """
    usage = client.get_monthly_usage(company.gravityzone_id, target_month(month))
    per_product = client.get_monthly_usage_per_product_type(company.gravityzone_id, target_month(month))
    raw = {
        "getMonthlyUsage": dict(usage.counters) | {"minimumUsage": dict(usage.minimum_usage)} if usage else 0,
        "getMonthlyUsagePerProductType": [
            {"productType": int(entry.product_type), **entry.usage.counters} for entry in per_product.entries
        ],
    }
    if usage is None and not per_product.entries:
        return {"has_monthly_license": False, "minimum_endpoints": None, "raw": raw, **_counters(None)}

    total = per_product.total() if per_product.entries else usage
    minimum = (usage or total).minimum_usage.get("endpointMonthlyUsage")
    return {"has_monthly_license": True, "minimum_endpoints": minimum, "raw": raw, **_counters(total)}


def _counters(usage):
    return {column: usage.get(counter) if usage else 0 for column, counter in COUNTER_COLUMNS}


def pull_company(pull_id, company_id, month):
    """Fetch and store one company's usage for `month`, counting it in the pull.

    Rows are upserted by (company, month), so a rerun or a message delivered twice replaces
    the figures instead of adding to them. Raises the client's errors.
    """
    company = Company.objects.get(pk=company_id)
    with get_client(on_call=CallRecorder(company_id=company.pk)) as client:
        fields = fetch_usage(client, company, month)
    MonthlyUsage.objects.update_or_create(
        company=company, month=month, defaults={**fields, "pulled_at": timezone.now()}
    )
    _count(pull_id, done=True)


def record_company_failure(pull_id, company_id, error):
    name = Company.objects.filter(pk=company_id).values_list("name", flat=True).first() or f"company {company_id}"
    with transaction.atomic():
        pull = UsagePull.objects.select_for_update().get(pk=pull_id)
        pull.failures = [*pull.failures, {"company": name, "error": error}]
        pull.save(update_fields=["failures"])
    _count(pull_id, done=False)
    logger.warning("Usage pull %s: %s failed: %s", pull_id, name, error)


def _count(pull_id, *, done):
    """Count one company as handled and close the pull once every company is."""
    if done:
        UsagePull.objects.filter(pk=pull_id).update(companies_done=F("companies_done") + 1)
    with transaction.atomic():
        pull = UsagePull.objects.select_for_update().get(pk=pull_id)
        if pull.finished_at is None and pull.companies_done + len(pull.failures) >= pull.companies_total:
            pull.finished_at = timezone.now()
            pull.save(update_fields=["finished_at"])


def close_empty_pull(usage_pull):
    """Close a pull that had no company to pull."""
    UsagePull.objects.filter(pk=usage_pull.pk, finished_at=None).update(finished_at=timezone.now())
