"""Helpers the benchmark scripts share."""

import socket
import time

import httpx


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_simulator(base_url, api_key):
    """Wait until the simulator at `base_url` responds, for at most ten seconds."""
    for _ in range(100):
        try:
            httpx.get(base_url.replace("/api", "/_simulator/stats"), auth=(api_key, ""), timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("The simulator did not start.")
