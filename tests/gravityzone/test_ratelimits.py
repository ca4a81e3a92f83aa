import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import redis

from gravityzone.ratelimits import DEFAULT, LocalRateLimiter, RateLimits, RedisRateLimiter
from gravityzone.simulator.ratelimit import BurstQueueLimiter
from tests.services import API_KEY, require, running_simulator

REDIS_URL = "redis://127.0.0.1:6379/0"


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_local_limiter_spaces_calls_at_the_limit_pace():
    waits = []
    limiter = LocalRateLimiter(clock=FakeClock(), sleep=waits.append)

    for _ in range(3):
        limiter.acquire("getMonthlyUsage")

    assert waits == pytest.approx([0.2, 0.4])


def test_local_limiter_keeps_separate_pace_per_limit():
    waits = []
    limiter = LocalRateLimiter(clock=FakeClock(), sleep=waits.append)

    limiter.acquire("getMonthlyUsage")
    limiter.acquire("createCompany")

    assert waits == []


def test_local_limiter_delay_holds_back_next_call():
    waits = []
    limiter = LocalRateLimiter(clock=FakeClock(), sleep=waits.append)

    limiter.delay("setMonthlySubscription", 3.0)
    limiter.acquire("setMonthlySubscription")

    assert waits == [3.0]


def test_disabled_limits_never_wait():
    waits = []
    limiter = LocalRateLimiter(RateLimits(enabled=False), clock=FakeClock(), sleep=waits.append)

    for _ in range(5):
        limiter.acquire("setMonthlySubscription")

    assert waits == []


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        require(False, "Redis at 127.0.0.1:6379")
    return REDIS_URL


def test_redis_limiter_shares_pace_between_processes(redis_url):
    # Two limiters stand for two worker processes; a unique key keeps runs apart.
    api_key = f"pace-test-{id(object())}"
    waits = []
    first = RedisRateLimiter(redis_url, api_key, sleep=waits.append)
    second = RedisRateLimiter(redis_url, api_key, sleep=waits.append)

    for limiter in (first, second, first, second):
        limiter.acquire("getMonthlyUsage")

    assert waits == pytest.approx([0.2, 0.4, 0.6], abs=0.05)


def test_redis_limiter_stores_no_api_key(redis_url):
    api_key = f"secret-key-{id(object())}"
    RedisRateLimiter(redis_url, api_key, sleep=lambda seconds: None).acquire("getMonthlyUsage")

    keys = redis.Redis.from_url(redis_url).keys("gravityzone:ratelimit:*")

    assert all(api_key.encode() not in key for key in keys)


def test_server_queues_burst_then_refuses():
    limiter = BurstQueueLimiter(RateLimits(), clock=FakeClock())

    admissions = [limiter.admit("createCompany") for _ in range(DEFAULT.burst + 2)]

    refused = [admission for admission in admissions if admission.retry_after is not None]
    assert len(refused) == 1


def test_server_queued_calls_wait_their_turn():
    limiter = BurstQueueLimiter(RateLimits(), clock=FakeClock())

    waits = [limiter.admit("getMonthlyUsage").wait for _ in range(3)]

    assert waits == pytest.approx([0.0, 0.2, 0.4])


def test_server_answers_429_with_retry_after_over_http():
    body = json.dumps({"id": "1", "jsonrpc": "2.0", "method": "getCompanyDetails", "params": {}})

    with running_simulator() as simulator:
        url = f"{simulator.base_url}/v1.0/jsonrpc/companies"

        def post(_):
            return httpx.post(url, content=body, auth=(API_KEY, ""), timeout=10)

        with ThreadPoolExecutor(max_workers=16) as pool:
            responses = list(pool.map(post, range(16)))

    refused = [response for response in responses if response.status_code == 429]
    assert refused, "expected some calls beyond the burst queue to be refused"
    assert all(int(response.headers["Retry-After"]) >= 1 for response in refused)
