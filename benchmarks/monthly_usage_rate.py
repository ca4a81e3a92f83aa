"""Read monthly usage for many companies from two processes sharing GravityZone's rate limit.

Starts the simulator with its rate limits scaled up (so the run is short), two worker
processes that pace their calls through one Redis rate limiter, and reports the achieved
rate of getMonthlyUsage against the allowed rate, once cleanly and once with transient
faults injected. Needs Redis on 127.0.0.1:6379.

    python -m benchmarks.monthly_usage_rate [--companies 1000] [--scale 20]
"""

import argparse
import collections
import json
import multiprocessing
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import redis

from benchmarks.common import free_port, wait_for_simulator
from gravityzone import GravityZoneClient
from gravityzone.errors import GravityZoneError, TransientError
from gravityzone.ratelimits import LICENSING_AND_CHANGES, RateLimits, RedisRateLimiter
from gravityzone.simulator.companies import create_company
from gravityzone.simulator.state import TenantState

REDIS_URL = "redis://127.0.0.1:6379/0"
TARGET_MONTH = "10/2026"
WORKERS = 2
# Attempts per company before it counts as failed, as many as a Celery task makes.
MAX_ATTEMPTS = 9


def build_tenant(path, count):
    """Write a simulator state with `count` customers on a monthly subscription."""
    tenant = TenantState(path=None)
    with tenant.lock:
        company_ids = [
            create_company(
                tenant, {"type": 1, "name": f"Benchmark Customer {number}", "licenseSubscription": {"type": 3}}
            )
            for number in range(count)
        ]
    tenant.path = Path(path)
    tenant.save()
    return company_ids


def start_simulator(state_path, api_key, port, scale, faults):
    command = [
        sys.executable,
        "-m",
        "gravityzone.simulator",
        "--port",
        str(port),
        "--api-key",
        api_key,
        "--state-file",
        str(state_path),
        "--rate-limit-scale",
        str(scale),
        "--seed",
        "7",
    ]
    for fault in faults:
        command += ["--fault", fault]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/api"
    try:
        wait_for_simulator(base_url, api_key)
    except SystemExit:
        process.kill()
        raise
    return process, base_url


def read_usage(base_url, api_key, scale, company_ids, results):
    """Read each company's usage as the Celery tasks do: one call per attempt, and a failed
    company goes to the back of the queue instead of holding the worker in a backoff sleep."""
    limiter = RedisRateLimiter(REDIS_URL, api_key, RateLimits(scale))
    pending = collections.deque((company_id, 1) for company_id in company_ids)
    read = failed = 0
    with GravityZoneClient(base_url, api_key, rate_limiter=limiter, max_attempts=1) as client:
        while pending:
            company_id, attempt = pending.popleft()
            try:
                client.get_monthly_usage(company_id, TARGET_MONTH)
                read += 1
            except TransientError:
                if attempt < MAX_ATTEMPTS:
                    pending.append((company_id, attempt + 1))
                else:
                    failed += 1
            except GravityZoneError:
                failed += 1
    results.put((read, failed))


def run(label, company_ids, state_path, scale, faults):
    api_key = f"benchmark-{uuid.uuid4().hex}"
    simulator, base_url = start_simulator(state_path, api_key, free_port(), scale, faults)
    try:
        results = multiprocessing.Queue()
        shares = [company_ids[index::WORKERS] for index in range(WORKERS)]
        workers = [
            multiprocessing.Process(target=read_usage, args=(base_url, api_key, scale, share, results))
            for share in shares
        ]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        outcomes = [results.get() for _ in workers]
        elapsed = time.monotonic() - started
        for worker in workers:
            worker.join()
        stats = httpx.get(base_url.replace("/api", "/_simulator/stats"), auth=(api_key, "")).json()
    finally:
        simulator.terminate()
        simulator.wait()

    read = sum(outcome[0] for outcome in outcomes)
    failed = sum(outcome[1] for outcome in outcomes)
    allowed = LICENSING_AND_CHANGES.scaled(scale).requests / LICENSING_AND_CHANGES.per_seconds
    calls = sum(count for key, count in stats.items() if key.startswith("getMonthlyUsage "))
    return {
        "run": label,
        "companies read": read,
        "failed": failed,
        "seconds": round(elapsed, 2),
        "calls sent": calls,
        "refused with 429 by the rate limit": stats.get("getMonthlyUsage 429", 0),
        "allowed per second": allowed,
        "reads per second": round(read / elapsed, 2),
        "reads / allowed": round(read / elapsed / allowed, 3),
        "calls / allowed": round(calls / elapsed / allowed, 3),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=1000, help="companies to read (default: 1000)")
    parser.add_argument("--scale", type=float, default=20, help="rate limit scale for the simulator and clients")
    parser.add_argument("--fault-share", type=float, default=0.1, help="share of calls failing in the second run")
    args = parser.parse_args()

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        raise SystemExit(f"Redis is needed at {REDIS_URL}: the two workers share their pace through it.") from None

    with tempfile.TemporaryDirectory() as folder:
        state_path = Path(folder) / "tenant.json"
        company_ids = build_tenant(state_path, args.companies)
        reports = [
            run("clean", company_ids, state_path, args.scale, []),
            run(
                f"{args.fault_share:.0%} transient faults",
                company_ids,
                state_path,
                args.scale,
                [f"server_error={args.fault_share}"],
            ),
        ]
    print(json.dumps(reports, indent=2))


if __name__ == "__main__":
    main()
