"""A consultant's own assessment, as the API shows it.

Every lookup is among the caller's own assessments, so another consultant's
assessment is the same 404 as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from advisor.api.auth import consultant_of
from advisor.api.responses import strong_etag
from advisor.assessments.models import Assessment
from advisor.assessments.write_guard import state_of
from advisor.scoring.evaluate import advice_json
from advisor.snapshot import ResultSnapshot


def owned_row(request: HttpRequest, token: str, *, documents: bool = True) -> Assessment:
    """The caller's assessment with this token (its JSON documents unread unless asked), or 404."""
    rows = Assessment.objects.for_token(token).owned_by(consultant_of(request).pk)
    return get_object_or_404(rows if documents else rows.without_documents())


def summary(request: HttpRequest, row: Assessment) -> dict[str, Any]:
    """A list's row: who, what state, the buyer's link, the recommendation."""
    return {
        "token": row.token,
        "client_name": row.client_name,
        "status": row.status,
        "state": state_of(row).value,
        "link": request.build_absolute_uri(reverse("assessments:resume", args=[row.token])),
        "url": request.build_absolute_uri(reverse("api:assessment", args=[row.token])),
        "recommendation": _recommendation(row),
        "has_result": row.has_stored_result,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def _recommendation(row: Assessment) -> str | None:
    """The stored result's recommendation: annotated on a list's rows, else read from it."""
    if "recommendation" in row.__dict__:  # for_dashboard() reads it in the database
        annotated: str | None = row.__dict__["recommendation"]
        return annotated
    return None if row.result is None else row.result.get("recommendation")


def detail(request: HttpRequest, row: Assessment) -> dict[str, Any]:
    """One assessment: the summary, its answers and its stored result (evaluate's JSON)."""
    result = advice_json(ResultSnapshot.from_dict(row.result)) if row.result is not None else None
    return {
        **summary(request, row),
        "ruleset": {"name": row.ruleset.name, "version": row.ruleset.version},
        "answers": row.answers,
        "result": result,
    }


def result_etag(row: Assessment) -> str:
    """Changes whenever the stored result does (``result_version``); reveals no id."""
    return strong_etag("result", row.token, row.result_version)
