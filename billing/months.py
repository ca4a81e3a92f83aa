"""Billing months. A month is decided in UTC, whatever the server's or the user's time zone."""

import datetime

from django.utils import timezone


def current_month(now=None):
    """Return the first day of the current month in UTC."""
    now = (now or timezone.now()).astimezone(datetime.UTC)
    return datetime.date(now.year, now.month, 1)


def previous_month(now=None):
    return add_months(current_month(now), -1)


def add_months(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first, last):
    """Return the first days of every month from `first` to `last`, both included."""
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def target_month(month):
    """Return GravityZone's `targetMonth` for a month: mm/yyyy."""
    return f"{month.month:02d}/{month.year}"


def parse_month(text):
    """Return the first day of a month written yyyy-mm; raise ValueError otherwise."""
    try:
        parsed = datetime.datetime.strptime(text.strip(), "%Y-%m")
    except ValueError:
        raise ValueError(f"“{text}” is not a valid month: write it as yyyy-mm, such as 2026-10.") from None
    return datetime.date(parsed.year, parsed.month, 1)


def check_not_future(month, now=None):
    """Raise ValueError for a month that has not started yet (in UTC)."""
    if month > current_month(now):
        raise ValueError(f"{target_month(month)} has not started yet; GravityZone has no usage for it.")
