"""Celery tasks that keep GravityZone in step with the companies saved here."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from companies import status, sync
from companies.models import Company, SyncState
from gravityzone.errors import RateLimitedError, TransientError

logger = logging.getLogger(__name__)

# About three minutes of retries in all (1 + 2 + 4 + … seconds, at most 60 each), then the
# company shows as failed with the error.
MAX_PUSH_RETRIES = 8
MAX_RETRY_DELAY = 60

# A company still pending after this long lost its task (a broker restart, a worker killed
# before it acknowledged), so the sweep queues it again.
STALE_PUSH_AFTER = timedelta(minutes=10)
MAX_REQUEUED_PER_SWEEP = 500


@shared_task(bind=True, max_retries=MAX_PUSH_RETRIES)
def push_company(self, company_id):
    """Create or update one company in GravityZone.

    1. Lock and reload the company; stop if it is gone, no longer pending, or waiting for its
       parent (whose push queues it again).
    2. Call createCompany (once, even across retries) or updateCompanyDetails.
    3. Record synced or failed, and queue the children that were waiting; retry with backoff on
       errors that may pass, and record failed when the retries run out.
    """
    try:
        sync.push_company(company_id)
    except (TransientError, RateLimitedError, OperationalError) as exc:
        # OperationalError: the database was unreachable or locked for a moment.
        attempts = self.request.retries + 1
        if self.request.retries >= self.max_retries:
            logger.warning("Company %s: giving up after %s attempts: %s", company_id, attempts, exc)
            sync.record_failure(company_id, sync.describe_failure(exc, attempts=attempts))
            return
        delay = retry_delay(self.request.retries, exc)
        logger.info("Company %s: attempt %s failed (%s); retrying in %.0f s", company_id, attempts, exc, delay)
        raise self.retry(exc=exc, countdown=delay) from None


def retry_delay(retries, exc):
    """Return the seconds to wait before the next attempt, honouring GravityZone's Retry-After."""
    if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
        return max(exc.retry_after, 1.0)
    return float(min(2**retries, MAX_RETRY_DELAY))


@shared_task
def requeue_stale_pushes():
    """Queue again the pushes of companies that have been pending for too long."""
    cutoff = timezone.now() - STALE_PUSH_AFTER
    stale = Company.objects.filter(sync_state=SyncState.PENDING, sync_state_changed_at__lt=cutoff)
    company_ids = list(stale.order_by("sync_state_changed_at").values_list("pk", flat=True)[:MAX_REQUEUED_PER_SWEEP])

    for company_id in company_ids:
        push_company.delay(company_id)
    if company_ids:
        logger.warning("Queued %s stale company pushes again", len(company_ids))


@shared_task(bind=True, max_retries=MAX_PUSH_RETRIES)
def change_status(self, status_change_id, company_id):
    """Suspend or reactivate one company in GravityZone, retrying what may pass."""
    try:
        status.change_status(status_change_id, company_id)
    except (TransientError, RateLimitedError, OperationalError) as exc:
        attempts = self.request.retries + 1
        if self.request.retries >= self.max_retries:
            error = sync.describe_failure(exc, attempts=attempts, retry="ask for the change again")
            status.record_status_failure(status_change_id, company_id, error)
            return
        status.record_retry(status_change_id, company_id, f"Attempt {attempts} failed ({exc}); trying again.")
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries, exc)) from None


@shared_task(bind=True, max_retries=3)
def refresh_license_info(self, company_id, user_id=None):
    """Fetch a company's licence information from GravityZone for its page."""
    try:
        status.refresh_license_info(company_id, triggered_by_id=user_id)
    except (TransientError, RateLimitedError) as exc:
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries, exc)) from None
