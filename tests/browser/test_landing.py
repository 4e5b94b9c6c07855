"""The landing page in a real Chromium: no console errors, nothing fetched off-site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_landing_page_loads_cleanly_from_the_test_server_only(page, live_server):
    console_errors: list[str] = []
    requested_hosts: set[str] = set()
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    failed: list[str] = []
    page.on("request", lambda request: requested_hosts.add(urlsplit(request.url).netloc))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))

    page.goto(live_server.url)
    page.wait_for_load_state("networkidle")

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Commercial LLM API, self-hosted open model, or both?"
    )
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.locator("link[href$='bootstrap.min.css']").count() == 1
    assert console_errors == []
    assert failed == []
    assert requested_hosts == {urlsplit(live_server.url).netloc}
