"""Start-up settings, checked in fresh Python processes as a deployment would load them."""

import os
import subprocess
import sys

import pytest

from tests.services import PROJECT_DIR

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-with-plenty-of-entropy-0123456789",
    "ALLOWED_HOSTS": "backoffice.example.com",
    "DATABASE_URL": "sqlite:///" + str(PROJECT_DIR / "var" / "settings-check.sqlite3"),
}


def run_django(code, **env):
    """Run `code` in a new interpreter with Django set up from backoffice.settings."""
    clean_env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    clean_env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="backoffice.settings", **env)
    script = f"import django; django.setup(); from django.conf import settings; {code}"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, env=clean_env, capture_output=True, text=True, timeout=60
    )


def test_dollar_sign_in_value_is_read_literally():
    result = run_django("print(settings.SECRET_KEY)", SECRET_KEY="$HOME-is-not-expanded-x" * 3)

    assert result.stdout.strip() == "$HOME-is-not-expanded-x" * 3


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "perhaps-secret-word"),
        ("DATABASE_URL", "postgres//admin:hunter2-secret@db/backoffice"),
        ("CELERY_BROKER_URL", "redis:/:hunter2-secret@localhost"),
        ("GRAVITYZONE_API_URL", "ftp://hunter2-secret@gravityzone.example.com"),
        ("LOG_LEVEL", "secret-loud"),
    ],
)
def test_malformed_value_names_variable_not_value(name, value):
    result = run_django("pass", **{name: value})

    assert result.returncode != 0
    assert name in result.stderr
    assert "secret" not in result.stderr.replace("SECRET_KEY", "")


def test_missing_secret_key_stops_production_start():
    result = run_django("pass", SECRET_KEY="")

    assert "SECRET_KEY is not set." in result.stderr


def test_deploy_check_passes_with_production_settings():
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="backoffice.settings")

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
