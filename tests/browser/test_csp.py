"""The Content-Security-Policy in Chromium: no page of the site or of admin violates it.

Violations are caught with a ``securitypolicyviolation`` listener injected
before any page script (Playwright init scripts are not subject to the
page's CSP), and Chromium's console errors are collected as well.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from advisor.rules.models import Ruleset

from .test_consultant_flow import CSP_WATCH
from .test_wizard import run_questionnaire, scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page: Page) -> list[str]:
    page.add_init_script(CSP_WATCH)
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and errors.append(response.url))
    return errors


def violations(page: Page) -> list[str]:
    return list(page.evaluate("window.__cspViolations || []"))


def test_the_watcher_sees_an_inline_style(page: Page, live_server: Any) -> None:
    watch(page)
    page.goto(live_server.url)
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert violations(page)[0].startswith("style-src")


def test_wizard_and_result_pages_keep_the_policy(
    page: Page, live_server: Any, seeded: None
) -> None:
    errors = watch(page)
    seen: list[str] = []
    page.on("load", lambda loaded: seen.extend(violations(loaded)))
    case = scenario("hipaa-baa-insufficient")
    run_questionnaire(page, live_server, case["answers"])
    seen.extend(violations(page))
    chart = page.locator(".cost-chart img")
    expect(chart).to_be_visible()
    page.wait_for_load_state("load")  # images included
    # The chart is an SVG image of its own (img-src): it loads, and breaks no rule.
    assert chart.evaluate("image => image.complete && image.naturalWidth") > 0
    assert seen == []
    assert errors == []


ADMIN_PAGES = (
    "/admin/",
    "/admin/rules/ruleset/",
    "/admin/rules/ruleset/{ruleset}/change/",
    "/admin/rules/rule/add/",
    "/admin/costs/apimodel/",
    "/admin/assessments/assessment/",
    "/admin/auth/user/add/",
    "/admin/axes/accessattempt/",
)


def test_admin_works_under_the_policy(page: Page, live_server: Any, seeded: None) -> None:
    User.objects.create_superuser("root", password="a-long-test-password-1")
    errors = watch(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-test-password-1")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    ruleset = Ruleset.objects.get(is_current=True).pk
    for path in ADMIN_PAGES:
        response = page.goto(live_server.url + path.format(ruleset=ruleset))
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
        assert violations(page) == [], path
    assert errors == []
