"""Consultants' endpoints: their own assessments, by personal API token or session.

Every lookup is among the caller's own assessments, so another consultant's
assessment is the same 404 as one that does not exist. Writes go through
the assessments' services and their write guard (a locked assessment: 409).
"""

from __future__ import annotations

import math
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from advisor.api.auth import CONSULTANT_AUTH, consultant_of
from advisor.api.problems import INVALID_ANSWERS, WRITE_REFUSED, problem
from advisor.api.responses import json_response, not_modified, strong_etag, with_etag
from advisor.api.schemas import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    AnswersUpdate,
    Assessment,
    AssessmentCreate,
    AssessmentPage,
    Problem,
    Rescored,
    Result,
    Scenario,
    ScenarioCreate,
)
from advisor.api.services import assessment_set_answers
from advisor.api.usage import read_export
from advisor.assessments.models import Assessment as AssessmentRow
from advisor.assessments.results import advice_json, stored_snapshot
from advisor.assessments.scenarios import TooManyVariants, variant_add
from advisor.assessments.services import (
    RescoreNotPossible,
    assessment_rescore,
    assessment_rescore_preview,
    assessment_start,
)
from advisor.assessments.usage import assessment_accept_usage, assessment_derive_usage
from advisor.assessments.write_guard import Write, check_write, state_of
from advisor.core.rate_limits import (
    USAGE_POST,
    enforce,
    limit_assessment_start,
    limit_pdf_render,
    usage_post_rate,
)
from advisor.reports.pdf import PdfRenderError
from advisor.reports.services import (
    assessment_report_pdf,
    prepare_assessment_report,
    stored_report_pdf,
)
from advisor.rules.services import current_ruleset

router = Router(tags=["assessments"], auth=CONSULTANT_AUTH)

NOT_FOUND = {404: Problem}
PDF_RETRY_AFTER_SECONDS = 30


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


def _owned(request: HttpRequest, token: str, *, documents: bool = True) -> AssessmentRow:
    rows = AssessmentRow.objects.for_token(token).owned_by(consultant_of(request).pk)
    return get_object_or_404(rows if documents else rows.without_documents())


def _summary(request: HttpRequest, row: AssessmentRow) -> dict[str, Any]:
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


def _recommendation(row: AssessmentRow) -> str | None:
    """The stored result's recommendation: annotated on a list's rows, else read from it."""
    if "recommendation" in row.__dict__:  # for_dashboard() reads it in the database
        annotated: str | None = row.__dict__["recommendation"]
        return annotated
    return None if row.result is None else row.result.get("recommendation")


def _detail(request: HttpRequest, row: AssessmentRow) -> dict[str, Any]:
    result = advice_json(stored_snapshot(row.result)) if row.result is not None else None
    return {
        **_summary(request, row),
        "ruleset": {"name": row.ruleset.name, "version": row.ruleset.version},
        "answers": row.answers,
        "result": result,
    }


def _result_etag(row: AssessmentRow) -> str:
    return strong_etag("result", row.token, row.result_version)


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
    items = [_summary(request, row) for row in rows[start : start + query.page_size]]
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
    return json_response(_detail(request, row), status=201)


@router.get(
    "/assessments/{token}",
    url_name="assessment",
    response={200: Assessment, **NOT_FOUND},
    summary="Read one assessment",
)
def assessment_read(request: HttpRequest, token: str) -> HttpResponse:
    """Answers, status and the stored result (null until it is scored)."""
    return json_response(_detail(request, _owned(request, token)))


@router.get(
    "/assessments/{token}/result",
    url_name="assessment_result",
    summary="Read its stored result (ETag)",
    response={200: Result, 304: None, **NOT_FOUND},
)
def assessment_result(request: HttpRequest, token: str) -> HttpResponse:
    """The stored result, with an ETag: ``If-None-Match`` answers 304 while it is unchanged."""
    row = _owned(request, token, documents=False)
    if not row.has_stored_result:
        raise HttpError(404, "This assessment has no result yet: complete its answers.")
    etag = _result_etag(row)
    unchanged = not_modified(request, etag)
    if unchanged is not None:
        return unchanged
    return with_etag(json_response(advice_json(stored_snapshot(row.stored_result()))), etag)


@router.put(
    "/assessments/{token}/answers",
    url_name="assessment_answers",
    summary="Replace its answers (unlocked only)",
    response={200: Assessment, 409: Problem, 422: Problem, **NOT_FOUND},
)
def assessment_answers(request: HttpRequest, token: str, body: AnswersUpdate) -> HttpResponse:
    """Replace the answers of an unlocked assessment; scored when every required one is given."""
    row = assessment_set_answers(assessment=_owned(request, token), answers=body.answers)
    return json_response(_detail(request, row))


