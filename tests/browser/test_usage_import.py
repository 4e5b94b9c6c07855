"""A buyer fills the workload from a usage export in Chromium, with and without JavaScript.

Screenshots of the workload step with the upload and the derived figures, at
1280 and 390 px, and the PDF report go to artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.accessibility import describe, serious_violations
from tests.usage import generators as usage_gen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def settle(page: Page) -> None:
    page.wait_for_load_state("load")
    expect(page.locator(".htmx-request, .htmx-settling, .htmx-swapping")).to_have_count(0)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """Two weeks of hourly OpenAI usage in working hours, 5 models."""
    hours = usage_gen.hourly_requests(pattern="business_hours", days=14, per_hour=40_000)
    path = tmp_path / "openai-usage.json"
    path.write_text(json.dumps(usage_gen.openai_pages(hours, models=5)))
    return path


def upload_and_accept(page: Page, live_server: Any, export: Path) -> None:
    page.goto(live_server.url)
    page.get_by_role("button", name="Start an assessment").click()
    settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Workload")
    page.get_by_label("Usage export file").set_input_files(str(export))
    page.get_by_label("Keep it").uncheck()
    page.get_by_role("button", name="Read the export").click()
    settle(page)
    expect(page.get_by_role("heading", name="What your export says")).to_be_visible()
    expect(page.locator("#usage-load_pattern")).to_contain_text("Business hours")


def accept_and_finish(page: Page) -> None:
    page.get_by_role("button", name="Use these figures").click()
    settle(page)
    expect(page.locator("#q-monthly_queries .measured-badge")).to_have_text("from your usage data")
    volume = page.locator("input[name='monthly_queries']").input_value()
    assert volume.replace(",", "").isdigit() and int(volume.replace(",", "")) > 1_000_000
    while page.locator(".wizard-actions button[value='next']").count():
        skip = page.locator(".wizard-actions button[value='skip']")
        (skip if skip.count() else page.locator(".wizard-actions button[value='next']")).click()
        settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your answers")
    expect(page.locator("#answer-monthly_queries .measured-badge")).to_be_visible()
    expect(page.locator("#answer-load_pattern .measured-badge")).to_be_visible()
    page.get_by_role("button", name="See my recommendation").click()
    settle(page)
    measured = page.locator("#measured")
    expect(measured).to_contain_text("Measured from your usage data")
    expect(measured).to_contain_text("14.0 days")
    expect(page.locator("#measured-load_pattern")).to_contain_text("Business hours")


def test_upload_accept_finish_and_see_it_measured(
    page: Page, live_server: Any, seeded: None, export: Path, artifacts_dir: Path
) -> None:
    upload_and_accept(page, live_server, export)
    serious = serious_violations(page)
    assert serious == [], describe(serious)
    shots = artifacts_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(shots / f"usage-import-{name}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    accept_and_finish(page)
    page.screenshot(path=str(shots / "usage-result-desktop.png"), full_page=True)
    pdf_link = page.get_by_role("link", name="Download the PDF report")
    pdf = page.request.get(urljoin(page.url, pdf_link.get_attribute("href") or ""))
    assert pdf.ok
    (artifacts_dir / "usage-report.pdf").write_bytes(pdf.body())


def test_a_bad_export_shows_the_message_on_the_field(
    page: Page, live_server: Any, seeded: None, tmp_path: Path
) -> None:
    bad = tmp_path / "usage.csv"
    bad.write_text(
        "start,requests,input_tokens,output_tokens,cached_input_tokens\n2026-10-01,-4,1,1,0\n"
    )
    page.goto(live_server.url)
    page.get_by_role("button", name="Start an assessment").click()
    settle(page)
    page.get_by_label("Usage export file").set_input_files(str(bad))
    page.get_by_role("button", name="Read the export").click()
    settle(page)
    expect(page.locator("#usage-error")).to_contain_text("line 2, field 'requests'")


def test_the_same_works_without_javascript(
    browser: Browser, live_server: Any, seeded: None, export: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        upload_and_accept(page, live_server, export)
        accept_and_finish(page)
    finally:
        context.close()
