"""503 when the database is down or busy: ``Retry-After`` and the site's error page.

Never a traceback. (Over a rate limit, django-ratelimit's middleware answers
429 through ``advisor.core.views.rate_limited``.)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


BUSY_RETRY_AFTER_SECONDS = 5

# SQLite result codes (sqlite3's sqlite_errorcode, primary code in the low byte).
_SQLITE_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED: a writer holds the lock
_SQLITE_DOWN_CODES = frozenset({10, 11, 13, 14, 26})  # IOERR, CORRUPT, FULL, CANTOPEN, NOTADB
# PostgreSQL SQLSTATEs that mean the server went away or refuses connections:
# class 08 (connection exception) and the shutdown codes of class 57.
_POSTGRES_DOWN_STATES = frozenset({"57P01", "57P02", "57P03"})


def database_failure(exception: BaseException) -> str | None:
    """``"down"`` (cannot reach the database), ``"busy"`` (a lock wait ran out) or None.

    Only a connection failure is an outage. A lock that stayed held past the
    busy timeout is a busy server: also a 503, but saying so. Anything else
    (a constraint, a bad query, a missing table) is a bug and stays a 500
    so that it gets fixed.
    """
    pool_timeout = _pool_timeout_class()
    if isinstance(exception, InterfaceError) or (
        pool_timeout is not None and isinstance(exception, pool_timeout)
    ):
        return "down"
    if not isinstance(exception, OperationalError):
        return None
    cause = exception.__cause__
    code = getattr(cause, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary in _SQLITE_BUSY_CODES:
            return "busy"
        return "down" if primary in _SQLITE_DOWN_CODES else None
    if cause is not None and hasattr(cause, "sqlstate"):
        state = cause.sqlstate
        # No SQLSTATE: the client library's own failure (refused, reset, closed).
        if state is None or state.startswith("08") or state in _POSTGRES_DOWN_STATES:
            return "down"
        return "busy" if state in ("55P03", "57014", "40001", "40P01") else None
    # Raised without a driver error underneath (tests, other backends): by its words.
    return "busy" if "locked" in str(exception) else "down"


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
        failure = database_failure(exception)
        if failure is None:
            return None
        if failure == "busy":
            logger.warning("Database busy (lock wait ran out): %s", exception)
            template, retry_after = "errors/503_busy.html", BUSY_RETRY_AFTER_SECONDS
        else:
            logger.error("Database unavailable: %s", exception)
            template, retry_after = "errors/503.html", RETRY_AFTER_SECONDS
        response = HttpResponse(render_to_string(template, request=None), status=503)
        response["Retry-After"] = str(retry_after)
        return response


class IdleSessionTimeoutMiddleware:
    """Signs a user out after ``SESSION_IDLE_TIMEOUT_SECONDS`` without a request.

    Besides the absolute lifetime (``SESSION_COOKIE_AGE``, counted from sign-in):
    a consultant's browser left open on a shared machine stops being signed
    in after half an hour, not eight. The last activity is kept in the session
    and written at most once a minute, so browsing costs no session write per
    request. Buyers (anonymous, their link is their credential) are untouched.
    """

    SESSION_KEY = "_last_activity"
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            signed_in = request.user.is_authenticated
        except (InterfaceError, OperationalError):
            # The session could not be read (database down): the view's own
            # query fails the same way and DatabaseUnavailableMiddleware
            # answers 503, where an error here would be a bare 500.
            signed_in = False
        if signed_in:
            now = int(time.time())
            last = request.session.get(self.SESSION_KEY)
            idle_limit = settings.SESSION_IDLE_TIMEOUT_SECONDS
            if isinstance(last, int) and now - last > idle_limit:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {_duration(idle_limit)} without activity. "
                    "Sign in again to carry on.",
                )
            elif not isinstance(last, int):
                # Signed in before this middleware existed: start its clock now.
                _start_clock(request.session, now)
            elif now - last >= self.WRITE_EVERY_SECONDS:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


def start_session_clock(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """``user_logged_in`` receiver: the idle and absolute clocks start at sign-in.

    At sign-in, not on the first request after it: that request would then
    write the session (a Set-Cookie) where the next would not.
    """
    _start_clock(request.session, int(time.time()))


def _start_clock(session: SessionBase, now: int) -> None:
    session[IdleSessionTimeoutMiddleware.SESSION_KEY] = now
    # Writing the session would restart its lifetime (Django counts
    # SESSION_COOKIE_AGE from the last save): pin the expiry to a date, so
    # that it stays absolute however often the activity is written.
    session.set_expiry(timedelta(seconds=settings.SESSION_COOKIE_AGE))


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} seconds"
