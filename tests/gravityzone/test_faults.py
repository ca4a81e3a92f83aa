"""The client's retries against faults the simulator injects."""

import httpx
import pytest

from gravityzone import GravityZoneClient
from gravityzone.errors import RateLimitedError, TransientError
from gravityzone.ratelimits import LocalRateLimiter
from gravityzone.simulator.faults import FaultPlan
from tests.gravityzone.helpers import customer, partner
from tests.services import API_KEY


class RecordingSleep:
    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


@pytest.fixture
def sleep():
    return RecordingSleep()


@pytest.fixture
def client(simulator, sleep):
    with GravityZoneClient(simulator.base_url, API_KEY, sleep=sleep, timeout=httpx.Timeout(1.0)) as client:
        yield client


def inject(simulator, *upcoming, methods=None):
    simulator.simulator.fault_plan = FaultPlan(upcoming=list(upcoming), methods=frozenset(methods) if methods else None)


def names(tenant):
    return sorted(company.name for company in tenant.companies.values() if company.id != tenant.root_id)


def test_server_error_is_retried(client, simulator):
    inject(simulator, "server_error")

    assert client.get_company_details().id == simulator.simulator.tenant.root_id


def test_html_error_page_is_retried(client, simulator):
    inject(simulator, "html_error")

    assert client.get_company_details().id == simulator.simulator.tenant.root_id


def test_repeated_failures_raise_after_max_attempts(client, simulator):
    inject(simulator, "server_error", "server_error", "server_error")

    with pytest.raises(TransientError):
        client.get_company_details()


def test_rate_limited_call_waits_without_using_attempts(simulator, sleep):
    inject(simulator, *["rate_limited"] * 4)

    limiter = LocalRateLimiter(sleep=sleep)
    with GravityZoneClient(simulator.base_url, API_KEY, rate_limiter=limiter, sleep=sleep, max_attempts=1) as client:
        details = client.get_company_details()

    assert details.id == simulator.simulator.tenant.root_id


def test_rate_limited_call_waits_at_least_retry_after(simulator):
    inject(simulator, "rate_limited")
    waits = []

    with GravityZoneClient(simulator.base_url, API_KEY, rate_limiter=LocalRateLimiter(sleep=waits.append)) as client:
        client.get_company_details()

    assert max(waits) >= 0.99


def test_endless_rate_limiting_gives_up(simulator, sleep):
    inject(simulator, *["rate_limited"] * 5)

    limiter = LocalRateLimiter(sleep=sleep)
    with (
        GravityZoneClient(simulator.base_url, API_KEY, rate_limiter=limiter, max_rate_limited_waits=3) as client,
        pytest.raises(RateLimitedError),
    ):
        client.get_company_details()


def test_lost_create_response_is_not_repeated_blindly(client, simulator):
    inject(simulator, "lost_response", methods=["createCompany"])

    with pytest.raises(TransientError) as caught:
        client.create_company(customer())

    assert (caught.value.request_sent, names(simulator.simulator.tenant)) == (True, ["Contoso Dental"])


def test_create_once_after_lost_response_returns_created_company(client, simulator):
    inject(simulator, "lost_response", methods=["createCompany"])

    company_id = client.create_company_once(customer())

    assert simulator.simulator.tenant.companies[company_id].name == "Contoso Dental"


def test_create_once_after_lost_response_makes_no_duplicate(client, simulator):
    inject(simulator, "lost_response", methods=["createCompany"])

    client.create_company_once(customer())
    client.create_company_once(customer())

    assert names(simulator.simulator.tenant) == ["Contoso Dental"]


def test_slow_answer_times_out_as_transient(simulator, sleep):
    simulator.simulator.fault_plan = FaultPlan(upcoming=["slow"] * 3, slow_seconds=0.5)

    with (
        GravityZoneClient(simulator.base_url, API_KEY, sleep=sleep, timeout=httpx.Timeout(0.2)) as client,
        pytest.raises(TransientError, match="did not respond in time"),
    ):
        client.get_company_details()


def test_lost_delete_response_counts_as_deleted(client, simulator):
    company_id = client.create_company(customer())
    inject(simulator, "lost_response", methods=["deleteCompany"])

    client.delete_company(company_id)

    assert company_id not in simulator.simulator.tenant.companies


def test_lost_suspend_response_is_retried(client, simulator):
    partner_id = client.create_company(partner())
    inject(simulator, "lost_response", methods=["suspendCompany"])

    client.suspend_company(partner_id, recursive=False)

    assert simulator.simulator.tenant.companies[partner_id].is_suspended


def test_fault_rates_are_validated():
    with pytest.raises(ValueError, match="unknown fault"):
        FaultPlan(rates={"meteor": 0.5})
