"""The GravityZone client as the back-office's processes use it."""

import functools

from django.conf import settings

from gravityzone import GravityZoneClient
from gravityzone.ratelimits import LocalRateLimiter, RateLimits, RedisRateLimiter


def get_client(*, on_call=None):
    """Return a client for the configured GravityZone account; close it after use.

    Every client in every process paces its calls through one shared rate limiter: in
    Redis when the Celery broker is Redis, otherwise one per process. Each call is made
    once: the Celery tasks retry with their own backoff.
    """
    limiter = _rate_limiter(
        settings.CELERY_BROKER_URL, settings.GRAVITYZONE_API_KEY, settings.GRAVITYZONE_RATE_LIMIT_SCALE
    )
    return GravityZoneClient(
        settings.GRAVITYZONE_API_URL,
        settings.GRAVITYZONE_API_KEY,
        rate_limiter=limiter,
        max_attempts=1,
        on_call=on_call,
    )


@functools.cache
def _rate_limiter(broker_url, api_key, scale):
    limits = RateLimits(scale)
    if broker_url.startswith(("redis://", "rediss://")):
        return RedisRateLimiter(broker_url, api_key, limits)
    return LocalRateLimiter(limits)
