"""Changing the add-ons of many companies' subscriptions in one go."""

import copy

from django.db import transaction
from django.db.models import Count, F

from companies import rules, sync
from companies.models import BulkChange, Company, Subscription

# The add-ons a bulk change can switch, with their labels.
BULK_ADD_ONS = (
    ("manage_event_correlator", "EDR"),
    ("manage_exchange", "Security for Exchange"),
    ("manage_encryption", "Full Disk Encryption"),
    ("manage_patch_management", "Patch Management"),
    ("manage_email_security", "Email Security"),
    ("manage_mobile_security", "Mobile Security"),
    ("manage_remote_engines_scanning", "Security for Virtualized Environments"),
    ("manage_container_protection", "Container Protection"),
    ("manage_integrity_monitoring", "Integrity Monitoring"),
)


def describe(changes):
    labels = dict(BULK_ADD_ONS)
    return ", ".join(f"{labels[field]} {'on' if value else 'off'}" for field, value in changes.items())


@transaction.atomic
def change_add_ons(companies, changes, *, user):
    """Apply `changes` ({field: bool}) to each company's subscription and queue the pushes.

    Each subscription gets GravityZone's couplings and rules as in the company form. One that
    would break a rule, or a trial GravityZone cannot change, is left as it is and reported.
    Returns the BulkChange record.
    """
    subscriptions = Subscription.objects.select_related("company__parent__subscription").filter(company__in=companies)
    changed_ids = []
    skipped = []
    for subscription in subscriptions.order_by("company__name"):
        company = subscription.company
        reason = _apply(subscription, company, changes)
        if reason:
            skipped.append({"company": company.name, "reason": reason})
            continue
        subscription.save()
        changed_ids.append(company.pk)

    without_subscription = companies.exclude(subscription__isnull=False).values_list("name", flat=True)
    skipped.extend({"company": name, "reason": "The company has no subscription yet."} for name in without_subscription)

    Company.objects.filter(pk__in=changed_ids).update(version=F("version") + 1, updated_by=user)
    sync.request_push(changed_ids, subscription=True, user=user)
    return BulkChange.objects.create(
        created_by=user, description=describe(changes), company_ids=changed_ids, skipped=skipped
    )


def _apply(subscription, company, changes):
    """Change one subscription in place; return why it cannot change, or an empty string."""
    stored = copy.copy(subscription)
    changed = {field for field, value in changes.items() if getattr(subscription, field) != value}
    if not changed:
        return "Nothing to change."
    for field in changed:
        setattr(subscription, field, changes[field])

    in_gravityzone = bool(company.gravityzone_id)
    if in_gravityzone and subscription.is_trial:
        return (
            "GravityZone changes a trial's settings only by switching it to the monthly subscription; "
            "switch it on the company's page first."
        )
    rules.apply_couplings(subscription, company, changed)
    errors = rules.check_subscription(
        subscription, company, stored=stored if in_gravityzone else None, in_gravityzone=in_gravityzone
    )
    return " ".join(errors.values())


def progress(bulk_change):
    """Return {sync state: number of companies} for the companies a bulk change queued."""
    counts = dict.fromkeys(("pending", "synced", "failed"), 0)
    rows = Company.objects.filter(pk__in=bulk_change.company_ids).values_list("sync_state").annotate(count=Count("pk"))
    counts.update(dict(rows))
    return counts
