"""A consultant and their client in Chromium, and a second consultant who must not get in.

The consultant signs in, creates an assessment for a client, copies its
link; the client fills it in another browser context (no account); the
consultant sees it completed on the dashboard and downloads the PDF.
Consultant B gets 404 for it. Every page is watched for CSP violations.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.conftest import PASSWORD, make_consultant

from .test_wizard import answer_step, scenario, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every CSP violation, also those Chromium does not log to the console.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


class Watched:
    """A browser context whose pages report console errors and CSP violations."""

    def __init__(self, browser: Browser, **options: Any) -> None:
        self.context: BrowserContext = browser.new_context(**options)
        self.context.add_init_script(CSP_WATCH)
        self.errors: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__cspViolations || []"))

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.check()

    def check(self) -> None:
        violations = self.violations()
        assert violations == [], f"CSP violations on {self.page.url}: {violations}"

    def close(self) -> None:
        self.context.close()


def sign_in(watched: Watched, live_server: Any, username: str) -> None:
    watched.goto(f"{live_server.url}/")
    watched.page.get_by_role("link", name="Consultant sign-in").click()
    watched.page.get_by_label("Username").fill(username)
    watched.page.get_by_label("Password").fill(PASSWORD)
    watched.page.get_by_role("button", name="Sign in").click()
    expect(watched.page.get_by_role("heading", level=1)).to_have_text("Your assessments")
    watched.check()


def fill_in_as_the_client(watched: Watched, link: str, answers: dict[str, Any]) -> str:
    page = watched.page
    watched.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Workload")
    while page.locator(".wizard-actions button[value='next']").count():
        watched.check()
        if page.locator(".wizard-actions button[value='skip']").count():
            page.locator(".wizard-actions button[value='skip']").click()
            settle(page)
        else:
            answer_step(page, answers)
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your answers")
    page.get_by_role("button", name="See my recommendation").click()
    settle(page)
    result = page.locator("[data-recommendation]")
    expect(result).to_be_visible()
    watched.check()
    return result.get_attribute("data-recommendation") or ""


def test_consultant_creates_sends_sees_completed_and_downloads_the_pdf(
    browser: Browser, live_server: Any, seeded: None, tmp_path
) -> None:
    make_consultant("alex")
    make_consultant("blake")
    origin = live_server.url
    consultant = Watched(browser, permissions=["clipboard-read", "clipboard-write"])
    client = Watched(browser)
    other = Watched(browser)
    try:
        sign_in(consultant, live_server, "alex")
        page = consultant.page
        page.get_by_label("Client name").fill("Acme Health")
        page.get_by_role("button", name="Create and get the link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Acme Health")
        consultant.check()

        page.get_by_role("button", name="Copy link").click()
        expect(page.locator(".copy-status")).to_have_text("Link copied to the clipboard.")
        link = page.evaluate("navigator.clipboard.readText()")
        assert link == page.locator("#assessment-link").input_value()
        assert link.startswith(f"{origin}/a/")
        detail_url = page.url

        case = scenario("low-volume-no-compliance")
        recommendation = fill_in_as_the_client(client, link, case["answers"])
        assert recommendation in case["expect"]["recommendation"]
        # The client's pages never show the consultant's workspace or notes.
        expect(client.page.get_by_text("Private notes")).to_have_count(0)

        consultant.goto(f"{origin}/consultants/")
        row = page.locator("tr", has_text="Acme Health")
        expect(row.locator("[data-status]")).to_have_text("Completed")
        page.get_by_role("link", name="Acme Health").click()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download the PDF report").click()
        download = download_info.value
        assert download.suggested_filename.startswith("acme-health-llm-deployment-recommendation-")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF")
        consultant.check()

        sign_in(other, live_server, "blake")
        for url in (link, detail_url, f"{link.rstrip('/')}/result/"):
            response = other.page.goto(url)
            assert response is not None and response.status == 404, url
            expect(other.page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(other.page.get_by_text("Acme Health")).to_have_count(0)
        other.goto(f"{origin}/consultants/")
        expect(other.page.get_by_text("No assessments yet")).to_be_visible()

        assert consultant.errors == client.errors == [], (consultant.errors, client.errors)
    finally:
        for watched in (consultant, client, other):
            watched.close()


def test_notes_save_with_htmx_without_a_csp_violation(
    browser: Browser, live_server: Any, seeded: None
) -> None:
    make_consultant("alex")
    consultant = Watched(browser)
    try:
        sign_in(consultant, live_server, "alex")
        page = consultant.page
        page.get_by_label("Client name").fill("Globex")
        page.get_by_role("button", name="Create and get the link").click()
        page.get_by_role("textbox", name="Private notes").fill("<b>not bold</b> call in May")
        page.get_by_role("button", name="Save notes").click()
        expect(page.locator("#notes [role=status]")).to_have_text("Saved.")
        page.reload()
        expect(page.get_by_role("textbox", name="Private notes")).to_have_value(
            "<b>not bold</b> call in May"
        )
        # Filtering the dashboard swaps the results with htmx.
        consultant.goto(f"{live_server.url}/consultants/")
        page.get_by_label("Search by client").fill("nothing-matches")
        page.get_by_role("button", name="Filter").click()
        expect(page.get_by_text("No assessment matches these filters.")).to_be_visible()
        consultant.check()
        assert consultant.errors == []
    finally:
        consultant.close()
