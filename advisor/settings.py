"""Settings for LLM Deployment Advisor, read from the environment (12-factor).

Every variable and its default is listed in README.md ("Configuration").
Unset ``DATABASE_URL`` means SQLite in the checkout; ``DJANGO_DEBUG=false``
is production mode and then ``SECRET_KEY`` and ``ALLOWED_HOSTS`` must be set.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from advisor.reports.pdf import WALL_CLOCK_FACTOR

# Lets classes the type hints parametrize (ModelAdmin[Assessment], ModelForm[...])
# be subscripted at run time too; django-stubs' documented setup.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
# Django's own deploy check asks for 50 characters; production refuses to start with fewer.
MIN_SECRET_KEY_LENGTH = 50
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is false.")
if not DEBUG and len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
    raise ImproperlyConfigured(
        f"SECRET_KEY is {len(SECRET_KEY)} characters; production needs at least "
        f"{MIN_SECRET_KEY_LENGTH}: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not [host for host in ALLOWED_HOSTS if host.strip()]:
    # Django itself would start and answer every request 400: refuse at once instead.
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DJANGO_DEBUG is false: the host names this site "
        "answers to, comma-separated (e.g. ALLOWED_HOSTS=advisor.example.com)."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_tasks",
    # Installed whichever backend runs: its table exists on every database,
    # so switching TASKS_BACKEND needs no migration.
    "django_tasks_db",
    # django-ninja's templates and static files: the API's docs page serves
    # Swagger UI from static/, not from a CDN.
    "ninja",
    "advisor.core",
    "advisor.rules",
    "advisor.costs",
    "advisor.assessments",
    "advisor.reports",
    "advisor.consultants",
    "advisor.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: it signs out and says why.
    "advisor.core.middleware.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Turns django_ratelimit.exceptions.Ratelimited into RATELIMIT_VIEW's 429.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "advisor.core.middleware.DatabaseUnavailableMiddleware",
    # A write the assessment's state refuses (locked, say): a redirect with the reason.
    "advisor.assessments.middleware.RefusedWriteMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "advisor.urls"
WSGI_APPLICATION = "advisor.wsgi.application"

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
                "advisor.core.context_processors.csp_nonce",
                "advisor.consultants.context_processors.workspace",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's psycopg 3 pool replaces persistent connections (it refuses
    # CONN_MAX_AGE > 0). Pools are per process: workers x max_size must stay
    # under the server's max_connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The pool checks a connection before lending it (psycopg_pool's
    # check_connection, one round trip): after an outage, idle pooled
    # connections are dead, and without the check the first request on each
    # one failed with a 503 although the database was back
    # (tests/faults/test_database_outage.py).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=8),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
    }
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
else:
    # SQLite (what `make run` uses): a deferred transaction takes the write
    # lock only at its first write, and two that both read first cannot both
    # upgrade: the loser fails at once with "database is locked" (the busy
    # timeout does not apply to an upgrade). BEGIN IMMEDIATE takes the write
    # lock up front, so a double submit queues behind the first (up to
    # `timeout` seconds), then reads what the first wrote and writes nothing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://advisor")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out user and IP are refused before any password check
    # (django-axes' backend, plus a per-username ceiling over all addresses).
    "advisor.core.auth_backends.SignInGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "consultants:dashboard"
LOGOUT_REDIRECT_URL = "core:landing"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# Besides that absolute lifetime, a signed-in user is signed out after this
# long without a request (advisor.core.middleware.IdleSessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)

# The client's IP address for rate limits and login lock-outs: REMOTE_ADDR,
# unless a trusted reverse proxy sets a header (e.g. CLIENT_IP_HEADER=
# HTTP_X_REAL_IP). Only name a header the proxy always overwrites: a client
# could send any value in it otherwise.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")

# django-axes: lock out a username *from one IP address* after repeated
# failures (per user and IP together, so an attacker cannot lock a consultant
# out from everywhere), for a cool-off period, never forever (its default).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Besides: failures for one username from *all* addresses together, within
# the same cool-off, past which it is refused everywhere
# (advisor/core/auth_backends.py).
AXES_USERNAME_FAILURE_CEILING = env.int("AXES_USERNAME_FAILURE_CEILING", default=50)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "advisor.core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "advisor.core.views.locked_out"
AXES_VERBOSE = False

# Rate limits (django-ratelimit, advisor/core/rate_limits.py): fixed windows
# counted in the default cache, shared between processes when CACHE_URL is
# Redis, per process with the default local-memory cache. The environment
# variable keeps its name; the setting is the one django-ratelimit reads.
RATELIMIT_ENABLE = env.bool("RATE_LIMITS_ENABLED", default=True)
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "advisor.core.views.rate_limited"
# A count the cache cannot return (a key that expired between django-ratelimit's
# add() and incr(), a memcached that answers nothing) lets the request through,
# as the project's own counter did; the default would refuse it with a 429.
RATELIMIT_FAIL_OPEN = True
# django_ratelimit stays out of INSTALLED_APPS: it has no models or templates,
# and its system check fails on the local-memory cache that `make run` uses
# (django_ratelimit.E003) and warns on Django's own RedisCache (W001).
RATE_LIMIT_START_PER_HOUR = env.int("RATE_LIMIT_START_PER_HOUR", default=30)
RATE_LIMIT_PDF_PER_MINUTE = env.int("RATE_LIMIT_PDF_PER_MINUTE", default=10)
# The buyer's anonymous writes (a questionnaire has about ten steps; the live
# endpoint answers a change of a number or a follow-up trigger; a usage
# upload is parsed, up to 10 MB, and accept/discard post to the same route).
RATE_LIMIT_STEP_POSTS_PER_MINUTE = env.int("RATE_LIMIT_STEP_POSTS_PER_MINUTE", default=60)
RATE_LIMIT_LIVE_PER_MINUTE = env.int("RATE_LIMIT_LIVE_PER_MINUTE", default=120)
RATE_LIMIT_USAGE_POSTS_PER_HOUR = env.int("RATE_LIMIT_USAGE_POSTS_PER_HOUR", default=60)
# The JSON API's anonymous calls (advisor/api): a scoring costs a completion's
# CPU (the Monte Carlo, the flips); the questions are a cached read.
RATE_LIMIT_API_EVALUATE_PER_MINUTE = env.int("RATE_LIMIT_API_EVALUATE_PER_MINUTE", default=30)
RATE_LIMIT_API_READ_PER_MINUTE = env.int("RATE_LIMIT_API_READ_PER_MINUTE", default=120)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Request bodies. Form fields (everything but files) above 1 MiB are refused
# with a 400 (the largest real form, a ruleset in admin, is far below it);
# a file is cut off while it is read once it passes FILE_UPLOAD_MAX_FILE_BYTES
# (advisor/core/uploads.py), twice the logo limit, so the logo's own check
# still states its real size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_FILE_BYTES = 1024 * 1024
# One file's limit per route (URL name), read by the upload handler and by the
# route's view alike; any other route gets FILE_UPLOAD_MAX_FILE_BYTES. A usage
# export is 10 MB at most (README); deploy/nginx.conf lets that route's body through.
UPLOAD_MAX_BYTES_BY_ROUTE = {
    "assessments:usage": 10 * 1024 * 1024,
    "consultants:profile": FILE_UPLOAD_MAX_FILE_BYTES,  # a logo (its own check: 512 KB)
    # The JSON API's usage exports: the same limit as the web's.
    "api:usage_derive": 10 * 1024 * 1024,
    "api:assessment_usage": 10 * 1024 * 1024,
}
FILE_UPLOAD_HANDLERS = [
    "advisor.core.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# A logo is drawn once at upload; one that takes longer is refused
# (advisor/consultants/logo_rendering.py).
LOGO_RENDER_DEADLINE_SECONDS = env.float("LOGO_RENDER_DEADLINE_SECONDS", default=3.0)

# Background tasks (django-tasks, Django 6's django.tasks API). "database"
# stores tasks in the database for `manage.py db_worker` processes (any
# number, on any machine sharing DATABASE_URL: deploy/README.md); it is the
# default in production on PostgreSQL. "immediate" runs a task inside the
# call that enqueues it (the embedded default: no worker to run); "dummy"
# keeps tasks and never runs them.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
_ON_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
TASKS_BACKEND = env.str(
    "TASKS_BACKEND", default="database" if _ON_POSTGRESQL and not DEBUG else "immediate"
)
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={TASKS_BACKEND!r}: choose one of {', '.join(TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# Render the PDF report in the background when an assessment is completed, so
# the download is a stored file. On by default only where a worker runs it:
# with the immediate backend the render (about a second) would run inside
# the completion request; there the first download renders instead.
REPORT_PRERENDER = env.bool("REPORT_PRERENDER", default=TASKS_BACKEND == "database")
# A background render past this deadline fails its task; the download then
# renders on demand (with its own deadline).
REPORT_PRERENDER_DEADLINE_SECONDS = env.float("REPORT_PRERENDER_DEADLINE_SECONDS", default=20.0)
# The deadline is the render's CPU time; on the clock a render may take
# WALL_CLOCK_FACTOR times as long on a busy machine (advisor/reports/pdf.py).
REPORT_PRERENDER_WALL_SECONDS = REPORT_PRERENDER_DEADLINE_SECONDS * WALL_CLOCK_FACTOR
# A download that finds its background render queued (for less than this) or
# running answers "being prepared" and is asked again, instead of rendering
# the same report in a web worker; a task queued longer means no worker is
# running, and the download renders on demand.
REPORT_PRERENDER_WAIT_SECONDS = env.float("REPORT_PRERENDER_WAIT_SECONDS", default=15.0)
# `manage.py task_workers` runs this many worker processes on its machine
# (advisor/core/task_workers.py); run it on more machines for more.
TASK_WORKER_PROCESSES = env.int("TASK_WORKER_PROCESSES", default=2)
# A task RUNNING this long has lost its worker (killed -9, crashed): a worker's
# sweep marks it failed and enqueues it once more. Well past the longest a
# render may take on the clock.
TASK_STRANDED_AFTER_SECONDS = env.float(
    "TASK_STRANDED_AFTER_SECONDS", default=REPORT_PRERENDER_WALL_SECONDS + 10
)
TASK_SWEEP_INTERVAL_SECONDS = env.float("TASK_SWEEP_INTERVAL_SECONDS", default=10.0)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production (DEBUG off) turns every protection on; behind a TLS
# terminating proxy the proxy sets X-Forwarded-Proto (deploy/nginx.conf).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "advisor.core.views.csrf_failure"
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token goes in hx-headers

# Content-Security-Policy (django-csp 4). No inline script or style runs
# without the request's nonce; htmx is configured (base.html) so that it
# needs none: no indicator <style>, no eval, no script tags from swaps.
# data: images only: Bootstrap's CSS draws form controls with data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Assessment tokens (the buyer's only credential) cut to 6 characters in
    # every line, e.g. django.request's "Not Found: /a/<token>/...".
    "filters": {"redact_tokens": {"()": "advisor.core.log_redaction.RedactTokensFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        # runserver's request lines (Django's own handler, plus the filter).
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's default config gives "django" a console handler of its own
        # (in debug): without it, its records reach the root's filtered one only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
