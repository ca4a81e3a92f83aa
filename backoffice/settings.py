"""Django settings, read from environment variables (see .env.example for each one)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from backoffice import env

BASE_DIR = Path(__file__).resolve().parent.parent

# Runtime files (the SQLite database, the embedded broker, the simulator state) live here.
VAR_DIR = BASE_DIR / "var"

env.read_env_file(BASE_DIR / ".env")

DEBUG = env.get_bool("DEBUG", default=False)

INSECURE_DEVELOPMENT_KEY = "django-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.get_string(
    "SECRET_KEY",
    default=INSECURE_DEVELOPMENT_KEY if DEBUG else None,
    hint="Set it to a long random value, or set DEBUG=true on a development machine.",
)

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "backoffice.apps.BackofficeAdminConfig",
    "backoffice",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "companies",
    "billing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backoffice.urls"
WSGI_APPLICATION = "backoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.get_database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'backoffice.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A Celery worker runs in another process, so the test database must be a file it can open.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # Each transaction takes SQLite's write lock when it starts, so concurrent pushes wait for
    # each other instead of failing with "database is locked" when they upgrade a read lock.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    VAR_DIR.mkdir(exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# Production hardening; DEBUG turns it off for the development server on plain HTTP.
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.get_bool("BEHIND_HTTPS_PROXY", False) else None

# Staff log in with a password and the code of a TOTP authenticator app; give each one a device
# first with `manage.py add_totp_device USERNAME`.
TWO_FACTOR_LOGIN = env.get_bool("TWO_FACTOR_LOGIN", default=False)

# GravityZone. The Access URL is shown in Control Center under My Account → Control Center API;
# the defaults point at the bundled simulator and its demo key.
SIMULATOR_DEMO_API_KEY = "simulator-demo-key"
GRAVITYZONE_API_URL = env.get_url("GRAVITYZONE_API_URL", default="http://127.0.0.1:8765/api", schemes=("https", "http"))
GRAVITYZONE_API_KEY = env.get_string("GRAVITYZONE_API_KEY", default=SIMULATOR_DEMO_API_KEY)
# Multiplies GravityZone's documented rate limits; only for a simulator started with the same
# --rate-limit-scale. Keep 1 for a real GravityZone account.
GRAVITYZONE_RATE_LIMIT_SCALE = env.get_float("GRAVITYZONE_RATE_LIMIT_SCALE", default=1.0, minimum=0.001)

# Celery. Without CELERY_BROKER_URL the broker is a folder under var/, which needs no server
# and still hands every task to a separate worker process.
CELERY_BROKER_URL = env.get_url(
    "CELERY_BROKER_URL", default="filesystem://localhost/", schemes=("redis", "rediss", "amqp", "filesystem")
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    for folder in ("queue", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only once it has finished, so a worker that dies mid-task leaves the
# message to be delivered again. Every task is written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.get_string("CELERY_TASK_DEFAULT_QUEUE", default="backoffice")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Times are UTC. The schedules themselves are django-celery-beat rows, created by migrations
# and changed under "Periodic tasks" in the admin: beat would reset any entry listed in
# CELERY_BEAT_SCHEDULE at every start.
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {}

LOG_LEVEL = env.get_string("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # httpx logs every request at INFO; the client logs what matters itself.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
