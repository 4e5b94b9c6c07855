"""The buyer reads the uncertainty on the result page: the bands, the tornado and their tables."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import describe, serious_violations
from tests.browser.test_wizard import run_questionnaire, scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bands_and_the_tornado_render_with_their_data_tables(
    page: Page, live_server: Any, seeded: None
) -> None:
    run_questionnaire(page, live_server, scenario("high-volume-steady-mostly-simple")["answers"])

    # The cumulative chart with its P10-P90 bands: an image that loads, described in words.
    chart = page.locator(".cost-chart img")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('.cost-chart img'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    expect(chart).to_have_attribute("alt", re.compile(r"^(Total|Projected) cost over 36 months"))
    expect(page.locator(".cost-chart figcaption")).to_contain_text("where the cost likely falls")

    # The mechanics are folded away under "How this was worked out", the chart's
    # data in a disclosure of its own inside it.
    worked_out = page.locator("details#worked-out")
    expect(worked_out.locator("table.assumptions-table")).to_be_hidden()
    worked_out.locator("summary").first.click()
    expect(worked_out.locator("table.assumptions-table")).to_be_visible()
    data = page.locator("details.chart-data")
    expect(data.locator("table")).to_be_hidden()
    data.get_by_text("The chart's data as a table").click()
    rows = data.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() == 6  # every six months of 36
    expect(rows.last.locator("th")).to_have_text("36")

    # Each option's likely range beside its point figure.
    likely = re.compile(r"\$[\d.]+[KM]? \u2013 \$[\d.]+[KM]?")
    for option in ("api", "self_host", "hybrid"):
        expect(page.locator(f"tr[data-option='{option}']")).to_contain_text(likely)

    # The tornado: one bar per input, and the same inputs in its table.
    tornado = page.locator("figure.tornado")
    tornado.scroll_into_view_if_needed()
    # The recommendation (the hybrid) against the runner-up (the API; self-hosting is ruled out).
    name = "What moves the cost of the hybrid against the commercial API"
    expect(tornado.get_by_role("img", name=name)).to_be_visible()
    bars = tornado.locator("rect")
    page.locator("details.tornado-data summary").click()
    table_rows = page.locator("table.tornado-table tbody tr")
    assert bars.count() == table_rows.count() >= 3
    labels = [text.strip() for text in table_rows.locator("th").all_inner_texts()]
    # A long label wraps onto more lines (one <text> each) and is never cut short.
    drawn = [
        " ".join(group.locator("text").all_text_contents())
        for group in tornado.locator("g.tornado-label").all()
    ]
    assert labels == drawn
    assert any(
        len(label) > 36 and label == shown for label, shown in zip(labels, drawn, strict=True)
    )
    expect(table_rows.first.locator("td").nth(1)).to_have_text(re.compile(r"^\d+\.\d\dx$"))

    serious = serious_violations(page)
    assert serious == [], describe(serious)
