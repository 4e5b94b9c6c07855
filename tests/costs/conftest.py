"""Fixtures for the cost tests: the seeded catalog, loaded from the one fixture file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

CATALOG_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "10-catalog.json"


@pytest.fixture
def catalog(db: None) -> None:
    """The seeded price catalog (fixtures/10-catalog.json), as `manage.py seed` loads it."""
    call_command("loaddata", str(CATALOG_FIXTURE), verbosity=0)
