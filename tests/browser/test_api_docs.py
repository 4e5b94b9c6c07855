"""The API's interactive docs (Swagger UI, served from static/) work under the site's CSP."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .test_csp import violations, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_list_the_endpoints_without_breaking_the_policy(
    page: Page, live_server: Any, seeded: None, artifacts_dir: Any
) -> None:
    errors = watch(page)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/evaluate")).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/questions")).to_be_visible()
    expect(page.locator(".title", has_text="LLM Deployment Advisor API")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "api-docs.png"), full_page=False)
    assert violations(page) == []
    assert errors == []
