"""Create, revoke and check personal API tokens (the consultant's pages and the API's auth)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from advisor.api.models import TOKEN_NAME_MAX_LENGTH, ApiToken, ApiTokenQuerySet

TOKEN_PREFIX = "adv_"  # noqa: S105 (a marker, not a secret)
PREFIX_SHOWN = len(TOKEN_PREFIX) + 6
# "Last used" is a hint, not an audit log: written at most once a minute per token.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_digest(secret: str) -> str:
    """The stored form of a secret: SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``, and its secret (shown once: only the digest is kept)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:TOKEN_NAME_MAX_LENGTH] or "API token",
        token_hash=token_digest(secret),
        prefix=secret[:PREFIX_SHOWN],
    )
    return token, secret


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s tokens; False when they have no such active token."""
    revoked = (
        ApiToken.objects.active().filter(user=user, pk=token_id).update(revoked_at=timezone.now())
    )
    return bool(revoked)


def tokens_of(*, user: User) -> ApiTokenQuerySet:
    """A user's tokens, revoked ones included (the page shows when they were revoked)."""
    return ApiToken.objects.filter(user=user)


def user_for_secret(secret: str) -> User | None:
    """The active user whose active token this secret is, else None; notes the use."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=token_digest(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
