"""Push companies to GravityZone and record the outcome on each row."""

import logging

from django.db import transaction
from django.utils import timezone

from backoffice.gravityzone import get_client
from companies.models import Company, SyncState
from gravityzone.errors import (
    AuthenticationError,
    GravityZoneError,
    ProtocolError,
    RateLimitedError,
    TransientError,
)
from gravityzone.types import CompanyChanges, CompanyType, NewCompany

logger = logging.getLogger(__name__)


def new_company(company):
    """Return the createCompany parameters for `company`; its parent must be in GravityZone."""
    parent_id = company.parent.gravityzone_id if company.parent_id is not None else None
    return NewCompany(type=CompanyType(company.company_type), name=company.name, parent_id=parent_id)


def company_changes(company):
    return CompanyChanges(type=CompanyType(company.company_type), name=company.name)


def push_company(company_id):
    """Create the company in GravityZone, or update its details there, and record the result.

    The row stays locked for the duration of the call, so a second delivery of the same task
    waits and then finds the work done. A company whose parent is not in GravityZone yet stays
    pending: the parent's push queues it once the parent has its ID. Raises TransientError or
    RateLimitedError when a later attempt may succeed; records any other failure.
    """
    with transaction.atomic():
        company = Company.objects.select_for_update(of=("self",)).select_related("parent").filter(pk=company_id).first()
        if company is None:
            logger.info("Company %s: deleted before it could be pushed", company_id)
            return
        if company.sync_state != SyncState.PENDING:
            logger.info("Company %s: already %s, nothing to push", company_id, company.sync_state)
            return
        if not company.gravityzone_id and company.parent_id and not company.parent.gravityzone_id:
            _wait_for_parent(company)
            return

        try:
            with get_client() as client:
                if company.gravityzone_id:
                    client.update_company_details(company.gravityzone_id, company_changes(company))
                    gravityzone_id = company.gravityzone_id
                else:
                    gravityzone_id = client.create_company_once(new_company(company))
        except (TransientError, RateLimitedError):
            raise
        except GravityZoneError as exc:
            logger.warning("Company %s: GravityZone refused the push: %s", company_id, exc)
            _record(company_id, SyncState.FAILED, error=describe_failure(exc))
            return

        _record(company_id, SyncState.SYNCED, gravityzone_id=gravityzone_id)
        logger.info("Company %s: synced as GravityZone company %s", company_id, gravityzone_id)

        # Companies added below this one while it was being created can follow it now.
        waiting_children = Company.objects.filter(parent_id=company_id, gravityzone_id="")
        request_push(waiting_children.values_list("pk", flat=True))


def _wait_for_parent(company):
    if company.parent.sync_state == SyncState.FAILED:
        error = (
            f"The parent company {company.parent.name} could not be created in GravityZone. "
            "Push the parent again; this company follows once the parent is created."
        )
        _record(company.pk, SyncState.FAILED, error=error)
        return
    logger.info("Company %s: waiting for parent company %s to reach GravityZone", company.pk, company.parent_id)


def record_failure(company_id, error):
    """Mark a push as failed, unless the company has been synced in the meantime."""
    with transaction.atomic():
        Company.objects.filter(pk=company_id, sync_state=SyncState.PENDING).update(
            sync_state=SyncState.FAILED, sync_error=error, sync_state_changed_at=timezone.now()
        )


def request_push(company_ids):
    """Mark companies pending and queue their push for when the current transaction commits."""
    from companies.tasks import push_company as push_company_task

    company_ids = list(company_ids)
    Company.objects.filter(pk__in=company_ids).update(
        sync_state=SyncState.PENDING, sync_error="", sync_state_changed_at=timezone.now()
    )
    for company_id in company_ids:
        transaction.on_commit(lambda company_id=company_id: push_company_task.delay(company_id))


def describe_failure(exc, *, attempts=None):
    """Return a message that says what failed and what the account manager can do about it."""
    if not isinstance(exc, GravityZoneError):
        return f"The result could not be saved ({type(exc).__name__}: {exc}). Push again."
    if isinstance(exc, AuthenticationError):
        return (
            "GravityZone rejected the API key (HTTP 401). Check GRAVITYZONE_API_KEY and that the key "
            "has the Companies API enabled, then push again."
        )
    if isinstance(exc, (TransientError, RateLimitedError)):
        tries = f" after {attempts} attempts" if attempts else ""
        return f"GravityZone could not be reached{tries} ({exc}). Check that GravityZone is reachable, then push again."
    if isinstance(exc, ProtocolError):
        return (
            f"GravityZone sent an answer that could not be read ({exc}). Push again; if it keeps "
            "failing, check GRAVITYZONE_API_URL."
        )
    reason = (exc.details or exc.message).rstrip(".")
    return f"GravityZone refused the change: {reason}. Correct the company and save it again."


def _record(company_id, state, *, gravityzone_id=None, error=""):
    fields = {"sync_state": state, "sync_error": error, "sync_state_changed_at": timezone.now()}
    if gravityzone_id is not None:
        fields["gravityzone_id"] = gravityzone_id
    Company.objects.filter(pk=company_id).update(**fields)
