import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from companies import sync
from companies.models import Company, CompanyType

DEMO_USERNAME = "admin"

# (name, type, parent name); parents come before their children.
DEMO_COMPANIES = [
    ("Northwind IT Services", CompanyType.PARTNER, None),
    ("Contoso Dental", CompanyType.CUSTOMER, "Northwind IT Services"),
    ("Fabrikam Logistics", CompanyType.CUSTOMER, "Northwind IT Services"),
    ("Blue Yonder MSP", CompanyType.PARTNER, None),
    ("Tailspin Toys", CompanyType.CUSTOMER, "Blue Yonder MSP"),
    ("Adventure Works", CompanyType.CUSTOMER, None),
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

        self.stdout.write(f"Demo companies added: {added} (the worker pushes them to GravityZone).")
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
        for name, company_type, parent_name in DEMO_COMPANIES:
            if Company.objects.filter(name__iexact=name).exists():
                continue
            parent = Company.objects.get(name=parent_name) if parent_name else None
            company = Company(name=name, company_type=company_type, parent=parent)
            company.full_clean()
            company.save()
            added.append(company.pk)

        sync.request_push(added)
        return len(added)
