"""``{% client_branding assessment as brand %}``: the owner's branding on a client's pages."""

from __future__ import annotations

from typing import Any

from django import template

from advisor.consultants.selectors import ClientBranding, client_branding_of

register = template.Library()


@register.simple_tag
def client_branding(assessment: Any) -> ClientBranding | None:
    """The branding of ``assessment``'s owner, read once per request (blocks ask twice)."""
    if assessment is None or not hasattr(assessment, "owner_id"):
        return None
    if not hasattr(assessment, "_client_branding"):
        assessment._client_branding = client_branding_of(owner_id=assessment.owner_id)
    branding: ClientBranding | None = assessment._client_branding
    return branding
