"""Suspending and reactivating companies in GravityZone.

A company shows as suspended only once GravityZone has confirmed it: until then its
`status_pending` names what is under way. The calls run in Celery, one per company, paced
under GravityZone's limit of 5 suspensions or reactivations a second.
"""

import logging

from django.db import models, transaction
from django.utils import timezone

from backoffice.gravityzone import get_client
from companies.audit import CallRecorder
from companies.choices import CompanyStatus, StatusAction, StatusChangeOutcome
from companies.models import Company, StatusChange, StatusChangeTarget
from gravityzone.errors import GravityZoneError, RateLimitedError, TransientError

logger = logging.getLogger(__name__)

RESULTING_STATUS = {StatusAction.SUSPEND: CompanyStatus.SUSPENDED, StatusAction.ACTIVATE: CompanyStatus.ACTIVE}


def descendant_ids(company_ids):
    """Return the primary keys of every company below the given ones, one query per level."""
    found = []
    frontier = list(company_ids)
    while frontier:
        frontier = list(Company.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found.extend(frontier)
    return found


@transaction.atomic
def request_status_change(companies, action, *, recursive, reason, user):
    """Record a suspension or reactivation and queue one GravityZone call per company.

    With `recursive`, a selected company below another selected one needs no call of its own.
    Companies not in GravityZone yet cannot be changed there and are left out. Returns the
    StatusChange, or None when no company is left.
    """
    from companies.tasks import change_status

    target_ids = set(companies.exclude(gravityzone_id="").values_list("pk", flat=True))
    if recursive:
        target_ids -= set(descendant_ids(target_ids))
    if not target_ids:
        return None

    status_change = StatusChange.objects.create(created_by=user, action=action, recursive=recursive, reason=reason)
    StatusChangeTarget.objects.bulk_create(
        StatusChangeTarget(status_change=status_change, company_id=company_id) for company_id in sorted(target_ids)
    )
    marked = set(target_ids)
    if recursive:
        marked.update(descendant_ids(target_ids))
    Company.objects.filter(pk__in=marked).update(status_pending=action, status_error="")

    for company_id in sorted(target_ids):
        transaction.on_commit(lambda company_id=company_id: change_status.delay(status_change.pk, company_id))
    return status_change


def change_status(status_change_id, company_id):
    """Call suspendCompany or activateCompany for one target and record what GravityZone confirmed.

    Raises TransientError or RateLimitedError when a later attempt may succeed; records any
    other failure on the target and the company. Safe to run twice: both calls are idempotent
    in GravityZone, and a target already done is skipped.
    """
    target = (
        StatusChangeTarget.objects.select_related("status_change", "company")
        .filter(status_change_id=status_change_id, company_id=company_id, outcome=StatusChangeOutcome.PENDING)
        .first()
    )
    if target is None:
        logger.info("Status change %s: company %s already handled", status_change_id, company_id)
        return
    status_change = target.status_change
    company = target.company

    recorder = CallRecorder(company_id=company.pk, triggered_by_id=status_change.created_by_id)
    try:
        with get_client(on_call=recorder) as client:
            if status_change.action == StatusAction.SUSPEND:
                client.suspend_company(company.gravityzone_id, recursive=status_change.recursive)
            else:
                client.activate_company(company.gravityzone_id, recursive=status_change.recursive)
    except (TransientError, RateLimitedError):
        raise
    except GravityZoneError as exc:
        record_status_failure(status_change_id, company_id, f"GravityZone rejected the change: {exc}")
        return

    _record_done(target)


def _record_done(target):
    status_change = target.status_change
    affected = [target.company_id]
    if status_change.recursive:
        affected += descendant_ids(affected)

    now = timezone.now()
    with transaction.atomic():
        StatusChangeTarget.objects.filter(pk=target.pk).update(outcome=StatusChangeOutcome.DONE, error="")
        # Saved one by one, so that each company's history records who asked for it and why.
        for company in Company.objects.filter(pk__in=affected):
            company.status = RESULTING_STATUS[status_change.action]
            company.status_pending = ""
            company.status_error = ""
            company.status_reason = status_change.reason
            company.status_changed_at = now
            company._history_user = status_change.created_by
            company._change_reason = f"{status_change.get_action_display()}: {status_change.reason}"
            company.save(
                update_fields=["status", "status_pending", "status_error", "status_reason", "status_changed_at"]
            )
    logger.info(
        "Status change %s: %s confirmed for %s companies", status_change.pk, status_change.action, len(affected)
    )


def record_status_failure(status_change_id, company_id, error):
    """Record that GravityZone did not make a change; the company keeps its confirmed status."""
    target = StatusChangeTarget.objects.select_related("status_change").get(
        status_change_id=status_change_id, company_id=company_id
    )
    affected = [company_id]
    if target.status_change.recursive:
        affected += descendant_ids(affected)
    with transaction.atomic():
        StatusChangeTarget.objects.filter(pk=target.pk).update(outcome=StatusChangeOutcome.FAILED, error=error)
        Company.objects.filter(pk__in=affected).update(status_pending="", status_error=error)
    logger.warning("Status change %s: company %s failed: %s", status_change_id, company_id, error)


def record_retry(status_change_id, company_id, note):
    """Show on a pending target why its call is being tried again."""
    StatusChangeTarget.objects.filter(
        status_change_id=status_change_id, company_id=company_id, outcome=StatusChangeOutcome.PENDING
    ).update(error=note)


def progress(status_change):
    """Return {outcome: number of targets} for a status change."""
    counts = dict.fromkeys(StatusChangeOutcome.values, 0)
    rows = status_change.targets.values_list("outcome").annotate(count=models.Count("pk"))
    counts.update(dict(rows))
    return counts


def refresh_license_info(company_id, *, triggered_by_id=None):
    """Fetch getLicenseInfo for a company and keep it for the company page."""
    company = Company.objects.filter(pk=company_id).exclude(gravityzone_id="").first()
    if company is None:
        return
    with get_client(on_call=CallRecorder(company_id=company.pk, triggered_by_id=triggered_by_id)) as client:
        info = client.get_license_info(company.gravityzone_id)
    Company.objects.filter(pk=company.pk).update(license_info=info.raw, license_info_fetched_at=timezone.now())
