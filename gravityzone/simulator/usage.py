"""Monthly usage that is the same every time it is asked for.

A company's own usage for a month is drawn from a random generator seeded with its ID and the
month, shaped by the subscription it had at the end of that month: it only counts what the
subscription enables. A month that is over never changes; the current month grows day by day.
A partner's usage is its own plus that of every company below it, as in GravityZone's monthly
licence usage report.
"""

import calendar
import hashlib
import random
from datetime import UTC, datetime

from gravityzone.simulator.subscriptions import (
    EDR,
    MONTHLY_SUBSCRIPTION,
    MONTHLY_SUBSCRIPTION_TRIAL,
)
from gravityzone.types import USAGE_COUNTERS as COUNTERS

# Licences whose usage GravityZone reports monthly; for the others getMonthlyUsage returns 0.
MONTHLY_TYPES = (MONTHLY_SUBSCRIPTION, 4, MONTHLY_SUBSCRIPTION_TRIAL)

# Counters enabled by one add-on flag, and their share of the endpoints at most.
FLAG_COUNTERS = {
    "manageExchange": "exchangeMonthlyUsage",
    "manageEncryption": "encryptionMonthlyUsage",
    "manageEmailSecurity": "emailSecurityMonthlyUsage",
    "manageMobileSecurity": "mobileSecurityMonthlyUsage",
    "managePatchManagement": "patchManagementMonthlyUsage",
    "manageContainerProtection": "containerProtectionMonthlyUsage",
}
SENSOR_COUNTERS = {
    "manageXDRIdentityProviders": "xdrIdentitySensorsMonthlyUsage",
    "manageXDRProductivityApps": "xdrProductivitySensorsMonthlyUsage",
    "manageXDRNetwork": "xdrNetworkSensorsMonthlyUsage",
    "manageXDRCloudWorkloads": "xdrCloudSensorsMonthlyUsage",
}
RETENTION_COUNTERS = {
    1: "integrityMonitoring90DaysUsage",
    2: "integrityMonitoring180DaysUsage",
    3: "integrityMonitoring1YearUsage",
}


def parse_month(text):
    """Return (year, month) from "mm/yyyy", or None when the text is not in that form."""
    if len(text) != 7 or text[2] != "/" or not (text[:2] + text[3:]).isdigit():
        return None
    month, year = int(text[:2]), int(text[3:])
    if not 1 <= month <= 12:
        return None
    return year, month


def zero_counters():
    return dict.fromkeys(COUNTERS, 0)


def subtree_usage(tenant, company, year, month, *, now=None):
    """Return {product type: counters} for `company` and every company below it."""
    totals = {}
    for member in [company, *tenant.descendants(company)]:
        for product_type, counters in own_usage(tenant, member, year, month, now=now).items():
            bucket = totals.setdefault(product_type, zero_counters())
            for name, value in counters.items():
                bucket[name] = bucket.get(name, 0) + value
    return totals


def own_usage(tenant, company, year, month, *, now=None):
    """Return {product type: counters} for the company's own endpoints in one month."""
    now = now or datetime.now(UTC)
    if (year, month) > (now.year, now.month):
        return {}

    override = tenant.usage_overrides.get(f"{company.id} {month:02d}/{year}")
    last_day = calendar.monthrange(year, month)[1]
    month_end = f"{year:04d}-{month:02d}-{last_day:02d}T23:59:59"
    subscription = company.subscription_at(month_end)
    if subscription is None or subscription["type"] not in MONTHLY_TYPES:
        return {}
    product_type = subscription["assignedProductType"]

    if override is not None:
        return {product_type: {**zero_counters(), **override}}

    counters = _draw(company, subscription, year, month)
    if (year, month) == (now.year, now.month):
        # Usage accumulates through the month: scale by the share of the month gone by.
        share = now.day / last_day
        counters = {name: int(value * share) for name, value in counters.items()}
    return {product_type: counters}


def _draw(company, subscription, year, month):
    seed = hashlib.sha256(f"{company.id}:{year:04d}-{month:02d}".encode()).digest()
    rng = random.Random(seed)
    counters = zero_counters()

    # Partners mostly resell; their own endpoints are few.
    endpoints = rng.randint(1, 15) if company.type == 0 else rng.randint(5, 250)
    if subscription["reservedSlots"]:
        endpoints = min(endpoints, subscription["reservedSlots"])
    counters["endpointMonthlyUsage"] = endpoints

    model = subscription["assignedProtectionModel"]
    if model:
        counters[f"{model}MonthlyUsage"] = endpoints

    for flag, counter in FLAG_COUNTERS.items():
        if subscription[flag]:
            counters[counter] = rng.randint(0, endpoints)

    own_use = subscription["ownUse"]
    edr = subscription["manageEventCorrelator"] or own_use["manageEventCorrelator"]
    ats = subscription["manageSandboxAnalyzer"] or subscription["manageHyperDetect"] or own_use["manageSandboxAnalyzer"]
    if edr or subscription["assignedProductType"] == EDR:
        counters["edrMonthlyUsage"] = endpoints
    if ats:
        counters["atsMonthlyUsage"] = endpoints
    if subscription["licensedServices"]["mdrServiceOwnUse"]:
        counters["mdrFoundationsMonthlyUsage"] = endpoints

    if subscription["manageIntegrityMonitoring"]:
        monitored = rng.randint(0, endpoints)
        counters["integrityMonitoringUsage"] = monitored
        retention_counter = RETENTION_COUNTERS.get(subscription["imDataRetention"])
        if retention_counter:
            counters[retention_counter] = monitored

    for flag, counter in SENSOR_COUNTERS.items():
        if own_use[flag]:
            counters[counter] = rng.randint(0, 50)

    if subscription["manageRemoteEnginesScanning"] or own_use["manageRemoteEnginesScanning"]:
        counters["sveVsMonthlyUsage"] = rng.randint(0, 20)
        counters["sveVdiMonthlyUsage"] = rng.randint(0, 2000)
    return counters
