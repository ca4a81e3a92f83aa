"""The record of every GravityZone call the back-office makes."""

from datetime import timedelta

from django.utils import timezone

from companies.models import ApiCall

# Parameters whose values are secrets; the API key itself travels only in the HTTP header.
SECRET_PARAMS = frozenset({"licenseKey", "password"})
REDACTED = "[redacted]"


def redact(value):
    """Return a copy of JSON-RPC params with secret values replaced."""
    if isinstance(value, dict):
        return {key: REDACTED if key in SECRET_PARAMS else redact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


class CallRecorder:
    """Store each call a client makes for one company, as a GravityZoneClient `on_call` hook."""

    def __init__(self, *, company_id=None, triggered_by_id=None):
        self.company_id = company_id
        self.triggered_by_id = triggered_by_id

    def __call__(self, record):
        now = timezone.now()
        ApiCall.objects.create(
            started_at=now - timedelta(seconds=record.duration),
            company_id=self.company_id,
            triggered_by_id=self.triggered_by_id,
            api=record.api,
            method=record.method,
            params=redact(record.params),
            outcome=ApiCall.Outcome.FAILED if record.error else ApiCall.Outcome.SUCCESS,
            error=str(record.error) if record.error else "",
            duration_ms=round(record.duration * 1000),
        )
