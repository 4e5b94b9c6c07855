"""The page title follows the step when htmx swaps it in (Next, Back), not only on a full load."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_wizard import answer_step, settle, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUFFIX = " · LLM Deployment Advisor"


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_the_title_names_each_step_as_the_buyer_clicks_through(
    page: Page, live_server: Any, seeded: None
) -> None:
    start(page, live_server)
    titles = [page.title()]
    assert titles[0] == f"Workload · Step 1 of 6{SUFFIX}"
    while page.locator(".wizard-actions button[value='next']").count():
        step_number = len(titles)
        if page.locator(".wizard-actions button[value='skip']").count():
            page.locator(".wizard-actions button[value='skip']").click()
            settle(page)
        else:
            answer_step(page, {"monthly_queries": 5_000_000})
        expect(page).to_have_title(re.compile(rf"· Step {step_number + 1} of 6 ·"))
        titles.append(page.title())
        assert titles[-1].startswith(f"{heading(page)} · ")
    assert titles[-1] == f"Review your answers · Step 6 of 6{SUFFIX}"
    assert len(set(titles)) == len(titles) == 6
    # Swapped out of band into <head>: no stray <title> left in the page body.
    expect(page.locator("body title")).to_have_count(0)

    page.get_by_role("link", name="Edit Workload").click()
    settle(page)
    expect(page).to_have_title(f"Workload · Step 1 of 6{SUFFIX}")
    page.locator(".wizard-actions button[value='next']").click()
    settle(page)
    expect(page).to_have_title(f"Compliance · Step 2 of 6{SUFFIX}")
    page.locator(".wizard-actions button[value='back']").click()
    settle(page)
    expect(page).to_have_title(f"Workload · Step 1 of 6{SUFFIX}")
