"""Error answers made in one place: 503 when the database is down, 429 over a rate limit.

Both carry ``Retry-After`` and the site's error page, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from advisor.core.ratelimit import RateLimited
from advisor.core.views import too_many_requests

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def _database_is_unreachable(exception: Exception) -> bool:
    # Only connection failures mean "unavailable"; a constraint violation or a
    # bad query is a bug and must stay a 500 so that it gets fixed.
    if isinstance(exception, OperationalError | InterfaceError):
        return True
    pool_timeout = _pool_timeout_class()
    return pool_timeout is not None and isinstance(exception, pool_timeout)


def _pool_timeout_class() -> type[Exception] | None:
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # SQLite-only installs
        return None
    return PoolTimeout


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _database_is_unreachable(exception):
            return None
        logger.error("Database unavailable: %s", exception)
        body = render_to_string("errors/503.html", request=None)
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class RateLimitMiddleware:
    """Turn :class:`advisor.core.ratelimit.RateLimited` into 429 with ``Retry-After``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RateLimited):
            return None
        logger.warning("Rate limit %s exceeded by a client", exception.scope)
        return too_many_requests(request, retry_after_seconds=exception.retry_after_seconds)
