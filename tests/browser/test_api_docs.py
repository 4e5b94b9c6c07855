"""The API's interactive docs (Swagger UI, served from static/) work under the site's CSP."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import make_consultant

from .test_consultant_flow import Watched, sign_in
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


def test_a_consultant_creates_uses_and_revokes_a_token(
    browser: Browser, live_server: Any, seeded: None, artifacts_dir: Any
) -> None:
    make_consultant("alex")
    consultant = Watched(browser)
    try:
        sign_in(consultant, live_server, "alex")
        page = consultant.page
        page.get_by_role("link", name="API tokens").click()
        page.get_by_label("Name").fill("Jupyter")
        page.get_by_role("button", name="Create token").click()
        secret = page.locator("#token-secret").inner_text()
        assert secret.startswith("adv_")
        page.screenshot(path=str(artifacts_dir / "api-tokens.png"), full_page=True)
        listed = page.request.get(
            f"{live_server.url}/api/v1/assessments",
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert listed.status == 200 and listed.json()["count"] == 0
        page.get_by_role("button", name="Revoke Jupyter").click()
        expect(page.get_by_text("Token revoked")).to_be_visible()
        expect(page.locator("#token-secret")).to_have_count(0)
        refused = page.request.get(
            f"{live_server.url}/api/v1/assessments",
            headers={"Authorization": f"Bearer {secret}", "Cookie": ""},
        )
        assert refused.status == 401
        consultant.check()
        assert consultant.errors == []
    finally:
        consultant.close()
