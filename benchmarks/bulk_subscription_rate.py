"""Change the subscriptions of many companies with one bulk change and measure the pace.

Creates the companies in a fresh database and in the simulator, applies one bulk add-on change
(the admin action's own code), and lets real Celery workers push every setMonthlySubscription
through the Redis rate limiter. GravityZone allows 30 of these calls a minute per API key; the
simulator and the workers scale that by --scale so the run is short. Prints the progress while
it runs, then the achieved rate against the allowed one. Needs Redis on 127.0.0.1:6379.

    python -m benchmarks.bulk_subscription_rate [--companies 300] [--scale 20]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from benchmarks.common import free_port, wait_for_simulator

PROJECT_DIR = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/0"


def configure(folder, scale, port):
    """Set the environment that this process and the workers share, then set Django up."""
    api_key = f"benchmark-{uuid.uuid4().hex}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="backoffice.settings",
        SECRET_KEY="benchmark-only-" + uuid.uuid4().hex,
        DATABASE_URL=f"sqlite:///{folder / 'benchmark.sqlite3'}",
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_TASK_DEFAULT_QUEUE=f"benchmark-{uuid.uuid4().hex[:8]}",
        GRAVITYZONE_API_URL=f"http://127.0.0.1:{port}/api",
        GRAVITYZONE_API_KEY=api_key,
        GRAVITYZONE_RATE_LIMIT_SCALE=str(scale),
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return api_key


def start(command, log_path):
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process at the end of the run
    return subprocess.Popen(command, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT)


def create_companies(count):
    """Create the companies here and in the simulator, already synced."""
    from backoffice.gravityzone import get_client
    from companies import payloads
    from companies.models import Company, Subscription, SyncState

    with get_client() as client:
        for number in range(count):
            company = Company.objects.create(name=f"Benchmark Customer {number}", company_type=1)
            Subscription.objects.create(company=company, assigned_protection_model="aLaCarte")
            company.refresh_from_db()
            gravityzone_id = client.create_company(payloads.new_company(company))
            Company.objects.filter(pk=company.pk).update(gravityzone_id=gravityzone_id, sync_state=SyncState.SYNCED)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--companies", type=int, default=300, help="companies to change (default: 300)")
    parser.add_argument("--scale", type=float, default=20, help="rate limit scale for the simulator and workers")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (default: 2)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        port = free_port()
        api_key = configure(folder, args.scale, port)
        simulator = start(
            [
                sys.executable,
                "-m",
                "gravityzone.simulator",
                "--port",
                str(port),
                "--api-key",
                api_key,
                "--rate-limit-scale",
                str(args.scale),
            ],
            folder / "simulator.log",
        )
        worker = None
        try:
            wait_for_simulator(os.environ["GRAVITYZONE_API_URL"], api_key)
            create_companies(args.companies)
            worker = start(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "backoffice",
                    "worker",
                    "--queues",
                    os.environ["CELERY_TASK_DEFAULT_QUEUE"],
                    f"--concurrency={args.concurrency}",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=WARNING",
                ],
                folder / "worker.log",
            )
            report = run_bulk_change(os.environ["GRAVITYZONE_API_URL"], api_key, args.scale)
        finally:
            for process in (worker, simulator):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=30)
    print(json.dumps(report, indent=2))


def run_bulk_change(base_url, api_key, scale):
    from companies import bulk
    from companies.models import ApiCall, Company
    from gravityzone.ratelimits import SUBSCRIPTIONS

    bulk_change = bulk.change_add_ons(Company.objects.all(), {"manage_exchange": True}, user=None)
    total = len(bulk_change.company_ids)
    started = time.monotonic()
    while True:
        progress = bulk.progress(bulk_change)
        done = progress["synced"] + progress["failed"]
        print(f"\r{done} of {total} pushed ({progress['failed']} failed)", end="", file=sys.stderr, flush=True)
        if done == total or time.monotonic() - started > 600:
            break
        time.sleep(1)
    print(file=sys.stderr)

    calls = ApiCall.objects.filter(method="setMonthlySubscription", outcome=ApiCall.Outcome.SUCCESS)
    times = sorted(calls.values_list("started_at", flat=True))
    stats = httpx.get(base_url.replace("/api", "/_simulator/stats"), auth=(api_key, "")).json()
    allowed = SUBSCRIPTIONS.scaled(scale).requests / SUBSCRIPTIONS.per_seconds
    span = (times[-1] - times[0]).total_seconds() if len(times) > 1 else 0
    achieved = (len(times) - 1) / span if span else 0
    return {
        "companies changed": total,
        "synced": progress["synced"],
        "failed": progress["failed"],
        "setMonthlySubscription calls": len(times),
        "refused with 429 by the rate limit": stats.get("setMonthlySubscription 429", 0),
        "allowed per second": allowed,
        "achieved per second": round(achieved, 3),
        "achieved / allowed": round(achieved / allowed, 3),
        "seconds from first to last call": round(span, 2),
    }


if __name__ == "__main__":
    main()
