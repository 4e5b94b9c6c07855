"""Test settings overrides live here, in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path) -> None:
    settings.STATIC_URL = "/static/"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Off except in their own tests (tests/core/test_login_lockout.py,
    # tests/core/test_rate_limits.py): the locmem cache and the axes tables
    # would otherwise carry counts from one test into the next.
    settings.AXES_ENABLED = False
    settings.RATE_LIMITS_ENABLED = False


@pytest.fixture
def artifacts_dir() -> Path:
    """Screenshots and rendered pages kept after the run (git-ignored)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR
