import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company, CompanyType, Subscription, SyncState
from tests.companies.admin_forms import ADD_URL, LIST_URL, change_url, company_errors, form_data
from tests.companies.factories import make_customer, make_partner, subscribe

pytestmark = pytest.mark.django_db


def test_adding_company_queues_its_push_after_commit(admin_client, django_capture_on_commit_callbacks, published_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(ADD_URL, form_data())

    company = Company.objects.get()
    assert published_tasks == [("companies.tasks.push_company", [company.pk], {})]


def test_added_company_is_pending(admin_client):
    admin_client.post(ADD_URL, form_data())

    assert Company.objects.get().sync_state == SyncState.PENDING


def test_name_taken_in_other_case_is_rejected_on_field(admin_client):
    make_partner(name="Northwind IT Services")

    response = admin_client.post(ADD_URL, form_data(name="NORTHWIND it services"))

    assert company_errors(response)["name"] == ["A company with this name already exists."]


def test_customer_cannot_be_chosen_as_parent(admin_client):
    customer = make_customer()

    response = admin_client.post(
        ADD_URL, form_data(company_type=CompanyType.CUSTOMER, name="Fabrikam", parent=customer.pk)
    )

    assert "parent" in company_errors(response)


def test_partner_with_companies_cannot_become_customer(admin_client):
    partner = make_partner()
    make_customer(parent=partner)

    response = admin_client.post(change_url(partner), form_data(partner, company_type=CompanyType.CUSTOMER))

    assert company_errors(response)["company_type"] == [
        "This partner manages other companies, so it cannot become a customer."
    ]


def test_blank_name_is_rejected_on_field(admin_client):
    response = admin_client.post(ADD_URL, form_data(name="   "))

    assert company_errors(response)["name"] == ["This field is required."]


def test_saving_changes_keeps_gravityzone_id(admin_client):
    partner = make_partner(gravityzone_id="a" * 24, sync_state=SyncState.SYNCED)

    admin_client.post(change_url(partner), form_data(partner, name="Northwind Security"))

    partner.refresh_from_db()
    assert (partner.name, partner.gravityzone_id, partner.sync_state) == ("Northwind Security", "a" * 24, "pending")


def test_saving_without_changes_does_not_push(admin_client, published_tasks, django_capture_on_commit_callbacks):
    partner = make_partner(gravityzone_id="a" * 24, sync_state=SyncState.SYNCED)
    subscription = subscribe(partner)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(change_url(partner), form_data(partner, subscription))

    assert published_tasks == []


def test_parent_is_read_only_once_in_gravityzone(admin_client):
    customer = make_customer(gravityzone_id="a" * 24, sync_state=SyncState.SYNCED)

    response = admin_client.get(change_url(customer))

    assert "parent" not in response.context["adminform"].form.fields


def test_sync_status_view_reports_state_and_id(admin_client):
    partner = make_partner(gravityzone_id="a" * 24, sync_state=SyncState.SYNCED)

    response = admin_client.get(reverse("admin:companies_company_sync_status", args=[partner.pk]))

    assert (response.json()["state"], response.json()["gravityzone_id"]) == ("synced", "a" * 24)


def test_sync_status_view_answers_404_for_unknown_company(admin_client):
    response = admin_client.get(reverse("admin:companies_company_sync_status", args=[999999]))

    assert response.status_code == 404


def test_change_page_shows_failure_reason(admin_client):
    partner = make_partner(sync_state=SyncState.FAILED, sync_error="GravityZone rejected the change: no.")

    response = admin_client.get(change_url(partner))

    assert "GravityZone rejected the change: no." in response.content.decode()


def test_push_again_action_queues_selected_companies(admin_client, django_capture_on_commit_callbacks, published_tasks):
    partner = make_partner(sync_state=SyncState.FAILED, sync_error="timed out")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(LIST_URL, {"action": "push_again", "_selected_action": [partner.pk]})

    partner.refresh_from_db()
    assert (partner.sync_state, published_tasks) == ("pending", [("companies.tasks.push_company", [partner.pk], {})])


def test_company_cannot_be_deleted_from_admin(admin_client):
    partner = make_partner()

    response = admin_client.post(reverse("admin:companies_company_delete", args=[partner.pk]), {"post": "yes"})

    assert (response.status_code, Company.objects.count()) == (403, 1)


def count_changelist_queries(admin_client):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(LIST_URL)
    assert response.status_code == 200
    return len(queries)


def add_companies(count, start=0):
    # bulk_create skips save(), so name_key is filled in here.
    partners = Company.objects.bulk_create(
        Company(name=f"Partner {number}", name_key=f"partner {number}", company_type=CompanyType.PARTNER)
        for number in range(start, start + count)
    )
    customers = Company.objects.bulk_create(
        Company(
            name=f"Customer {number}",
            name_key=f"customer {number}",
            company_type=CompanyType.CUSTOMER,
            parent=partner,
        )
        for number, partner in enumerate(partners, start=start)
    )
    Subscription.objects.bulk_create(
        Subscription(company=company, assigned_protection_model="aLaCarte", manage_exchange=True)
        for company in [*partners, *customers]
    )


def test_company_list_query_count_does_not_grow_with_rows(admin_client):
    add_companies(5)
    few = count_changelist_queries(admin_client)
    add_companies(1500, start=5)

    many = count_changelist_queries(admin_client)

    assert many == few


@pytest.mark.parametrize(
    ("existing", "new"),
    [("Straße GmbH", "STRASSE GMBH"), ("Ärzte Zentrum", "ärzte zentrum"), ("Café Noir", "Cafe\u0301 Noir")],
    ids=["sharp-s", "umlaut", "decomposed-accent"],
)
def test_names_equal_once_case_folded_are_rejected(admin_client, existing, new):
    make_customer(name=existing)

    response = admin_client.post(ADD_URL, form_data(name=new))

    assert company_errors(response)["name"] == ["A company with this name already exists."]


def test_invisible_character_in_name_is_rejected(admin_client):
    response = admin_client.post(ADD_URL, form_data(name="Contoso\u200bDental"))

    assert "invisible character (U+200B)" in company_errors(response)["name"][0]


def test_name_spaces_are_collapsed(admin_client):
    admin_client.post(ADD_URL, form_data(name="  Northwind   IT Services "))

    assert Company.objects.get().name == "Northwind IT Services"


def test_long_name_gets_message_instead_of_cut(admin_client):
    response = admin_client.get(ADD_URL)
    name_input = response.context["adminform"].form.fields["name"].widget.attrs

    response = admin_client.post(ADD_URL, form_data(name="N" * 70))

    assert "maxlength" not in name_input
    assert company_errors(response)["name"] == ["Ensure this value has at most 64 characters (it has 70)."]


def test_parent_below_company_is_rejected(admin_client):
    top = make_partner(name="Top Partner")
    middle = make_partner(name="Middle Partner", parent=top)

    response = admin_client.post(change_url(top), form_data(top, parent=middle.pk))

    assert company_errors(response)["parent"] == ["A company cannot be managed by itself or by a company below it."]


def test_parent_change_after_sync_is_rejected_on_field(admin_client):
    # The form was opened before the push finished, so it still shows the parent.
    first = make_partner(name="First Partner")
    second = make_partner(name="Second Partner")
    customer = make_customer(parent=first, gravityzone_id="c" * 24, sync_state=SyncState.SYNCED)

    response = admin_client.post(change_url(customer), form_data(customer, parent=second.pk))

    assert "moving it to another partner is not supported" in company_errors(response)["parent"][0]


def test_push_again_message_counts_one_company(admin_client):
    partner = make_partner(sync_state=SyncState.FAILED)

    response = admin_client.post(LIST_URL, {"action": "push_again", "_selected_action": [partner.pk]}, follow=True)

    assert "1 company queued for GravityZone." in response.content.decode()


def test_push_button_queues_company(admin_client, django_capture_on_commit_callbacks, published_tasks):
    partner = make_partner(sync_state=SyncState.FAILED, sync_error="timed out")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:companies_company_push", args=[partner.pk]))

    partner.refresh_from_db()
    assert (partner.sync_state, published_tasks) == ("pending", [("companies.tasks.push_company", [partner.pk], {})])


def test_push_button_ignores_get(admin_client, published_tasks):
    partner = make_partner(sync_state=SyncState.FAILED)

    admin_client.get(reverse("admin:companies_company_push", args=[partner.pk]))

    partner.refresh_from_db()
    assert partner.sync_state == SyncState.FAILED


def test_change_page_shows_next_request_without_api_key(admin_client, settings):
    partner = make_partner()
    subscribe(partner)

    page = admin_client.get(change_url(partner)).content.decode()

    assert "&quot;method&quot;: &quot;createCompany&quot;" in page
    assert settings.GRAVITYZONE_API_KEY not in page


def test_api_call_log_is_read_only(admin_client):
    response = admin_client.get(reverse("admin:companies_apicall_add"))

    assert response.status_code == 403
