"""GravityZone's rate limits as the server applies them: a pace, a burst queue, then 429."""

import math
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Admission:
    """Either wait `wait` seconds and then serve the call, or respond 429 with `retry_after`."""

    wait: float = 0.0
    retry_after: int | None = None


class BurstQueueLimiter:
    """Serve each limit's calls at its pace; hold at most `burst` waiting calls, refuse the rest.

    A call that arrives when none is waiting is served at once. The limits are per API key,
    and the simulator serves one key.
    """

    def __init__(self, limits, *, clock=time.monotonic):
        self.limits = limits
        self._clock = clock
        self._next_slot = {}
        self._lock = threading.Lock()

    def admit(self, method):
        if not self.limits.enabled:
            return Admission()
        limit = self.limits.for_method(method)
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(limit.name, now))
            wait = slot - now
            # A small tolerance, so that a client pacing exactly at the limit is never refused
            # for a rounding error.
            if wait > limit.burst * limit.interval + 1e-3:
                retry_after = wait - limit.burst * limit.interval
                return Admission(retry_after=max(1, math.ceil(retry_after)))
            self._next_slot[limit.name] = slot + limit.interval
        return Admission(wait=wait)
