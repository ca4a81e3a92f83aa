"""Settings for the test suite: the project's own, with a few values fixed for tests."""

import os
import uuid

# A queue of its own for each test run, so that a development worker on the same broker never
# takes a test's task. Worker processes started by the tests inherit it from the environment.
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"backoffice-tests-{uuid.uuid4().hex[:8]}")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-" + "x" * 40)

from backoffice.settings import *  # noqa: E402, F403

# The tests' simulator runs 50 times faster than GravityZone's limits; the clients follow it.
GRAVITYZONE_RATE_LIMIT_SCALE = 50

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False

# The live server in browser tests speaks plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
