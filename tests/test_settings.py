"""Settings read from the environment resolve to working backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _settings_under(env_overrides: dict[str, str | None], expression: str) -> object:
    env = {**os.environ, **env_overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env = {key: value for key, value in env.items() if value is not None}
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({expression}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "advisor.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_redis_cache_url_selects_djangos_redis_backend():
    caches = _settings_under({"CACHE_URL": "redis://127.0.0.1:6379/1"}, "settings.CACHES")
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_postgres_url_uses_psycopg_with_the_connection_pool():
    database = _settings_under(
        {"DATABASE_URL": "postgres://advisor:secret@db.example:5432/advisor"},
        "settings.DATABASES['default']",
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db.example"
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["pool"]["max_size"] == 8


def test_unset_database_url_means_sqlite_in_the_checkout():
    database = _settings_under({"DATABASE_URL": None}, "settings.DATABASES['default']")
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(ROOT / "db.sqlite3")
