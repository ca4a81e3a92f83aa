import pytest
from django.urls import reverse

from companies import bulk
from companies.models import BulkChange, Company, SyncState
from tests.companies.admin_forms import LIST_URL
from tests.companies.factories import make_customer, make_partner, subscribe

pytestmark = pytest.mark.django_db


def apply_action(client, companies, **choices):
    data = {
        "action": "change_add_ons",
        "_selected_action": [company.pk for company in companies],
        "apply": "1",
        **choices,
    }
    return client.post(LIST_URL, data)


def test_action_asks_which_add_ons_to_change(admin_client):
    company = make_customer()
    subscribe(company)

    response = admin_client.post(LIST_URL, {"action": "change_add_ons", "_selected_action": [company.pk]})

    assert "Apply and push to GravityZone" in response.content.decode()


def test_action_without_choice_asks_again(admin_client):
    company = make_customer()
    subscribe(company)

    response = apply_action(admin_client, [company])

    assert "Choose at least one add-on" in response.content.decode()


def test_edr_turned_on_brings_companions(admin_client):
    company = make_customer()
    subscribe(company)

    apply_action(admin_client, [company], manage_event_correlator="on")

    company.subscription.refresh_from_db()
    assert (company.subscription.manage_sandbox_analyzer, company.subscription.manage_hyper_detect) == (True, True)


def test_changed_companies_are_queued(admin_client, django_capture_on_commit_callbacks, published_tasks):
    first = make_customer()
    second = make_customer(name="Fabrikam Logistics")
    for company in (first, second):
        subscribe(company)

    with django_capture_on_commit_callbacks(execute=True):
        apply_action(admin_client, [first, second], manage_exchange="on")

    assert sorted(args[0] for _name, args, _kwargs in published_tasks) == sorted([first.pk, second.pk])


def test_change_is_pushed_as_subscription_change(admin_client):
    company = make_customer(gravityzone_id="a" * 24, sync_state=SyncState.SYNCED)
    subscribe(company)

    apply_action(admin_client, [company], manage_exchange="on")

    company.refresh_from_db()
    assert (company.sync_state, company.push_subscription) == ("pending", True)


def test_company_breaking_a_rule_is_left_out(admin_client):
    company = make_customer()
    subscribe(company, assigned_protection_model="mspSecure")

    apply_action(admin_client, [company], manage_container_protection="on")

    bulk_change = BulkChange.objects.get()
    assert bulk_change.skipped == [
        {"company": "Contoso Dental", "reason": "Container Protection needs the à la carte protection model."}
    ]


def test_trial_in_gravityzone_is_left_out(admin_client):
    company = make_partner(gravityzone_id="a" * 24)
    subscribe(company, license_type=4, assigned_protection_model="")

    apply_action(admin_client, [company], manage_exchange="on")

    company.subscription.refresh_from_db()
    assert company.subscription.manage_exchange is False


def test_select_across_changes_every_company(admin_client):
    companies = [make_customer(name=f"Customer {number}") for number in range(3)]
    for company in companies:
        subscribe(company)

    admin_client.post(
        LIST_URL,
        {
            "action": "change_add_ons",
            "_selected_action": [companies[0].pk],
            "select_across": "1",
            "apply": "1",
            "manage_exchange": "on",
        },
    )

    assert len(BulkChange.objects.get().company_ids) == 3


def test_progress_counts_sync_states():
    synced = make_customer(sync_state=SyncState.SYNCED)
    pending = make_customer(name="Fabrikam Logistics")
    bulk_change = BulkChange.objects.create(description="Exchange on", company_ids=[synced.pk, pending.pk])

    assert bulk.progress(bulk_change) == {"pending": 1, "synced": 1, "failed": 0}


def test_progress_page_shows_counts(admin_client):
    company = make_customer()
    subscribe(company)
    apply_action(admin_client, [company], manage_exchange="on")

    response = admin_client.get(reverse("admin:companies_bulkchange_change", args=[BulkChange.objects.get().pk]))

    assert "0 synced, 0 failed, 1 still pending" in response.content.decode()


def test_bulk_change_raises_versions(admin_client):
    company = make_customer()
    subscribe(company)

    apply_action(admin_client, [company], manage_exchange="on")

    assert Company.objects.get(pk=company.pk).version == company.version + 1
