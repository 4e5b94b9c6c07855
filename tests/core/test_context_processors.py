"""Every page's template context: the CSP nonce django-htmx's script tag reads."""

from __future__ import annotations

from django.test import RequestFactory

from advisor.core.context_processors import csp_nonce


def test_the_nonce_is_the_requests_or_none() -> None:
    request = RequestFactory().get("/")
    assert csp_nonce(request) == {"csp_nonce": None}
    request.csp_nonce = "abc123"  # type: ignore[attr-defined]
    assert csp_nonce(request) == {"csp_nonce": "abc123"}
