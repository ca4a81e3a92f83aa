"""Pushing companies to the simulator, calling the task body in this process."""

from datetime import timedelta

import pytest
from django.utils import timezone

from companies import sync
from companies.models import Company, SyncState
from companies.tasks import MAX_PUSH_RETRIES, push_company, requeue_stale_pushes
from gravityzone.errors import TransientError
from gravityzone.simulator.state import Company as SimulatedCompany
from tests.companies.factories import make_customer, make_partner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("use_simulator")]


def test_push_creates_company_and_stores_id(tenant):
    partner = make_partner()

    sync.push_company(partner.pk)

    partner.refresh_from_db()
    assert tenant.companies[partner.gravityzone_id].name == "Northwind IT Services"


def test_push_marks_company_synced():
    partner = make_partner()

    sync.push_company(partner.pk)

    partner.refresh_from_db()
    assert partner.sync_state == SyncState.SYNCED


def test_push_creates_customer_below_its_partner(tenant):
    partner = make_partner()
    sync.push_company(partner.pk)
    partner.refresh_from_db()
    customer = make_customer(parent=partner)

    sync.push_company(customer.pk)

    customer.refresh_from_db()
    assert tenant.companies[customer.gravityzone_id].parent_id == partner.gravityzone_id


def test_push_leaves_child_pending_until_parent_has_id(tenant):
    customer = make_customer(parent=make_partner())

    sync.push_company(customer.pk)

    customer.refresh_from_db()
    assert (customer.sync_state, len(tenant.companies)) == (SyncState.PENDING, 1)


def test_parent_push_queues_waiting_children(django_capture_on_commit_callbacks, published_tasks):
    partner = make_partner()
    customer = make_customer(parent=partner)

    with django_capture_on_commit_callbacks(execute=True):
        sync.push_company(partner.pk)

    assert published_tasks == [("companies.tasks.push_company", [customer.pk], {})]


def test_child_of_failed_parent_fails_with_reason():
    partner = make_partner(sync_state=SyncState.FAILED, sync_error="refused")
    customer = make_customer(parent=partner)

    sync.push_company(customer.pk)

    customer.refresh_from_db()
    assert customer.sync_state == SyncState.FAILED
    assert "Push the parent again" in customer.sync_error


def test_push_twice_creates_one_company(tenant):
    partner = make_partner()

    sync.push_company(partner.pk)
    sync.push_company(partner.pk)

    assert [company.name for company in tenant.companies.values()].count(partner.name) == 1


def test_push_after_lost_response_adopts_created_company(tenant):
    # An earlier attempt created the company, but its response never arrived.
    partner = make_partner()
    earlier = SimulatedCompany(id="a" * 24, name=partner.name, type=0, parent_id=tenant.root_id)
    tenant.add(earlier)

    sync.push_company(partner.pk)

    partner.refresh_from_db()
    assert partner.gravityzone_id == earlier.id


def test_push_of_synced_company_updates_its_name(tenant):
    partner = make_partner()
    sync.push_company(partner.pk)
    partner.refresh_from_db()
    partner.name = "Northwind Security"
    partner.save()
    sync.request_push([partner.pk], details=True)

    sync.push_company(partner.pk)

    assert tenant.companies[partner.gravityzone_id].name == "Northwind Security"


def test_refused_push_records_reason(tenant):
    tenant.add(SimulatedCompany(id="b" * 24, name="Contoso Dental", type=0, parent_id=tenant.root_id))
    customer = make_customer()

    sync.push_company(customer.pk)

    customer.refresh_from_db()
    assert customer.sync_state == SyncState.FAILED
    assert "another company type" in customer.sync_error


def test_rejected_api_key_records_what_to_check(settings):
    settings.GRAVITYZONE_API_KEY = "revoked-key"
    partner = make_partner()

    sync.push_company(partner.pk)

    partner.refresh_from_db()
    assert "GRAVITYZONE_API_KEY" in partner.sync_error


def test_unreachable_gravityzone_raises_transient_error(settings):
    settings.GRAVITYZONE_API_URL = "http://127.0.0.1:9/api"
    partner = make_partner()

    with pytest.raises(TransientError):
        sync.push_company(partner.pk)


def test_task_records_failure_when_retries_run_out(settings):
    settings.GRAVITYZONE_API_URL = "http://127.0.0.1:9/api"
    partner = make_partner()

    push_company.apply(args=[partner.pk], retries=MAX_PUSH_RETRIES)

    partner.refresh_from_db()
    assert partner.sync_state == SyncState.FAILED
    assert f"after {MAX_PUSH_RETRIES + 1} attempts" in partner.sync_error


def test_task_ignores_deleted_company():
    partner = make_partner()
    partner_id = partner.pk
    partner.delete()

    push_company.apply(args=[partner_id]).get()


def test_task_arguments_are_primary_keys_only(django_capture_on_commit_callbacks, published_tasks):
    partner = make_partner()

    with django_capture_on_commit_callbacks(execute=True):
        sync.request_push([partner.pk])

    assert published_tasks == [("companies.tasks.push_company", [partner.pk], {})]


def test_sweep_requeues_only_stale_pending_companies(published_tasks):
    stale = make_partner()
    make_partner(name="Fresh Partner")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Company.objects.filter(pk=stale.pk).update(sync_state_changed_at=an_hour_ago)

    requeue_stale_pushes()

    assert published_tasks == [("companies.tasks.push_company", [stale.pk], {})]


def test_push_claimed_by_another_worker_steps_aside(tenant):
    partner = make_partner()
    Company.objects.filter(pk=partner.pk).update(push_claimed_at=timezone.now())

    sync.push_company(partner.pk)

    assert len(tenant.companies) == 1


def test_push_takes_over_claim_of_dead_worker(tenant):
    partner = make_partner()
    Company.objects.filter(pk=partner.pk).update(push_claimed_at=timezone.now() - sync.PUSH_LEASE * 2)

    sync.push_company(partner.pk)

    partner.refresh_from_db()
    assert partner.sync_state == SyncState.SYNCED


def test_edit_during_push_is_pushed_again(django_capture_on_commit_callbacks, published_tasks):
    partner = make_partner()
    claimed = sync._claim(partner.pk)
    # An account manager saves a change while GravityZone is being called.
    sync.request_push([partner.pk])

    with django_capture_on_commit_callbacks(execute=True):
        sync._finish(claimed, SyncState.SYNCED, gravityzone_id="d" * 24)

    partner.refresh_from_db()
    assert (partner.sync_state, partner.gravityzone_id, partner.push_claimed_at) == ("pending", "d" * 24, None)
    assert published_tasks == [("companies.tasks.push_company", [partner.pk], {})]


def test_gravityzone_id_held_by_other_company_fails_push(tenant):
    tenant.add(SimulatedCompany(id="e" * 24, name="Northwind IT Services", type=0, parent_id=tenant.root_id))
    make_partner(name="Older Northwind", gravityzone_id="e" * 24, sync_state=SyncState.SYNCED)
    partner = make_partner()

    sync.push_company(partner.pk)

    partner.refresh_from_db()
    assert partner.sync_state == SyncState.FAILED
    assert "already has this company as Older Northwind" in partner.sync_error


def test_transient_failure_releases_claim(settings):
    settings.GRAVITYZONE_API_URL = "http://127.0.0.1:9/api"
    partner = make_partner()

    with pytest.raises(TransientError):
        sync.push_company(partner.pk)

    partner.refresh_from_db()
    assert partner.push_claimed_at is None
