import datetime

from billing.models import MonthlyUsage
from companies.models import Company
from tests.companies.factories import make_customer, make_partner, subscribe
from tests.companies.test_push_subscription import push_until_done

OCTOBER = datetime.date(2026, 10, 1)

# The result of the marketplace page's getMonthlyUsage example.
MARKETPLACE_USAGE = {
    "endpointMonthlyUsage": 4,
    "encryptionMonthlyUsage": 0,
    "emailSecurityMonthlyUsage": 0,
    "mobileSecurityMonthlyUsage": 0,
    "exchangeMonthlyUsage": 0,
    "atsMonthlyUsage": 0,
    "edrMonthlyUsage": 0,
    "mdrFoundationsMonthlyUsage": 0,
    "patchManagementMonthlyUsage": 0,
    "integrityMonitoringUsage": 0,
    "integrityMonitoring90DaysUsage": 0,
    "integrityMonitoring180DaysUsage": 0,
    "integrityMonitoring1YearUsage": 0,
    "sveVsMonthlyUsage": 0,
    "sveVdiMonthlyUsage": 0,
    "containerProtectionMonthlyUsage": 0,
    "xdrIdentitySensorsMonthlyUsage": 0,
    "xdrProductivitySensorsMonthlyUsage": 0,
    "xdrNetworkSensorsMonthlyUsage": 0,
    "xdrCloudSensorsMonthlyUsage": 0,
    "aLaCarteMonthlyUsage": 1,
    "mspSecureMonthlyUsage": 1,
    "mspSecurePlusMonthlyUsage": 0,
    "mspSecureExtraMonthlyUsage": 2,
}


def pushed(company, tenant, **subscription):
    """Subscribe and push a company, with its subscription in force since long before October."""
    subscribe(company, **subscription)
    push_until_done(company)
    company = Company.objects.get(pk=company.pk)
    for entry in tenant.companies[company.gravityzone_id].subscription_history:
        entry[0] = "2000-01-01T00:00:00"
    return company


def set_usage(tenant, company, counters, month="10/2026"):
    tenant.usage_overrides[f"{company.gravityzone_id} {month}"] = counters


def usage_row(company, month=OCTOBER, **counters):
    """Store a usage row directly, for dashboard tests that need no GravityZone."""
    return MonthlyUsage.objects.create(company=company, month=month, **counters)


__all__ = ["make_customer", "make_partner"]
