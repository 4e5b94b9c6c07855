"""Reads for the consultants' workspace (the assessments' own are in assessments.selectors)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from advisor.consultants.models import ConsultantProfile
from advisor.consultants.services import branding_profile_of
from advisor.rules.models import Ruleset


def current_ruleset_id() -> int | None:
    """The published ruleset's primary key, or None before one is published.

    An assessment scored with another version shows "newer ruleset" and may
    be re-scored.
    """
    current = Ruleset.objects.current()
    return current.pk if current else None


@dataclass(frozen=True)
class ClientBranding:
    """What a consultant's client sees of the consultant on the assessment's own pages."""

    firm_name: str
    accent_colour: str  # "#RRGGBB" (validated on save), or "" for the site's
    logo_url: str  # the measured PNG every report shows, or ""


def client_branding_of(*, owner_id: int | None) -> ClientBranding | None:
    """The branding of an assessment's owner; None for an anonymous buyer's assessment."""
    if owner_id is None:
        return None
    profile = branding_profile_of(user_id=owner_id)
    if profile is None:
        return ClientBranding("", "", "")
    return ClientBranding(
        firm_name=profile.firm_name,
        accent_colour=profile.accent_colour.upper() if profile.accent_colour else "",
        logo_url=(reverse("consultants:logo", args=[profile.pk]) if profile.logo_rendering else ""),
    )


def logo_png_of(*, profile_id: int) -> bytes | None:
    """A profile's logo as reports draw it (the measured PNG, never the upload itself)."""
    profile = ConsultantProfile.objects.filter(pk=profile_id).first()
    if profile is None or not profile.logo_rendering:
        return None
    try:
        with profile.logo_rendering.open("rb") as file:
            return bytes(file.read())
    except OSError:
        return None
