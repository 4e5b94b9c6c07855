"""Production settings must pass Django's deployment checklist, no warning silenced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "advisor.example.com",
}


def _manage(*args: str, env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_overrides}
    env.pop("SECURE_SSL_REDIRECT", None)
    # tests/browser/conftest.py sets this for Playwright in the test process;
    # a production process never has it (check --deploy refuses it: async.E001).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    env["SECRET_KEY"] = ""
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_a_secret_key_shorter_than_50_characters():
    result = _manage("check", env_overrides={**PRODUCTION_ENV, "SECRET_KEY": "s" * 49})
    assert result.returncode != 0
    assert "SECRET_KEY is 49 characters; production needs at least 50" in result.stderr
    fifty = _manage("check", env_overrides={**PRODUCTION_ENV, "SECRET_KEY": "s" * 50})
    assert fifty.returncode == 0, fifty.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts():
    for empty in ("", " , "):
        result = _manage("check", env_overrides={**PRODUCTION_ENV, "ALLOWED_HOSTS": empty})
        assert result.returncode != 0
        assert "ALLOWED_HOSTS must be set when DJANGO_DEBUG is false" in result.stderr
        assert "Traceback" not in result.stdout