@router.post(
    "/assessments/{token}/usage",
    url_name="assessment_usage",
    summary="Attach a usage export",
    response={200: Assessment, 409: Problem, 413: Problem, 422: Problem, **NOT_FOUND},
)
def assessment_usage(
    request: HttpRequest,
    token: str,
    export: File[UploadedFile],
    format: Form[str] = "auto",
    accept: Form[bool] = True,
) -> HttpResponse:
    """Attach a usage export: its figures are derived (and, unless ``accept`` is false,
    put into the answers, marked as measured). The file itself is not kept."""
    enforce(request, group=USAGE_POST, rate=usage_post_rate)
    row = _owned(request, token)
    check_write(row, Write.ANSWERS if accept else Write.USAGE_IMPORT)  # before reading the file
    workload, _derived = read_export(request, export, format=format)
    with transaction.atomic():
        row = assessment_derive_usage(assessment=row, workload=workload, filename=export.name or "")
        if accept:
            row = assessment_accept_usage(assessment=row)
    row.refresh_from_db()
    return json_response(_detail(request, row))


@router.post(
    "/assessments/{token}/scenarios",
    url_name="assessment_scenarios",
    summary="Add a scenario variant",
    response={201: Scenario, 409: Problem, 422: Problem, **NOT_FOUND},
)
def assessment_scenario(request: HttpRequest, token: str, body: ScenarioCreate) -> HttpResponse:
    """A named variant of a delivered result: a few answers changed, scored beside it."""
    row = _owned(request, token)
    try:
        variant = variant_add(assessment=row, name=body.name, overrides=body.changes)
    except TooManyVariants:
        return problem(
            status=409,
            type_uri=WRITE_REFUSED,
            detail="This assessment has as many scenarios as it can hold: remove one first.",
        )
    body_out = {
        "id": variant.pk,
        "name": variant.name,
        "overrides": variant.overrides,
        "outcome": variant.outcome,
        "problem": variant.problem,
    }
    return json_response(body_out, status=201)


@router.get(
    "/assessments/{token}/report.pdf",
    url_name="assessment_report",
    summary="Download the PDF report (ETag)",
    response={200: bytes, 304: None, 503: Problem, **NOT_FOUND},
)
def assessment_report(request: HttpRequest, token: str) -> HttpResponse:
    """The PDF report the client downloads, with an ETag (304 while it is unchanged)."""
    row = _owned(request, token, documents=False)
    if not row.is_completed or not row.has_stored_result:
        raise HttpError(404, "This assessment has no result yet, so no report.")
    report = prepare_assessment_report(assessment=row)
    unchanged = not_modified(request, report.etag)
    if unchanged is not None:
        return unchanged
    pdf = stored_report_pdf(report=report)
    if pdf is None:
        limit_pdf_render(request)  # only renders count, as on the web
        try:
            pdf = assessment_report_pdf(report=report)
        except PdfRenderError:
            return problem(
                status=503,
                detail="The report could not be rendered just now: try again shortly.",
                headers={"Retry-After": str(PDF_RETRY_AFTER_SECONDS)},
            )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return with_etag(response, report.etag)


@router.post(
    "/assessments/{token}/rescore",
    url_name="assessment_rescore",
    summary="Re-score with today's ruleset and prices",
    response={200: Rescored, 409: Problem, 422: Problem, **NOT_FOUND},
)
def assessment_rescore_endpoint(request: HttpRequest, token: str) -> HttpResponse:
    """Score again with today's ruleset and prices; the old result stays in the history."""
    row = _owned(request, token)
    check_write(row, Write.RESCORE)
    try:
        preview = assessment_rescore_preview(assessment=row)
    except RescoreNotPossible as error:
        return problem(
            status=422,
            type_uri=INVALID_ANSWERS,
            detail=error.message,
            errors=[_answer_error(text) for text in error.field_errors],
        )
    row = assessment_rescore(
        assessment=row, fingerprint=preview.fingerprint, user=consultant_of(request)
    )
    rescored = {
        "recommendation_changed": preview.diff.recommendation_changed,
        "ruleset_changed": preview.diff.ruleset_changed,
        "assessment": _detail(request, row),
    }
    return json_response(rescored)


def _answer_error(text: str) -> dict[str, str]:
    field, _, message = text.partition(": ")
    return {"field": field, "message": message}
