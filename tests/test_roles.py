"""What each role may see and do: every page and action, allowed and refused."""

import pytest
from django.urls import reverse

from companies.choices import SyncState
from companies.models import BulkChange, Company, StatusChange
from tests.companies.admin_forms import ADD_URL, LIST_URL, change_url, form_data
from tests.companies.factories import make_customer, subscribe
from tests.services import role_group

pytestmark = pytest.mark.django_db

ROLES = ("Account managers", "Support", "Finance")


@pytest.fixture
def company():
    company = make_customer(gravityzone_id="a" * 24, sync_state=SyncState.SYNCED)
    subscribe(company)
    return Company.objects.get(pk=company.pk)


def client_for(client, django_user_model, role):
    user = django_user_model.objects.create_user(username=role.lower().replace(" ", "-"), password="x", is_staff=True)
    user.groups.add(role_group(role))
    client.force_login(user)
    return client


def sees_company_list(client, company, capture):
    return client.get(LIST_URL).status_code == 200


def opens_add_page(client, company, capture):
    return client.get(ADD_URL).status_code == 200


def renames_company(client, company, capture):
    client.post(change_url(company), form_data(company, company.subscription, name="Contoso Clinics"))
    return Company.objects.get(pk=company.pk).name == "Contoso Clinics"


def changes_subscription(client, company, capture):
    data = form_data(company, company.subscription, subscription_fields={"manage_exchange": True})
    client.post(change_url(company), data)
    return Company.objects.get(pk=company.pk).subscription.manage_exchange


def pushes_again(client, company, capture):
    client.post(reverse("admin:companies_company_push", args=[company.pk]))
    return Company.objects.get(pk=company.pk).sync_state == SyncState.PENDING


def changes_add_ons_in_bulk(client, company, capture):
    data = {"action": "change_add_ons", "_selected_action": [company.pk], "apply": "1", "manage_exchange": "on"}
    client.post(LIST_URL, data)
    return BulkChange.objects.exists()


def suspends(client, company, capture):
    data = {
        "action": "suspend_companies",
        "_selected_action": [company.pk],
        "apply": "1",
        "recursive": "no",
        "reason": "Unpaid",
    }
    client.post(LIST_URL, data)
    return StatusChange.objects.exists()


def refreshes_licence(client, company, capture):
    with capture() as callbacks:
        client.post(reverse("admin:companies_company_refresh_license", args=[company.pk]))
    return len(callbacks) == 1


def reads_api_call_log(client, company, capture):
    return client.get(reverse("admin:companies_apicall_changelist")).status_code == 200


def reads_status_changes(client, company, capture):
    return client.get(reverse("admin:companies_statuschange_changelist")).status_code == 200


def reads_company_history(client, company, capture):
    return client.get(reverse("admin:companies_company_history", args=[company.pk])).status_code == 200


def reads_usage_dashboard(client, company, capture):
    return client.get(reverse("admin:billing_monthlyusage_changelist")).status_code == 200


def exports_usage(client, company, capture):
    return client.get(reverse("admin:billing_monthlyusage_export", args=["csv"])).status_code == 200


# Each row: the check, then whether account managers, support and finance may do it.
MATRIX = [
    (sees_company_list, True, True, True),
    (opens_add_page, True, False, False),
    (renames_company, True, False, False),
    (changes_subscription, True, False, False),
    (pushes_again, True, False, False),
    (changes_add_ons_in_bulk, True, False, False),
    (suspends, False, True, False),
    (refreshes_licence, False, True, False),
    (reads_api_call_log, True, True, False),
    (reads_status_changes, True, True, False),
    (reads_company_history, True, True, True),
    (reads_usage_dashboard, False, False, True),
    (exports_usage, False, False, True),
]

CASES = [
    pytest.param(role, check, allowed[index], id=f"{role}-{check.__name__}")
    for check, *allowed in MATRIX
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("role", "check", "allowed"), CASES)
def test_role_permission(client, django_user_model, company, django_capture_on_commit_callbacks, role, check, allowed):
    client = client_for(client, django_user_model, role)

    assert check(client, company, django_capture_on_commit_callbacks) is allowed
