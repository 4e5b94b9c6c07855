"""A consultant's delivered result and its PDF report, each with a strong ETag."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import HttpError

from advisor.api.auth import CONSULTANT_AUTH
from advisor.api.owned import owned_row, result_etag
from advisor.api.problems import problem
from advisor.api.responses import json_response, not_modified, with_etag
from advisor.api.schemas import Problem, Result
from advisor.core.rate_limits import limit_pdf_render
from advisor.reports.pdf import PdfRenderError
from advisor.reports.services import (
    assessment_report_pdf,
    prepare_assessment_report,
    stored_report_pdf,
)
from advisor.scoring.evaluate import advice_json
from advisor.snapshot import ResultSnapshot

router = Router(tags=["assessments"], auth=CONSULTANT_AUTH)

NOT_FOUND = {404: Problem}
PDF_RETRY_AFTER_SECONDS = 30


@router.get(
    "/assessments/{token}/result",
    url_name="assessment_result",
    summary="Read its stored result (ETag)",
    response={200: Result, 304: None, **NOT_FOUND},
)
def assessment_result(request: HttpRequest, token: str) -> HttpResponse:
    """The stored result, with an ETag: ``If-None-Match`` answers 304 while it is unchanged."""
    row = owned_row(request, token, documents=False)
    if not row.has_stored_result:
        raise HttpError(404, "This assessment has no result yet: complete its answers.")
    etag = result_etag(row)
    unchanged = not_modified(request, etag)
    if unchanged is not None:
        return unchanged
    return with_etag(
        json_response(advice_json(ResultSnapshot.from_dict(row.stored_result()))), etag
    )


@router.get(
    "/assessments/{token}/report.pdf",
    url_name="assessment_report",
    summary="Download the PDF report (ETag)",
    response={200: bytes, 304: None, 503: Problem, **NOT_FOUND},
)
def assessment_report(request: HttpRequest, token: str) -> HttpResponse:
    """The PDF report the client downloads, with an ETag (304 while it is unchanged)."""
    row = owned_row(request, token, documents=False)
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
