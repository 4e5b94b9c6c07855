"""A buyer compares scenarios on the result page: with the mouse, by keyboard alone, on a phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from advisor.assessments.models import Assessment
from advisor.options import OPTION_LABELS
from advisor.reports.charts import PHONE as PHONE_CHART
from tests.browser.accessibility import describe, serious_violations
from tests.browser.test_wizard import DESKTOP, PHONE, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_result(page: Page, live_server: Any, assessment: Assessment) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("assessments:result", args=[assessment.token]))
    expect(page.locator("[data-recommendation]").first).to_be_visible()


def add_scenario(page: Page, name: str, key: str, value: str) -> None:
    opener = page.locator("#scenarios").get_by_role("link", name="Add a scenario")
    if opener.count():  # no scenario yet: the form opens on demand
        opener.click()
        settle(page)
        expect(page.locator("#id_scenario-name")).to_be_focused()
    form = page.locator("form.scenario-form")
    form.get_by_label("Name of the scenario").fill(name)
    form.get_by_label("Question 1").select_option(key)
    form.get_by_label("New answer 1").fill(value)
    form.get_by_role("button", name="Add scenario").click()
    settle(page)


def test_a_buyer_adds_two_variants_and_sees_them_side_by_side(
    page: Page, live_server: Any, make_completed: Callable[..., Assessment], artifacts_dir: Path
) -> None:
    assessment = make_completed()
    open_result(page, live_server, assessment)

    # A bad answer first: the questionnaire's message, on that field, nothing added.
    add_scenario(page, "Negative", "monthly_queries", "-5")
    value = page.locator("#id_scenario-value_1")
    expect(value).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_scenario-value_1-error")).to_have_text(
        "Enter at least 0 queries/month."
    )
    expect(page.locator("table.scenario-table")).to_have_count(0)

    add_scenario(page, "Volume x3", "monthly_queries", "x3")
    expect(page.locator(".scenario-notice")).to_have_text("Scenario “Volume x3” added.")
    add_scenario(page, "Reserved 3 years", "gpu_pricing", "Reserve for 3 years")

    table = page.locator("table.scenario-table")
    expect(table.locator("thead th.scenario-name")).to_have_text(
        ["As answered", "Volume x3", "Reserved 3 years"]
    )
    expect(table.locator("tr[data-row='changes'] td").nth(1)).to_contain_text("900,000,000")
    expect(table.locator("tr[data-row='changes'] td").nth(2)).to_contain_text("Reserve for 3 years")
    recommendations = table.locator("tr[data-row='recommendation'] td")
    expect(recommendations).to_have_count(3)
    for text in recommendations.all_inner_texts():
        assert text.strip() in OPTION_LABELS.values()
    expect(table.locator("tr[data-row='tco-api'] td").nth(1)).to_contain_text("$")
    # The chart: one line per scenario, named in its legend.
    chart = page.locator("figure.scenario-chart svg.scenario-chart-wide")
    expect(chart.locator("polyline")).to_have_count(3)
    expect(chart.locator("#scenario-legend text")).to_have_count(3)

    serious = serious_violations(page)
    assert serious == [], describe(serious)

    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for width_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.locator("#scenarios").screenshot(path=str(shots / f"scenarios-{width_name}.png"))
        page.screenshot(path=str(shots / f"result-scenarios-{width_name}.png"), full_page=True)
    # At 390 px the section fits; the table scrolls inside its own (focusable) region.
    widths = page.evaluate(
        "() => [document.querySelector('#scenarios').getBoundingClientRect().right,"
        " document.querySelector('figure.scenario-chart svg.scenario-chart-phone')"
        ".getBoundingClientRect().right,"
        # The caption wraps to the screen rather than running on under the table's scroll.
        " document.querySelector('table.scenario-table caption').getBoundingClientRect().right]"
    )
    assert max(widths) <= PHONE["width"], widths
    # Nor does the page scroll sideways (a remove button's hidden label, placed outside
    # the table's region, once made it 80 px wider than the screen).
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # The phone's drawing, its labels at 11 px or more as shown.
    phone_chart = page.locator("figure.scenario-chart svg.scenario-chart-phone")
    expect(phone_chart).to_be_visible()
    shown = phone_chart.evaluate("svg => svg.getBoundingClientRect().width")
    assert PHONE_CHART.font_size * shown / PHONE_CHART.width >= 11

    # Saved with the assessment: still there after a reload.
    page.reload()
    expect(page.locator("table.scenario-table thead th.scenario-name")).to_have_count(3)


def test_a_keyboard_alone_adds_walks_and_removes_a_scenario(
    page: Page, live_server: Any, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    open_result(page, live_server, assessment)

    # From the top of the page, Tab to "Compare scenarios" and follow it.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == (
            "Compare scenarios"
        ):
            break
    else:
        pytest.fail("Tab never reached the Compare scenarios link")
    page.keyboard.press("Enter")

    page.keyboard.press("Tab")
    opener = page.get_by_role("link", name="Add a scenario")
    expect(opener).to_be_focused()
    page.keyboard.press("Enter")  # the form opens, its first field focused
    settle(page)
    expect(page.locator("#id_scenario-name")).to_be_focused()
    page.keyboard.type("Twice the volume")
    page.keyboard.press("Tab")
    expect(page.locator("#id_scenario-key_1")).to_be_focused()
    page.keyboard.type("How many queries")  # a select's type-ahead picks the question
    expect(page.locator("#id_scenario-key_1")).to_have_value("monthly_queries")
    page.keyboard.press("Tab")
    expect(page.locator("#id_scenario-value_1")).to_be_focused()
    page.keyboard.type("x2")
    page.keyboard.press("Enter")
    settle(page)

    # The comparison takes the focus; it scrolls with the arrow keys, and Tab reaches Remove.
    region = page.get_by_role("region", name=re.compile(r"^Your result beside 1 scenario[.;]"))
    expect(region).to_be_focused()
    expect(region.locator("thead th.scenario-name")).to_have_text(
        ["As answered", "Twice the volume"]
    )
    page.keyboard.press("Tab")
    remove = page.get_by_role("button", name="Remove scenario Twice the volume")
    expect(remove).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_scenario-name")).to_be_focused()  # then the form again
    page.keyboard.press("Shift+Tab")
    expect(remove).to_be_focused()
    page.keyboard.press("Enter")
    settle(page)
    expect(page.locator(".scenario-notice")).to_have_text("Scenario removed.")
    expect(page.locator("table.scenario-table")).to_have_count(0)
    expect(page.locator("#id_scenario-name")).to_be_visible()  # the form stays open
