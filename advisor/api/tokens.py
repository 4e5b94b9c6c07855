"""Create, revoke and check personal API tokens (the consultant's pages and the API's auth)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from advisor.api.models import TOKEN_NAME_MAX_LENGTH, ApiToken, ApiTokenQuerySet
from advisor.consultants.models import CONSULTANTS_GROUP

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


@dataclass(frozen=True)
class TokenHolder:
    user: User
    is_consultant: bool


def holder_of_secret(secret: str) -> TokenHolder | None:
    """Whose active token this secret is (an active user), and whether they are a consultant.

    One query: the token, its user and their membership of the Consultants
    group together. Notes the use (at most once a minute).
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    consultant = Group.objects.filter(name=CONSULTANTS_GROUP, user=OuterRef("user_id"))
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=token_digest(secret), user__is_active=True)
        .annotate(is_consultant=Exists(consultant))
        .order_by()  # one row at most (the digest is unique): no sort to plan
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    # Annotated above; django-stubs does not see annotated attributes.
    return TokenHolder(user=token.user, is_consultant=bool(token.is_consultant))  # type: ignore[attr-defined]
