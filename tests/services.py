"""Helpers that start the real parts the tests run against: the simulator and a Celery worker."""

import importlib
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from gravityzone.simulator import Simulator, SimulatorServer, TenantState

PROJECT_DIR = Path(__file__).resolve().parent.parent
API_KEY = "tests-api-key"


def role_group(name):
    """Return a role's group, created as the data migration does when a flush removed it.

    Tests with transaction=True empty every table afterwards, the migration's groups included.
    """
    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("companies.migrations.0005_roles").ROLES
    finance_billing = importlib.import_module("billing.migrations.0002_finance_role").FINANCE_PERMISSIONS
    permissions = list(roles[name])
    if name == "Finance":
        permissions += [f"billing.{codename}" for codename in finance_billing]

    group, created = Group.objects.get_or_create(name=name)
    if created:
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def require(available, what):
    """Skip a test whose service is missing on a developer machine; fail it in CI."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available on this machine")


@contextmanager
def running_simulator(**simulator_options):
    """Serve a fresh simulated tenant on a free loopback port and yield the server."""
    tenant = TenantState()
    server = SimulatorServer(Simulator(api_key=API_KEY, tenant=tenant, **simulator_options), "127.0.0.1", 0)
    server.start_in_thread()
    try:
        yield server
    finally:
        server.stop()


def current_database_url():
    """Return a DATABASE_URL for the test database the current test is using."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def running_worker(log_path, *, gravityzone_api_url, ready_timeout=60):
    """Start a real Celery worker on the tests' queue and stop it on exit."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": current_database_url(),
        "GRAVITYZONE_API_URL": gravityzone_api_url,
        "GRAVITYZONE_API_KEY": API_KEY,
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "backoffice",
        "worker",
        "--queues",
        settings.CELERY_TASK_DEFAULT_QUEUE,
        "--concurrency=2",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    with open(log_path, "w") as log:
        worker = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_ready(worker, log_path, ready_timeout)
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _wait_until_ready(worker, log_path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if " ready." in Path(log_path).read_text():
            return
        if worker.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {worker.returncode}:\n{Path(log_path).read_text()}")
        time.sleep(0.2)
    raise RuntimeError(f"the Celery worker was not ready after {timeout} s:\n{Path(log_path).read_text()}")
