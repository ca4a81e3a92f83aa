import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from billing.months import current_month
from billing.tasks import pull_usage
from companies import rules, sync
from companies.choices import CompanyType, LicenseType, ProductType, ProtectionModel
from companies.models import Company, Subscription

DEMO_USERNAME = "admin"
DEMO_PULL_DELAY_SECONDS = 30

# (name, type, parent name, subscription settings); parents come before their children.
DEMO_COMPANIES = [
    (
        "Northwind IT Services",
        CompanyType.PARTNER,
        None,
        {
            "reserved_slots": 500,
            "assigned_protection_model": ProtectionModel.MSP_SECURE_PLUS,
            "additional_protection_models": ["mspSecure", "mspSecurePlus", "aLaCarte"],
            "additional_product_types": [ProductType.ENDPOINT_SECURITY, ProductType.EDR],
            "resell_event_correlator": True,
            "resell_container_protection": True,
        },
    ),
    (
        "Contoso Dental",
        CompanyType.CUSTOMER,
        "Northwind IT Services",
        {
            "reserved_slots": 50,
            "minimum_endpoints": 40,
            "assigned_protection_model": ProtectionModel.A_LA_CARTE,
            "manage_event_correlator": True,
            "manage_container_protection": True,
        },
    ),
    (
        "Fabrikam Logistics",
        CompanyType.CUSTOMER,
        "Northwind IT Services",
        {"assigned_protection_model": ProtectionModel.MSP_SECURE, "manage_exchange": True},
    ),
    ("Blue Yonder MSP", CompanyType.PARTNER, None, {"license_type": LicenseType.MONTHLY_LICENSE_TRIAL}),
    (
        "Tailspin Toys",
        CompanyType.CUSTOMER,
        "Blue Yonder MSP",
        {"license_type": LicenseType.MONTHLY_SUBSCRIPTION_TRIAL},
    ),
    ("Adventure Works", CompanyType.CUSTOMER, None, {"assigned_product_type": ProductType.EDR}),
]


class Command(BaseCommand):
    help = (
        "Create the demo administrator with a new password and add the demo companies that are "
        "missing. Set DEMO_ADMIN_PASSWORD to choose the password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-url",
            default="/admin/",
            help="the address of the admin to print with the login (default: /admin/)",
        )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        self.reset_admin(password)
        added = self.add_demo_companies()

        if added:
            self.stdout.write(f"Demo companies added: {added}. The worker pushes them to GravityZone.")
        else:
            self.stdout.write("The demo companies exist already.")
        # Give the worker time to create the companies, then pull this month's usage for the dashboard.
        pull_usage.apply_async((current_month().isoformat(), "demo"), countdown=DEMO_PULL_DELAY_SECONDS)
        login = f"Log in at {options['admin_url']} as {DEMO_USERNAME} with password {password}"
        self.stdout.write(self.style.SUCCESS(login))

    def reset_admin(self, password):
        user, _created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()

    @transaction.atomic
    def add_demo_companies(self):
        added = []
        for name, company_type, parent_name, settings in DEMO_COMPANIES:
            if Company.objects.filter(name__iexact=name).exists():
                continue
            parent = Company.objects.get(name=parent_name) if parent_name else None
            company = Company(name=name, company_type=company_type, parent=parent)
            company.full_clean()
            company.save()

            subscription = Subscription(company=company, **settings)
            rules.apply_couplings(subscription, company, set(settings))
            errors = rules.check_subscription(subscription, company)
            if errors:
                raise ValueError(f"Demo company {name} breaks GravityZone's rules: {errors}")
            subscription.full_clean()
            subscription.save()
            added.append(company.pk)

        sync.request_push(added)
        return len(added)
