"""A write the assessment's state refuses: a redirect with its message, never a 500.

The services raise :class:`~advisor.assessments.write_guard.WriteRefused`
before writing anything; whichever view called them, the visitor lands on
the page that shows the assessment as it is (the buyer's result or step,
the consultant's assessment page) with the message saying why nothing
changed. htmx requests get the same redirect as ``HX-Redirect`` (htmx 2
does not swap a 4xx, so an error status would leave the page silently as
it was).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from advisor.assessments.write_guard import State, WriteRefused


class _SeeOther(HttpResponseRedirect):
    status_code = 303


class RefusedWriteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, WriteRefused):
            return None
        messages.warning(request, exception.message)
        url = refused_write_url(request, exception)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return _SeeOther(url)


def refused_write_url(request: HttpRequest, refused: WriteRefused) -> str:
    """Where the visitor sees the assessment as it stayed: the consultant's page or the buyer's."""
    match = request.resolver_match
    if match is not None and match.namespace == "consultants":
        return reverse("consultants:assessment", args=[refused.token])
    if refused.state in (State.LOCKED, State.DELIVERED):
        return reverse("assessments:result", args=[refused.token])
    # In progress: where the buyer left off (resume works that out).
    return reverse("assessments:resume", args=[refused.token])


__all__ = ["RefusedWriteMiddleware", "refused_write_url"]
