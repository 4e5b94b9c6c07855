"""The result page on a phone (390 px): nothing wider than the screen, the tornado as a list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from advisor.assessments.models import Assessment
from advisor.reports.charts import PHONE as PHONE_CHART

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Every element's box against the viewport: a table cut off at the right
# ("Chance cheapest" clipped) is an element whose right edge passes it.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
      wide.push(`${element.tagName.toLowerCase()}.${element.className} ${box.left}..${box.right}`);
    }
  }
  return wide;
}"""
OPEN_EVERY_DISCLOSURE = (
    "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"
)


def test_no_element_of_the_result_page_is_wider_than_a_phone(
    page: Page, live_server: Any, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()  # 300M queries a month: every table and the tornado
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/a/{assessment.token}/result/")
    expect(page.locator("[data-recommendation]")).to_be_visible()

    assert page.evaluate(TOO_WIDE) == []
    # The cost chart is the phone's drawing, its labels at 11 px or more as shown.
    chart = page.locator("img.cost-chart-image")
    expect(chart).to_have_js_property("complete", True)
    assert "size=phone" in chart.evaluate("img => img.currentSrc")
    shown_width = chart.evaluate("img => img.getBoundingClientRect().width")
    assert PHONE_CHART.font_size * shown_width / PHONE_CHART.width >= 11
    # The tornado's 6 px labels give way to a list of the same inputs.
    expect(page.locator("figure.tornado")).to_be_hidden()
    expect(page.locator(".tornado-list li").first).to_be_visible()
    # The cost table is a stack of cards, each figure beside its label.
    recommended = page.locator(".cost-table tr.is-recommended")
    expect(recommended.locator("td[data-label='Chance best']")).to_be_visible()  # decision v3
    expect(page.locator(".cost-table thead")).to_be_hidden()

    # Opened, "How this was worked out" fits too: the assumptions and the data tables.
    page.evaluate(OPEN_EVERY_DISCLOSURE)
    expect(page.locator("table.assumptions-table")).to_be_visible()
    assert page.evaluate(TOO_WIDE) == []
