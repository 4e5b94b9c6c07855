"""Consultants' assessments: list, create, read, replace the answers.

By personal API token or session (:mod:`advisor.api.auth`). Writes go
through the assessments' services and their write guard (locked: 409).
"""

from __future__ import annotations

import math

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from advisor.api.auth import CONSULTANT_AUTH, consultant_of
from advisor.api.owned import detail, owned_row, summary
from advisor.api.responses import json_response
from advisor.api.schemas import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    AnswersUpdate,
    Assessment,
    AssessmentCreate,
    AssessmentPage,
    Problem,
)
from advisor.api.services import assessment_set_answers
from advisor.assessments.models import Assessment as AssessmentRow
from advisor.assessments.services import assessment_start
from advisor.core.rate_limits import limit_assessment_start
from advisor.rules.services import current_ruleset

router = Router(tags=["assessments"], auth=CONSULTANT_AUTH)

NOT_FOUND = {404: Problem}


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get(
    "/assessments",
    url_name="assessments",
    response=AssessmentPage,
    summary="List your assessments (paginated)",
)
def assessment_list(request: HttpRequest, query: Query[PageQuery]) -> HttpResponse:
    """Your assessments, most recently changed first, a page at a time."""
    rows = AssessmentRow.objects.owned_by(consultant_of(request).pk).for_dashboard()
    count = rows.count()
    pages = max(1, math.ceil(count / query.page_size))
    start = (query.page - 1) * query.page_size
    items = [summary(request, row) for row in rows[start : start + query.page_size]]
    base = request.build_absolute_uri(reverse("api:assessments"))

    def link(page: int) -> str | None:
        return f"{base}?page={page}&page_size={query.page_size}" if 1 <= page <= pages else None

    page = {
        "count": count,
        "page": query.page,
        "pages": pages,
        "page_size": query.page_size,
        "next": link(query.page + 1),
        "previous": link(query.page - 1) if query.page <= pages else None,
        "items": items,
    }
    return json_response(page)


@router.post(
    "/assessments",
    url_name="assessment_create",
    response={201: Assessment, 422: Problem, 429: Problem},
    summary="Create an assessment (and score its answers, when complete)",
)
def assessment_create(request: HttpRequest, body: AssessmentCreate) -> HttpResponse:
    """A new assessment for a client: send them ``link``. With ``answers``, as a PUT of them."""
    limit_assessment_start(request)  # one count with the workspace's "New assessment"
    ruleset = current_ruleset()
    with transaction.atomic():
        row = assessment_start(
            ruleset=ruleset, owner=consultant_of(request), client_name=body.client_name
        )
        if body.answers is not None:
            row = assessment_set_answers(assessment=row, answers=body.answers)
    return json_response(detail(request, row), status=201)


@router.get(
    "/assessments/{token}",
    url_name="assessment",
    response={200: Assessment, **NOT_FOUND},
    summary="Read one assessment",
)
def assessment_read(request: HttpRequest, token: str) -> HttpResponse:
    """Answers, status and the stored result (null until it is scored)."""
    return json_response(detail(request, owned_row(request, token)))


@router.put(
    "/assessments/{token}/answers",
    url_name="assessment_answers",
    summary="Replace its answers (unlocked only)",
    response={200: Assessment, 409: Problem, 422: Problem, **NOT_FOUND},
)
def assessment_answers(request: HttpRequest, token: str, body: AnswersUpdate) -> HttpResponse:
    """Replace the answers of an unlocked assessment; scored when every required one is given."""
    row = assessment_set_answers(assessment=owned_row(request, token), answers=body.answers)
    return json_response(detail(request, row))
