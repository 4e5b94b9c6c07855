"""Playwright against pytest-django's live server, in the system Chromium.

The sync Playwright API runs an event loop in the test thread, so Django's
async-safety check must be relaxed (style.md, "Known pitfalls").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}: install it with "
            "`apt-get install chromium` or set CHROMIUM_PATH"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": [
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--no-sandbox",
            "--disable-gpu",
        ],
    }


@pytest.fixture
def seeded(transactional_db: None) -> None:
    """The seeded ruleset and catalog; live_server tests are transactional, so seed per test."""
    call_command("seed", "--no-demo-users", verbosity=0)
