"""Celery tasks that pull monthly usage from GravityZone, on a schedule or on request."""

import datetime
import logging

from celery import shared_task
from django.db import OperationalError, transaction

from billing import pull
from billing.months import current_month, previous_month
from companies.sync import describe_failure
from companies.tasks import MAX_PUSH_RETRIES, retry_delay
from gravityzone.errors import GravityZoneError, RateLimitedError, TransientError

logger = logging.getLogger(__name__)


@shared_task
def pull_previous_month():
    """Pull the month that just ended; Celery beat runs it early on the 1st (UTC)."""
    pull_usage.delay(previous_month().isoformat(), trigger="schedule")


@shared_task
def refresh_current_month():
    """Pull the month under way; Celery beat runs it daily (UTC)."""
    pull_usage.delay(current_month().isoformat(), trigger="schedule")


@shared_task
def pull_usage(month_iso, trigger="schedule", company_ids=None):
    """Start a pull of one month and queue one task per company."""
    month = datetime.date.fromisoformat(month_iso)
    companies = pull.billable_companies()
    if company_ids is not None:
        companies = companies.filter(pk__in=company_ids)

    try:
        usage_pull = pull.start_pull(month, companies, trigger=trigger)
    except pull.PullAlreadyRunning as exc:
        logger.warning("%s Skipping this run.", exc)
        return
    if usage_pull.companies_total == 0:
        pull.close_empty_pull(usage_pull)
        return

    for company_id in companies.values_list("pk", flat=True):
        transaction.on_commit(
            lambda company_id=company_id: pull_company_usage.delay(usage_pull.pk, company_id, month_iso)
        )


@shared_task(bind=True, max_retries=MAX_PUSH_RETRIES)
def pull_company_usage(self, pull_id, company_id, month_iso):
    """Fetch one company's usage for one month, retrying what may pass."""
    month = datetime.date.fromisoformat(month_iso)
    try:
        pull.pull_company(pull_id, company_id, month)
    except (TransientError, RateLimitedError, OperationalError) as exc:
        if self.request.retries >= self.max_retries:
            error = describe_failure(exc, attempts=self.request.retries + 1, retry="run the pull again")
            pull.record_company_failure(pull_id, company_id, error)
            return
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries, exc)) from None
    except GravityZoneError as exc:
        pull.record_company_failure(pull_id, company_id, f"GravityZone rejected the request: {exc}")
