"""Changes to a consultant's assessment beyond its answers: a usage export, a
scenario variant, a re-score. Each goes through the same service (and write
guard) as the consultant's pages."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile

from advisor.api.auth import CONSULTANT_AUTH, consultant_of
from advisor.api.owned import detail, owned_row
from advisor.api.problems import INVALID_ANSWERS, WRITE_REFUSED, problem
from advisor.api.responses import json_response
from advisor.api.schemas import Assessment, Problem, Rescored, Scenario, ScenarioCreate
from advisor.api.usage import read_export
from advisor.assessments.scenarios import TooManyVariants, variant_add
from advisor.assessments.services import (
    RescoreNotPossible,
    assessment_rescore,
    assessment_rescore_preview,
)
from advisor.assessments.usage import assessment_accept_usage, assessment_derive_usage
from advisor.assessments.write_guard import Write, check_write
from advisor.core.rate_limits import USAGE_POST, enforce, usage_post_rate

router = Router(tags=["assessments"], auth=CONSULTANT_AUTH)

NOT_FOUND = {404: Problem}


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
    row = owned_row(request, token)
    check_write(row, Write.ANSWERS if accept else Write.USAGE_IMPORT)  # before reading the file
    workload, _derived = read_export(request, export, format=format)
    with transaction.atomic():
        row = assessment_derive_usage(assessment=row, workload=workload, filename=export.name or "")
        if accept:
            row = assessment_accept_usage(assessment=row)
    row.refresh_from_db()
    return json_response(detail(request, row))


@router.post(
    "/assessments/{token}/scenarios",
    url_name="assessment_scenarios",
    summary="Add a scenario variant",
    response={201: Scenario, 409: Problem, 422: Problem, **NOT_FOUND},
)
def assessment_scenario(request: HttpRequest, token: str, body: ScenarioCreate) -> HttpResponse:
    """A named variant of a delivered result: a few answers changed, scored beside it."""
    row = owned_row(request, token)
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


@router.post(
    "/assessments/{token}/rescore",
    url_name="assessment_rescore",
    summary="Re-score with today's ruleset and prices",
    response={200: Rescored, 409: Problem, 422: Problem, **NOT_FOUND},
)
def assessment_rescore_endpoint(request: HttpRequest, token: str) -> HttpResponse:
    """Score again with today's ruleset and prices; the old result stays in the history."""
    row = owned_row(request, token)
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
        "assessment": detail(request, row),
    }
    return json_response(rescored)


def _answer_error(text: str) -> dict[str, str]:
    field, _, message = text.partition(": ")
    return {"field": field, "message": message}
