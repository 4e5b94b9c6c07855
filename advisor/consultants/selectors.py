"""Reads for the consultants' workspace (the assessments' own are in assessments.selectors)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from advisor.consultants.models import ConsultantProfile
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
    """The branding of an assessment's owner; None for an anonymous buyer's assessment.

    One narrow query (no join, three columns): every page of a client's
    assessment asks for it, the cached result page included.
    """
    if owner_id is None:
        return None
    row = (
        ConsultantProfile.objects.filter(user_id=owner_id)
        .values_list("pk", "firm_name", "accent_colour", "logo_rendering")
        .first()
    )
    if row is None:
        return ClientBranding("", "", "")
    profile_id, firm_name, accent_colour, logo_rendering = row
    return ClientBranding(
        firm_name=firm_name,
        accent_colour=accent_colour.upper() if accent_colour else "",
        logo_url=reverse("consultants:logo", args=[profile_id]) if logo_rendering else "",
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
