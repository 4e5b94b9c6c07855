"""Sign-in brute-force protection: django-axes' per-(username, IP) lock plus a username ceiling.

Axes locks a username *from one address* after ``AXES_FAILURE_LIMIT``
failures, so nobody can lock a consultant out from elsewhere. On its own
that leaves guessing from many addresses unlimited (five tries from each of
a thousand addresses). The ceiling counts a username's failures from every
address together, in axes' own table and over the same cool-off window,
and refuses further sign-ins past ``AXES_USERNAME_FAILURE_CEILING``: set
well above the per-address limit, so a real user's typos never reach it,
and low enough that guessing a password this way takes centuries.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def failures_for_username(username: str) -> int:
    """Failed sign-ins for ``username`` from every address within the cool-off window."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start")
    )["failures"]
    return int(total or 0)


class SignInGuardBackend(AxesStandaloneBackend):
    """Axes' check first (per username and IP), then the username's ceiling over all IPs."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().authenticate(request, username=username, password=password, **kwargs)
        if not settings.AXES_ENABLED or request is None or not username:
            return None
        if failures_for_username(username) < settings.AXES_USERNAME_FAILURE_CEILING:
            return None
        # The flag AxesMiddleware turns into the lock-out page (429, Retry-After).
        # Attributes axes (and our lock-out view) read, which HttpRequest's type
        # cannot know: the ignore is for exactly that.
        request.axes_locked_out = True  # type: ignore[attr-defined]
        request.username_ceiling_reached = True  # type: ignore[attr-defined]
        raise AxesBackendPermissionDenied("Too many failed sign-ins for this username")
