"""Push companies to GravityZone and record the outcome on each row.

A push claims its company with a conditional update before calling GravityZone and keeps no
database lock or transaction open during the call, so people keep editing while GravityZone
is slow. The claim makes a second delivery of the same task step aside. A claim older than
PUSH_LEASE belongs to a worker that died, so another push may take it over.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from backoffice.gravityzone import get_client
from companies import payloads
from companies.audit import CallRecorder
from companies.choices import DEFAULT_ADDITIONAL_MODELS, LicenseType, ProductType
from companies.models import Company, Subscription, SyncState
from gravityzone.errors import (
    AuthenticationError,
    GravityZoneError,
    ProtocolError,
    RateLimitedError,
    TransientError,
)

logger = logging.getLogger(__name__)

# Longer than a push can take: one call with its own retries and rate limit waits.
PUSH_LEASE = timedelta(minutes=10)

PUSH_AGAIN_ACTION = "Push selected companies to GravityZone again"


def push_company(company_id):
    """Create the company in GravityZone, or update its details there, and record the result.

    A company whose parent is not in GravityZone yet stays pending: the parent's push queues
    it once the parent has its ID. Raises TransientError or RateLimitedError when a later
    attempt may succeed; records any other failure on the company.
    """
    company = _claim(company_id)
    if company is None:
        return

    if not company.gravityzone_id and company.parent_id and not company.parent.gravityzone_id:
        _wait_for_parent(company)
        return

    subscription = getattr(company, "subscription", None)
    recorder = CallRecorder(company_id=company.pk, triggered_by_id=company.sync_requested_by_id)
    try:
        with get_client(on_call=recorder) as client:
            if not company.gravityzone_id:
                gravityzone_id = client.create_company_once(payloads.new_company(company))
            else:
                gravityzone_id = company.gravityzone_id
                if company.push_details:
                    client.update_company_details(gravityzone_id, payloads.company_changes(company))
                if company.push_subscription and subscription is not None:
                    request = payloads.monthly_subscription(company, subscription)
                    client.set_monthly_subscription(gravityzone_id, request)
    except (TransientError, RateLimitedError):
        _release(company)
        raise
    except GravityZoneError as exc:
        logger.warning("Company %s: GravityZone rejected the push: %s", company_id, exc)
        _finish(company, SyncState.FAILED, error=describe_failure(exc))
        return

    _finish(company, SyncState.SYNCED, gravityzone_id=gravityzone_id)


def _claim(company_id):
    """Mark the company as being pushed and return it, or None if there is nothing to do."""
    now = timezone.now()
    unclaimed = Q(push_claimed_at__isnull=True) | Q(push_claimed_at__lt=now - PUSH_LEASE)
    claimed = Company.objects.filter(unclaimed, pk=company_id, sync_state=SyncState.PENDING).update(push_claimed_at=now)
    if not claimed:
        logger.info("Company %s: not pending or already being pushed; nothing to do", company_id)
        return None
    return Company.objects.select_related("parent", "subscription").get(pk=company_id)


def _release(company):
    Company.objects.filter(pk=company.pk, push_claimed_at=company.push_claimed_at).update(push_claimed_at=None)


def _finish(company, state, *, gravityzone_id=None, error=""):
    """Record the outcome of a push, unless the company was edited while it ran.

    An edit made during the push queued another push, which stepped aside because of the claim.
    So the claim is released and that push is queued again, and the edit reaches GravityZone.
    A new GravityZone ID is stored either way.
    """
    with transaction.atomic():
        if gravityzone_id and not company.gravityzone_id:
            error = _store_gravityzone_id(company, gravityzone_id)
            if error:
                state = SyncState.FAILED

        ours = Company.objects.filter(pk=company.pk, push_claimed_at=company.push_claimed_at)
        outcome = {"sync_state": state, "sync_error": error, "sync_state_changed_at": timezone.now()}
        if state == SyncState.SYNCED:
            outcome.update(push_details=False, push_subscription=False)
        recorded = ours.filter(sync_state_changed_at=company.sync_state_changed_at).update(
            **outcome, push_claimed_at=None
        )
        if not recorded:
            ours.update(push_claimed_at=None)
            logger.info("Company %s: edited during the push; pushing again", company.pk)
            request_push([company.pk], mark_pending=False)
            return

        if state == SyncState.SYNCED:
            logger.info(
                "Company %s: synced as GravityZone company %s", company.pk, gravityzone_id or company.gravityzone_id
            )
        else:
            logger.warning("Company %s: push failed: %s", company.pk, error)
        if state == SyncState.SYNCED:
            _apply_client_couplings(company)
            # Companies added below this one while it was being created can follow it now.
            waiting_children = Company.objects.filter(parent_id=company.pk, gravityzone_id="")
            request_push(waiting_children.values_list("pk", flat=True))


def _apply_client_couplings(company):
    """Record what a partner's subscription just changed in GravityZone for its clients."""
    subscription = getattr(company, "subscription", None)
    if subscription is None or not company.is_partner:
        return
    clients = Subscription.objects.filter(company__parent_id=company.pk)

    # Reselling XDR switches the four XDR sensors on for every managed company.
    if subscription.resell_xdr and subscription.license_type != LicenseType.MONTHLY_LICENSE_TRIAL:
        clients.update(
            manage_xdr_identity_providers=True,
            manage_xdr_productivity_apps=True,
            manage_xdr_network=True,
            manage_xdr_cloud_workloads=True,
        )
        _raise_versions(clients)

    new_model = subscription.clients_protection_model_change
    if new_model:
        moved = clients.filter(
            license_type=LicenseType.MONTHLY_SUBSCRIPTION, assigned_product_type=ProductType.ENDPOINT_SECURITY
        )
        _raise_versions(moved)
        moved.update(
            assigned_protection_model=new_model, additional_protection_models=DEFAULT_ADDITIONAL_MODELS[new_model]
        )
        # The move is a one-off: it is not sent again with the next push.
        Subscription.objects.filter(pk=subscription.pk).update(clients_protection_model_change="")


