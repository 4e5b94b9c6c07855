"""The one place a view chooses between the piece htmx swaps and the whole page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from advisor.core.http import HtmxHttpRequest


def partial_or_page(
    request: HtmxHttpRequest, template: str, context: Mapping[str, Any], *, partial: str
) -> HttpResponse:
    """``template#partial`` (django-template-partials) for htmx, else the whole ``template``.

    A history-restore request wants the whole page, like a direct load: htmx
    sends one when going back to a page it has no snapshot of (the history
    cache is off on confidential pages) and swaps the response into <body>.
    https://django-htmx.readthedocs.io/en/latest/middleware.html#django_htmx.middleware.HtmxDetails.history_restore_request
    """
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{template}#{partial}"
    return render(request, template, context)
