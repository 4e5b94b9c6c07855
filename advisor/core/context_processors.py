"""Template context for every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """``csp_nonce``: the name django-htmx's ``{% htmx_script %}`` reads.

    django-csp's own processor calls it ``CSP_NONCE``. The value is lazy:
    only a page that uses it puts a nonce into its Content-Security-Policy.
    """
    return {"csp_nonce": getattr(request, "csp_nonce", None)}
