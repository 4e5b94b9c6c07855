"""partial_or_page: the piece htmx swaps, or the whole page (advisor/core/htmx.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from advisor.core import htmx


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template names partial_or_page renders."""
    names: list[str] = []

    def render(request: HttpRequest, template: str, context: Any) -> HttpResponse:
        names.append(template)
        return HttpResponse()

    monkeypatch.setattr(htmx, "render", render)
    return names


def request_with(**headers: str) -> HttpRequest:
    request = RequestFactory().get("/", headers=headers)
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]  # as HtmxMiddleware does
    return request


def test_a_direct_load_gets_the_whole_page(rendered: list[str]) -> None:
    htmx.partial_or_page(request_with(), "page.html", {}, partial="part")
    assert rendered == ["page.html"]


def test_an_htmx_request_gets_the_partial(rendered: list[str]) -> None:
    htmx.partial_or_page(request_with(**{"HX-Request": "true"}), "page.html", {}, partial="part")
    assert rendered == ["page.html#part"]


def test_a_history_restore_request_gets_the_whole_page(rendered: list[str]) -> None:
    request = request_with(**{"HX-Request": "true", "HX-History-Restore-Request": "true"})
    htmx.partial_or_page(request, "page.html", {}, partial="part")
    assert rendered == ["page.html"]