def _raise_versions(subscriptions):
    """Make forms opened before GravityZone changed these companies refuse to save over it."""
    Company.objects.filter(subscription__in=subscriptions).update(version=F("version") + 1)


def _store_gravityzone_id(company, gravityzone_id):
    """Store a new GravityZone ID; return an error message if another company already has it."""
    holder = Company.objects.filter(gravityzone_id=gravityzone_id).exclude(pk=company.pk).first()
    if holder is None:
        try:
            with transaction.atomic():
                Company.objects.filter(pk=company.pk, gravityzone_id="").update(gravityzone_id=gravityzone_id)
            return ""
        except IntegrityError:
            holder = Company.objects.filter(gravityzone_id=gravityzone_id).exclude(pk=company.pk).first()
    return (
        f"GravityZone already has this company as {holder}, whose name matches once case and spacing "
        "are ignored. Rename one of the two companies, then push again."
    )


def _wait_for_parent(company):
    if company.parent.sync_state == SyncState.FAILED:
        error = (
            f"The parent company {company.parent.name} could not be created in GravityZone. "
            "Push the parent again; this company follows once the parent is created."
        )
        _finish(company, SyncState.FAILED, error=error)
        return
    _release(company)
    logger.info("Company %s: waiting for parent company %s to reach GravityZone", company.pk, company.parent_id)


def record_failure(company_id, error):
    """Mark a push as failed when its retries ran out, unless the company changed since."""
    Company.objects.filter(pk=company_id, sync_state=SyncState.PENDING, push_claimed_at__isnull=True).update(
        sync_state=SyncState.FAILED, sync_error=error, sync_state_changed_at=timezone.now()
    )


def request_push(company_ids, *, mark_pending=True, details=False, subscription=False, user=None):
    """Mark companies pending and queue their push for when the current transaction commits.

    `details` and `subscription` tell what changed for companies already in GravityZone. A
    company not created there yet is created with everything.
    """
    from companies.tasks import push_company as push_company_task

    company_ids = list(company_ids)
    if mark_pending:
        changes = {"sync_state": SyncState.PENDING, "sync_error": "", "sync_state_changed_at": timezone.now()}
        if details:
            changes["push_details"] = True
        if subscription:
            changes["push_subscription"] = True
        if user is not None:
            changes["sync_requested_by"] = user
        Company.objects.filter(pk__in=company_ids).update(**changes)
    for company_id in company_ids:
        transaction.on_commit(lambda company_id=company_id: push_company_task.delay(company_id))


def describe_failure(exc, *, attempts=None, retry=f"use “{PUSH_AGAIN_ACTION}”"):
    """Return a message naming what failed and what the account manager can do about it.

    `retry` is how to try again, written to follow "then".
    """
    if not isinstance(exc, GravityZoneError):
        return f"The result could not be saved ({type(exc).__name__}: {exc}). To try again, {retry}."
    if isinstance(exc, AuthenticationError):
        return (
            "GravityZone rejected the API key (HTTP 401). Check GRAVITYZONE_API_KEY and that the key "
            f"has the Companies and Licensing APIs enabled, then {retry}."
        )
    if isinstance(exc, (TransientError, RateLimitedError)):
        tries = f" after {attempts} attempts" if attempts else ""
        last_error = str(exc).rstrip(".")
        return (
            f"GravityZone could not be reached{tries}. Last error: {last_error}. Check GRAVITYZONE_API_URL "
            f"and that GravityZone is up, then {retry}."
        )
    if isinstance(exc, ProtocolError):
        return (
            f"GravityZone sent a response that could not be read: {str(exc).rstrip('.')}. To try again, {retry}; "
            "if it keeps failing, check GRAVITYZONE_API_URL."
        )
    reason = (exc.details or exc.message).rstrip(".")
    return f"GravityZone rejected the change: {reason}. Correct the company and save it again."
