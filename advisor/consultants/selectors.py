"""Reads for the consultants' workspace (the assessments' own are in assessments.selectors)."""

from __future__ import annotations

from advisor.rules.models import Ruleset


def current_ruleset_id() -> int | None:
    """The published ruleset's primary key, or None before one is published.

    An assessment scored with another version shows "newer ruleset" and may
    be re-scored.
    """
    current = Ruleset.objects.current()
    return current.pk if current else None
