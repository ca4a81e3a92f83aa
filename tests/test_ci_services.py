import pytest
from django.conf import settings

from tests.services import in_ci


@pytest.mark.skipif(not in_ci(), reason="checks the services CI provides; runs only with CI=true")
def test_ci_runs_against_postgresql_and_redis():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
