"""Who is calling: a consultant's personal API token, or their signed-in session.

A token (``Authorization: Bearer adv_…``) is checked first; a call that
carries one needs no CSRF token, as no browser sends it on its own. A call
made with the session cookie (the interactive docs, a signed-in browser)
must carry the CSRF token, as every form on the site does. Either way the
caller must be a consultant: another signed-in user (staff) is refused with
403, a missing, wrong or revoked token with 401.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from advisor.api.tokens import holder_of_secret
from advisor.consultants.services import is_consultant

CONSULTANTS_ONLY = "The API's assessments are for consultants."


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a consultant's personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        holder = holder_of_secret(token)
        if holder is None:
            return None
        if not holder.is_consultant:
            raise PermissionDenied(CONSULTANTS_ONLY)
        return holder.user


class ConsultantSessionAuth(APIKeyCookie):
    """The site's session cookie, with Django's CSRF check (``csrf=True``)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Not signed in: nothing a forged request could use, so no CSRF
        # refusal (a wrong or revoked token is then 401, not a CSRF 403).
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if not is_consultant(user):
            raise PermissionDenied(CONSULTANTS_ONLY)
        return user


CONSULTANT_AUTH = [ApiTokenAuth(), ConsultantSessionAuth()]


def consultant_of(request: HttpRequest) -> User:
    """The consultant the authentication found (ninja sets ``request.auth``)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user
