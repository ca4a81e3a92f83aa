"""Render the finance dashboard and a company's history with 5,000 companies and 24 months.

Fills a PostgreSQL database with companies, subscriptions and usage rows (bulk inserts), then
renders both pages through Django's test client as a finance user would, and prints the
median time and the number of SQL queries of each. The database is dropped and created again
on every run.

    python -m benchmarks.dashboard_scale [--companies 5000] [--months 24] [--runs 7]
"""

import argparse
import datetime
import json
import os
import statistics
import time
import uuid

DATABASE_NAME = "backoffice_benchmark"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"


def recreate_database():
    import psycopg

    with psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE_NAME}")
        connection.execute(f"CREATE DATABASE {DATABASE_NAME}")


def configure():
    os.environ.update(
        DJANGO_SETTINGS_MODULE="backoffice.settings",
        SECRET_KEY="benchmark-only-" + uuid.uuid4().hex,
        DATABASE_URL=f"{SERVER_URL}/{DATABASE_NAME}",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(company_count, month_count):
    """Insert partners with five customers each, their subscriptions and their usage rows."""
    from billing.models import MonthlyUsage
    from billing.months import add_months, previous_month
    from companies.models import Company, CompanyType, Subscription

    partner_count = company_count // 6
    partners = Company.objects.bulk_create(
        Company(name=f"Partner {number}", name_key=f"partner {number}", company_type=CompanyType.PARTNER)
        for number in range(partner_count)
    )
    customers = Company.objects.bulk_create(
        Company(
            name=f"Customer {number}",
            name_key=f"customer {number}",
            company_type=CompanyType.CUSTOMER,
            parent=partners[number % partner_count],
        )
        for number in range(company_count - partner_count)
    )
    companies = [*partners, *customers]
    Subscription.objects.bulk_create(
        Subscription(company=company, assigned_protection_model="aLaCarte", reserved_slots=100, minimum_endpoints=10)
        for company in companies
    )

    last = previous_month()
    for index in range(month_count):
        month = add_months(last, -index)
        MonthlyUsage.objects.bulk_create(
            (
                MonthlyUsage(
                    company=company,
                    month=month,
                    endpoint=(company.pk * 7 + index) % 150,
                    a_la_carte=(company.pk * 7 + index) % 150,
                    edr=company.pk % 20,
                    minimum_endpoints=10,
                )
                for company in companies
            ),
            batch_size=2000,
        )
    return last, customers[0]


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} responded with HTTP {response.status_code}")
        queries = len(captured)
    return {"median seconds": round(statistics.median(times), 3), "queries": queries}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=5000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    recreate_database()
    configure()
    started = time.perf_counter()
    month, customer = fill(args.companies, args.months)
    filled = time.perf_counter() - started

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    user = get_user_model().objects.create_superuser("benchmark", "benchmark@example.com", uuid.uuid4().hex)
    client = Client()
    client.force_login(user)
    dashboard = reverse("admin:billing_monthlyusage_changelist") + f"?month={month:%Y-%m}"
    history = reverse("admin:billing_monthlyusage_history", args=[customer.pk])
    report = {
        "companies": args.companies,
        "months": args.months,
        "usage rows": args.companies * args.months,
        "seconds to fill": round(filled, 1),
        "dashboard": measure(client, dashboard, args.runs),
        "company history": measure(client, history, args.runs),
        "measured at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
