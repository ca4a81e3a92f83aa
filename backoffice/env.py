"""Strict readers for settings taken from environment variables.

Values are read literally: a `$` is an ordinary character, never a reference to another
variable (django-environ's own getters would expand it). A malformed value raises
ImproperlyConfigured naming the variable and never its value, which may be a secret.
"""

import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def read_env_file(path: Path) -> None:
    """Load KEY=value lines from `path` into the environment, if the file exists.

    Variables already set in the environment win over the file.
    """
    if path.is_file():
        environ.Env.read_env(path, overwrite=False)


def get_string(name: str, default: str | None = None, *, hint: str = "") -> str:
    value = os.environ.get(name)
    if not value:
        if default is None:
            raise ImproperlyConfigured(f"{name} is not set. {hint}".strip())
        return default
    return value


def get_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (also accepted: 1/0, yes/no, on/off).")


def get_float(name: str, default: float, *, minimum: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name} must be a number of at least {minimum}.") from None
    return number


def get_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def get_database(name: str, default: str) -> dict:
    """Return a Django DATABASES entry parsed from a URL such as postgres://user@host/db."""
    value = os.environ.get(name, default)
    try:
        # django-environ warns about an unknown engine with the whole parsed URL, password
        # included, so its warnings are silenced here and replaced by the error below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config = environ.Env.db_url_config(value)
    except (ImproperlyConfigured, ValueError, KeyError, TypeError):
        config = None
    if not config or not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            f"{name} is not a valid database URL. Use postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///PATH."
        ) from None
    return config


def get_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    """Return a URL whose scheme is one of `schemes` and that names a host where one is needed."""
    value = os.environ.get(name, default).strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - reading it validates the port number
    except ValueError:
        parts = None
    needs_host = not (parts and parts.scheme in ("filesystem", "memory"))
    if parts is None or parts.scheme not in schemes or (needs_host and not parts.hostname):
        allowed = ", ".join(f"{scheme}://" for scheme in schemes)
        raise ImproperlyConfigured(f"{name} is not a valid URL; it must start with one of {allowed}.") from None
    return value
