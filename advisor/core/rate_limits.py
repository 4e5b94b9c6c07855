"""Rate limits per client IP, counted by django-ratelimit in the shared cache.

Assessment starts (buyers' "Start" and consultants' "New assessment" share
one count), PDF renders, and the buyer's anonymous writes: step posts, the
live follow-up endpoint and usage uploads (:func:`limit_posts`). The counts
live in ``RATELIMIT_USE_CACHE``: with ``CACHE_URL`` pointing at Redis every
worker process shares them; with the default local-memory cache each
process counts on its own.
``RATELIMIT_ENABLE`` (env ``RATE_LIMITS_ENABLED``) turns every limit off.

django-ratelimit's windows are fixed but end at an offset of their own for
each client IP (a hash of the key), so that not every client's count resets
at the top of the hour: https://django-ratelimit.readthedocs.io/en/stable/rates.html
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from advisor.core.client_ip import client_ip

ASSESSMENT_START = "assessment-start"
PDF_RENDER = "pdf-render"
STEP_POST = "step-post"
STEP_LIVE = "step-live"
USAGE_POST = "usage-post"
# The JSON API's anonymous calls (advisor/api): scoring, and the reads.
API_EVALUATE = "api-evaluate"
API_READ = "api-read"

Rate = Callable[[str, HttpRequest], str]

# What the 429 page says besides "too many requests", where the refused
# request was a buyer's write: that nothing was saved, and what to do.
REFUSAL_MESSAGES = {
    STEP_POST: (
        "You have sent the questionnaire's pages faster than we allow. The answers on the page "
        "you just sent were not saved: go back, wait a moment, then send them again."
    ),
    STEP_LIVE: "You have changed answers faster than we allow. Please wait a moment.",
    USAGE_POST: (
        "You have sent more usage files than we allow in an hour. Nothing was imported: "
        "you can fill in the figures by hand meanwhile."
    ),
}


class RateLimited(Ratelimited):
    """Over a limit, with the seconds until the client's window ends.

    django-ratelimit's own ``Ratelimited`` carries no time, and the 429 must
    say in ``Retry-After`` when to come back (``advisor.core.views.rate_limited``).
    """

    def __init__(self, group: str, retry_after_seconds: int) -> None:
        super().__init__(f"Rate limit {group} exceeded")
        self.group = group
        self.retry_after_seconds = retry_after_seconds


def client_ip_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit's ``key=``: the address sign-in lock-outs see too.

    Not its ``"ip"`` key, which reads only ``REMOTE_ADDR`` (or its own
    setting) and groups IPv6 addresses by /64: one helper decides which
    header a trusted proxy sets (``CLIENT_IP_HEADER``).
    """
    return client_ip(request)


def assessment_start_rate(group: str, request: HttpRequest) -> str:
    # Read per request, so that a settings override (tests) takes effect.
    return f"{settings.RATE_LIMIT_START_PER_HOUR}/h"


def pdf_render_rate(group: str, request: HttpRequest) -> str:
    return f"{settings.RATE_LIMIT_PDF_PER_MINUTE}/m"


def step_post_rate(group: str, request: HttpRequest) -> str:
    return f"{settings.RATE_LIMIT_STEP_POSTS_PER_MINUTE}/m"


def step_live_rate(group: str, request: HttpRequest) -> str:
    return f"{settings.RATE_LIMIT_LIVE_PER_MINUTE}/m"


def usage_post_rate(group: str, request: HttpRequest) -> str:
    return f"{settings.RATE_LIMIT_USAGE_POSTS_PER_HOUR}/h"


def api_evaluate_rate(group: str, request: HttpRequest) -> str:
    return f"{settings.RATE_LIMIT_API_EVALUATE_PER_MINUTE}/m"


def api_read_rate(group: str, request: HttpRequest) -> str:
    return f"{settings.RATE_LIMIT_API_READ_PER_MINUTE}/m"


View = TypeVar("View", bound=Callable[..., Any])


def limit_posts(*, group: str, rate: Rate) -> Callable[[View], View]:
    """A view decorator: each POST counts in ``group``; over ``rate`` it is refused (429).

    Counted before the view reads the body, so a client over the limit
    costs no parse (a usage upload is up to 10 MB). Other methods pass
    uncounted: only writes are limited here.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method == "POST":
                enforce(request, group=group, rate=rate)
            return view(request, *args, **kwargs)

        return cast(View, limited)

    return decorate


def limit_assessment_start(request: HttpRequest) -> None:
    """Count an assessment start for the client's IP; raise :class:`RateLimited` over the limit."""
    enforce(request, group=ASSESSMENT_START, rate=assessment_start_rate)


def limit_pdf_render(request: HttpRequest) -> None:
    """Count a PDF render for the client's IP; raise :class:`RateLimited` over the limit."""
    enforce(request, group=PDF_RENDER, rate=pdf_render_rate)


def enforce(request: HttpRequest, *, group: str, rate: Rate) -> None:
    """Count this request in ``group``; raise :class:`RateLimited` once over ``rate``.

    Called inside the views rather than through ``@ratelimit(block=True)``:
    only some requests count (a valid form, a PDF not rendered yet), and the
    decorator's bare ``Ratelimited`` cannot tell when the window ends.
    """
    usage = get_usage(request, group=group, key=client_ip_key, rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return
    # time_left is 0 in the window's last second, which still counts in it:
    # the next window starts one second later (and a slow cache round trip
    # may have carried time_left below zero).
    raise RateLimited(group, max(1, usage["time_left"] + 1))
