from django.conf import settings

from tests.services import in_ci, require


def test_ci_runs_against_postgresql_and_redis():
    require(in_ci(), "a CI run (CI=true)")

    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
