"""Faults the simulator injects on request, to exercise a client's error handling."""

import random
import threading
from dataclasses import dataclass, field

SERVER_ERROR = "server_error"  # HTTP 500 with a JSON-RPC error body; nothing is changed
HTML_ERROR = "html_error"  # HTTP 502 with an HTML page, as a proxy in front would send
RATE_LIMITED = "rate_limited"  # HTTP 429 with Retry-After, whatever the real pace
SLOW = "slow"  # the response comes after `slow_seconds`
LOST_RESPONSE = "lost_response"  # the call is carried out, then the connection drops unanswered
NONE = "none"  # in `upcoming`: this call goes through untouched

KINDS = (SERVER_ERROR, HTML_ERROR, RATE_LIMITED, SLOW, LOST_RESPONSE)


@dataclass
class FaultPlan:
    """Which calls fail and how.

    `upcoming` lists the faults of the next calls in order (NONE for a call that succeeds);
    once it is used up, each call gets fault K with probability `rates[K]`. With `methods`,
    only calls to those methods are touched.
    """

    rates: dict = field(default_factory=dict)
    upcoming: list = field(default_factory=list)
    methods: frozenset | None = None
    slow_seconds: float = 2.0
    seed: int | None = None

    def __post_init__(self):
        for kind in [*self.rates, *self.upcoming]:
            if kind not in (*KINDS, NONE):
                raise ValueError(f"unknown fault {kind!r}; expected one of {', '.join(KINDS)}")
        if any(not 0 <= share <= 1 for share in self.rates.values()) or sum(self.rates.values()) > 1:
            raise ValueError("fault rates must be between 0 and 1 and add up to at most 1")
        self._random = random.Random(self.seed)
        self._lock = threading.Lock()

    @classmethod
    def from_json(cls, data):
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        methods = data.get("methods")
        return cls(
            rates=dict(data.get("rates") or {}),
            upcoming=list(data.get("next") or []),
            methods=frozenset(methods) if methods else None,
            slow_seconds=float(data.get("slowSeconds", 2.0)),
            seed=data.get("seed"),
        )

    def to_json(self):
        return {
            "rates": self.rates,
            "next": self.upcoming,
            "methods": sorted(self.methods) if self.methods else None,
            "slowSeconds": self.slow_seconds,
        }

    def pick(self, method):
        """Return the fault for one call to `method`, or None."""
        if self.methods is not None and method not in self.methods:
            return None
        with self._lock:
            if self.upcoming:
                kind = self.upcoming.pop(0)
                return None if kind == NONE else kind
            draw = self._random.random()
        for kind, share in self.rates.items():
            if draw < share:
                return kind
            draw -= share
        return None
