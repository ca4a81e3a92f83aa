import pytest
from celery.signals import before_task_publish

from backoffice.celery import app as celery_app
from gravityzone import GravityZoneClient
from gravityzone.ratelimits import LocalRateLimiter, RateLimits
from tests.services import API_KEY, running_simulator

# Most tests are not about pacing: the simulator and its clients run 50 times faster than
# GravityZone's documented limits, which they still enforce and follow.
TEST_RATE_LIMITS = RateLimits(scale=50)


@pytest.fixture
def simulator():
    with running_simulator(rate_limits=TEST_RATE_LIMITS) as server:
        yield server


@pytest.fixture
def tenant(simulator):
    return simulator.simulator.tenant


@pytest.fixture
def client_for(simulator):
    """Return a GravityZone client pointed at the simulator, closed after the test."""
    clients = []

    def make(api_key=API_KEY):
        client = GravityZoneClient(simulator.base_url, api_key, rate_limiter=LocalRateLimiter(TEST_RATE_LIMITS))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def gravityzone(client_for):
    return client_for()


@pytest.fixture
def use_simulator(settings, simulator):
    """Point the back-office's GravityZone settings at the test's simulator."""
    settings.GRAVITYZONE_API_URL = simulator.base_url
    settings.GRAVITYZONE_API_KEY = API_KEY
    return simulator


@pytest.fixture
def published_tasks():
    """Record (task name, args, kwargs) of every task sent to the broker during the test."""
    published = []

    def record(sender, body, **extra):
        args, kwargs, _options = body
        published.append((sender, list(args), kwargs))

    before_task_publish.connect(record, weak=False)
    yield published
    before_task_publish.disconnect(record)


@pytest.fixture(scope="session", autouse=True)
def purge_test_queue():
    """Drop the tasks the tests sent and no worker took, so the broker does not keep them."""
    yield
    celery_app.control.purge()
