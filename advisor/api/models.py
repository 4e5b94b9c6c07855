"""Personal API tokens: a consultant's tools call the JSON API with one of these.

The secret is shown once, when the token is created; only its SHA-256 digest
is stored (the secret carries 256 random bits, so an unsalted digest is as
hard to reverse as the secret is to guess), with the first characters kept
to tell tokens apart on the consultant's page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

TOKEN_NAME_MAX_LENGTH = 80


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Tokens that still open the API (not revoked)."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=TOKEN_NAME_MAX_LENGTH)
    # SHA-256 of the secret, hex: the secret itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The secret's first characters ("adv_Xy12…"): which token is which, on the page.
    prefix = models.CharField(max_length=16, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
