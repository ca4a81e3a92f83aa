"""GravityZone's documented per-key rate limits, and limiters that keep a client under them.

The limits come from Bitdefender's "API rate limits" page: requests over a limit wait in a
burst queue of the given size and are served in order; once the queue is full, GravityZone
responds with HTTP 429 and a Retry-After header.
"""

import hashlib
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    name: str
    requests: float
    per_seconds: float
    burst: int

    @property
    def interval(self):
        """Seconds between two requests at the limit's pace."""
        return self.per_seconds / self.requests

    def scaled(self, factor):
        """Return this limit with `factor` times as many requests allowed, for tests and benchmarks."""
        return RateLimit(self.name, self.requests * factor, self.per_seconds, self.burst)


DEFAULT = RateLimit("default", 10, 1, burst=10)
LICENSING_AND_CHANGES = RateLimit("5-per-second", 5, 1, burst=5)
SUBSCRIPTIONS = RateLimit("30-per-minute", 30, 60, burst=10)

# Methods with a stricter limit than DEFAULT; every other method gets DEFAULT.
METHOD_LIMITS = {
    "getLicenseInfo": LICENSING_AND_CHANGES,
    "setLicenseKey": LICENSING_AND_CHANGES,
    "addProductKey": LICENSING_AND_CHANGES,
    "removeProductKey": LICENSING_AND_CHANGES,
    "getMonthlyUsage": LICENSING_AND_CHANGES,
    "getMonthlyUsagePerProductType": LICENSING_AND_CHANGES,
    "deleteCompany": LICENSING_AND_CHANGES,
    "updateCompanyDetails": LICENSING_AND_CHANGES,
    "suspendCompany": LICENSING_AND_CHANGES,
    "activateCompany": LICENSING_AND_CHANGES,
    "setMonthlySubscription": SUBSCRIPTIONS,
}


class RateLimits:
    """The limit that applies to each method, optionally scaled or switched off."""

    def __init__(self, scale=1.0, *, enabled=True):
        if scale <= 0:
            raise ValueError("the rate limit scale must be positive")
        self.scale = scale
        self.enabled = enabled

    def for_method(self, method):
        limit = METHOD_LIMITS.get(method, DEFAULT)
        return limit.scaled(self.scale) if self.scale != 1 else limit


class LocalRateLimiter:
    """Space requests evenly at each limit's pace within one process.

    Each limit keeps the earliest time its next request may start; a caller takes that slot
    and sleeps until it comes. Several threads share the pace.
    """

    def __init__(self, limits=None, *, clock=time.monotonic, sleep=time.sleep):
        self.limits = limits or RateLimits()
        self._clock = clock
        self._sleep = sleep
        self._next_slot = {}
        self._lock = threading.Lock()

    def acquire(self, method):
        """Block until `method` may be sent; return the seconds spent waiting."""
        if not self.limits.enabled:
            return 0.0
        limit = self.limits.for_method(method)
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(limit.name, now))
            self._next_slot[limit.name] = slot + limit.interval
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return wait

    def delay(self, method, seconds):
        """Hold back every request under `method`'s limit for `seconds`, after a 429."""
        limit = self.limits.for_method(method)
        with self._lock:
            not_before = self._clock() + seconds
            self._next_slot[limit.name] = max(self._next_slot.get(limit.name, 0.0), not_before)


# Takes the next slot atomically in Redis, using Redis's own clock so that all processes agree.
# KEYS[1]: the limit's key. ARGV[1]: interval in microseconds. ARGV[2]: extra delay in microseconds.
# Returns the microseconds the caller must wait.
_TAKE_SLOT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local next_slot = tonumber(redis.call('GET', KEYS[1]) or '0')
local delay_until = now + tonumber(ARGV[2])
local slot = math.max(now, next_slot)
if tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[1], math.max(next_slot, delay_until), 'PX', 3600000)
  return 0
end
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', 3600000)
return slot - now
"""


class RedisRateLimiter:
    """Space requests at each limit's pace across every process that shares a Redis server.

    The Redis key is derived from a hash of the API key, so that two keys keep separate
    paces and the key itself is never stored.
    """

    def __init__(self, redis_url, api_key, limits=None, *, sleep=time.sleep):
        import redis  # Imported here so the package works without Redis installed.

        self.limits = limits or RateLimits()
        self._redis = redis.Redis.from_url(redis_url)
        self._take_slot = self._redis.register_script(_TAKE_SLOT)
        key_hash = hashlib.sha256(api_key.encode()).hexdigest()[:16]
        self._prefix = f"gravityzone:ratelimit:{key_hash}"
        self._sleep = sleep

    def acquire(self, method):
        if not self.limits.enabled:
            return 0.0
        limit = self.limits.for_method(method)
        interval_us = int(limit.interval * 1_000_000)
        wait = self._take_slot(keys=[self._key(limit)], args=[interval_us, 0]) / 1_000_000
        if wait > 0:
            self._sleep(wait)
        return wait

    def delay(self, method, seconds):
        limit = self.limits.for_method(method)
        self._take_slot(keys=[self._key(limit)], args=[0, int(seconds * 1_000_000)])

    def _key(self, limit):
        return f"{self._prefix}:{limit.name}"
