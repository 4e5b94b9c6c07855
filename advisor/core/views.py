"""Site-wide pages: the landing page, sign-in, the health check and the error pages."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from django_ratelimit.exceptions import Ratelimited

from advisor.api.problems import problem
from advisor.core.forms import SignInForm
from advisor.core.rate_limits import REFUSAL_MESSAGES

API_PREFIX = "/api/"

logger = logging.getLogger(__name__)


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "core/landing.html")


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Load balancers poll this: it answers 200 only when the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class SignInView(auth_views.LoginView):
    """Django's login view (it rotates the session key) in the site's look."""

    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        # A client of the JSON API reads problem details, never the site's HTML page.
        response = problem(status=404, detail="No such endpoint: see /api/v1/docs.")
    else:
        response = render(request, "errors/404.html", status=404)
    # Every 404 varies on the cookie, whether or not the view got as far as
    # reading the session: no header may tell which 404 it was.
    patch_vary_headers(response, ["Cookie"])
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without a valid CSRF token: the site's page, not Django's bare one."""
    return render(request, "errors/403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that might touch the database that just failed.
    return render(request, "errors/500.html", status=500)


def too_many_requests(
    request: HttpRequest, *, retry_after_seconds: int, message: str = ""
) -> HttpResponse:
    """429 with ``Retry-After`` (seconds) and the site's error page (``message``, if any)."""
    body = render_to_string(
        "errors/429.html",
        {"retry_after_minutes": _minutes(retry_after_seconds), "message": message},
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after_seconds)
    return response


def rate_limited(request: HttpRequest, exception: Ratelimited) -> HttpResponse:
    """``RATELIMIT_VIEW``: django-ratelimit's middleware calls it over a limit.

    The project's limits raise :class:`advisor.core.rate_limits.RateLimited`,
    which knows when the window ends. A bare ``Ratelimited`` (a
    ``@ratelimit(block=True)`` someone adds) does not: its 429 names no time.
    """
    retry_after_seconds = getattr(exception, "retry_after_seconds", None)
    group = getattr(exception, "group", "(unnamed)")
    logger.warning("Rate limit %s exceeded by a client", group)
    if retry_after_seconds is None:
        body = render_to_string("errors/429.html", {"retry_after_minutes": None})
        return HttpResponse(body, status=429)
    return too_many_requests(
        request,
        retry_after_seconds=retry_after_seconds,
        message=REFUSAL_MESSAGES.get(group, ""),
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """django-axes' answer once a username is locked out from this IP address."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    # The username's ceiling over every address (advisor.core.auth_backends)
    # must not say "from your network": it was reached from many.
    everywhere = getattr(request, "username_ceiling_reached", False)
    template = "errors/locked_out_everywhere.html" if everywhere else "errors/locked_out.html"
    body = render_to_string(template, {"retry_after_minutes": _minutes(seconds)})
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))
