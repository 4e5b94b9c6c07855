"""The PDF report of an assessment, served from the cache with a strong ETag."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from advisor.assessments.selectors import assessment_for_visitor
from advisor.core.rate_limits import limit_pdf_render
from advisor.reports.pdf import PdfRenderBusy, PdfRenderError
from advisor.reports.services import (
    RenderFailedRecently,
    assessment_report_pdf,
    assessment_summary_pdf,
    prepare_assessment_report,
    stored_report_pdf,
)
from advisor.reports.tasks import (
    hurry_report_render,
    report_render_pending,
    report_render_queued,
)

if TYPE_CHECKING:
    from advisor.assessments.models import Assessment

logger = logging.getLogger(__name__)

RENDER_RETRY_AFTER_SECONDS = 30
# The renderer was busy with other reports: worth trying again soon.
BUSY_RETRY_AFTER_SECONDS = 10
# The background worker is rendering this report (about a second or two).
PREPARING_RETRY_AFTER_SECONDS = 2


@require_safe
def report_pdf(request: HttpRequest, token: str) -> HttpResponse:
    # Without its documents: serving the stored PDF (or a 304) never reads them.
    assessment = assessment_for_visitor(token=token, user=request.user, documents=False)
    if not assessment.is_completed or not assessment.has_stored_result:
        # No result, no report: a page that says so and links back, not a bare 404.
        return render(request, "reports/not_ready.html", {"assessment": assessment}, status=404)
    report = prepare_assessment_report(assessment=assessment)
    if report.etag in parse_etags(request.headers.get("If-None-Match", "")):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = report.etag
        return not_modified
    pdf = stored_report_pdf(report=report)
    cached = pdf is not None
    if not cached and report_render_pending(assessment_id=assessment.pk):
        # The worker is on it: rendering it here too would hold this request
        # thread for seconds and take the CPU the other requests need.
        hurry_report_render(assessment_id=assessment.pk)
        return _being_prepared(request, assessment)
    if not cached:
        # Only renders count: a cached PDF costs a database read, a render
        # a second of CPU in a separate process. Not stored yet (no worker
        # ran the background render, or it failed): rendered here instead.
        limit_pdf_render(request)
    try:
        if pdf is None:
            pdf = assessment_report_pdf(report=report)
    except PdfRenderBusy:
        if report_render_queued(assessment_id=assessment.pk):
            # Busy here, but its background render is still queued: the
            # report is on its way, so this is "being prepared", not a failure.
            hurry_report_render(assessment_id=assessment.pk)
            return _being_prepared(request, assessment)
        logger.warning("PDF report of assessment %s: renderer busy", assessment.pk)
        return _render_failed(request, retry_after_seconds=BUSY_RETRY_AFTER_SECONDS, busy=True)
    except RenderFailedRecently as error:
        return _render_failed(request, retry_after_seconds=error.retry_after_seconds)
    except PdfRenderError:
        logger.exception("PDF report of assessment %s failed", assessment.pk)
        return _render_failed(request, retry_after_seconds=RENDER_RETRY_AFTER_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["ETag"] = report.etag
    # Whether the stored (pre-rendered) file was served: for operators and load tests.
    response["X-Report-Cache"] = "hit" if cached else "miss"
    # The report is confidential: browsers may keep it but must revalidate
    # (cheap: a 304 needs no render); shared caches must not keep it.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
def summary_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The one-page summary PDF: rendered on request (it is one page), with a strong ETag."""
    assessment = assessment_for_visitor(token=token, user=request.user, documents=False)
    if not assessment.is_completed or not assessment.has_stored_result:
        return render(request, "reports/not_ready.html", {"assessment": assessment}, status=404)
    report = prepare_assessment_report(assessment=assessment, summary_only=True)
    if report.etag in parse_etags(request.headers.get("If-None-Match", "")):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = report.etag
        return not_modified
    limit_pdf_render(request)
    try:
        pdf = assessment_summary_pdf(report=report)
    except PdfRenderBusy:
        return _render_failed(request, retry_after_seconds=BUSY_RETRY_AFTER_SECONDS, busy=True)
    except PdfRenderError:
        logger.exception("Summary PDF of assessment %s failed", assessment.pk)
        return _render_failed(request, retry_after_seconds=RENDER_RETRY_AFTER_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["ETag"] = report.etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _being_prepared(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    """202: the report is being rendered in the background; the page asks again by itself."""
    response = render(
        request,
        "reports/preparing.html",
        {"assessment": assessment, "retry_after_seconds": PREPARING_RETRY_AFTER_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(PREPARING_RETRY_AFTER_SECONDS)
    response["X-Report-Cache"] = "preparing"
    response["Cache-Control"] = "no-store"
    return response


def _render_failed(
    request: HttpRequest,
    *,
    retry_after_seconds: int,
    busy: bool = False,
) -> HttpResponse:
    template = "reports/render_busy.html" if busy else "reports/render_failed.html"
    failed = render(request, template, status=503)
    failed["Retry-After"] = str(retry_after_seconds)
    return failed
