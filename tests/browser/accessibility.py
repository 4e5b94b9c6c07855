"""axe-core checks that measure the page at rest, as a reader would see it."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

SERIOUS = {"serious", "critical"}


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe's serious and critical violations once the pointer is parked and transitions end.

    After a click the pointer stays where the button was; on the next step another
    button can sit under it, and axe would otherwise measure its colour halfway
    through Bootstrap's hover transition (a contrast no reader sees at rest).
    """
    page.mouse.move(0, 0)
    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
    return [v for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]


def describe(violations: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Each violation's rule and the elements it found, short enough for an assertion message."""
    return [
        (v["id"], [f"{node['html'][:120]}: {node['failureSummary']}" for node in v["nodes"]])
        for v in violations
    ]
