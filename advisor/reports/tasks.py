"""Background work for reports: the PDF rendered after completion, off the request path.

Completing an assessment enqueues :func:`render_assessment_report` once the
transaction commits; a ``db_worker`` process (deploy/README.md) renders the
PDF and stores it under the key the download asks for, so the buyer's first
download is a stored file. Nothing depends on the task having run: without a
worker, or after a failed render, the download renders on demand as before.
"""

from __future__ import annotations

import logging
import time
from functools import partial

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django_tasks import task

from advisor.assessments.models import Assessment
from advisor.reports.pdf import PdfRenderError
from advisor.reports.services import (
    RENDER_FAILURE_MEMORY_SECONDS,
    prepare_assessment_report,
    render_report_to_cache,
    report_is_cached,
)

logger = logging.getLogger(__name__)


def prerender_report_after_commit(*, assessment_id: int) -> None:
    """Enqueue the report's render when the current transaction commits (if REPORT_PRERENDER)."""
    if not settings.REPORT_PRERENDER:
        return
    # robust: a queue that cannot be reached is logged, never turns a
    # completed assessment into an error page (the download still renders).
    transaction.on_commit(partial(_enqueue, assessment_id), robust=True)


def _enqueue(assessment_id: int) -> None:
    result = render_assessment_report.enqueue(assessment_id)
    logger.info("Report render of assessment %s enqueued as task %s", assessment_id, result.id)


@task()
def render_assessment_report(assessment_id: int) -> str:
    """Render and store the assessment's current report; what happened, in one word.

    The key is computed when the task runs, not when it was enqueued: a
    change since then (answers, notes, branding) is what the download will
    ask for. A render past ``REPORT_PRERENDER_DEADLINE_SECONDS`` raises, so
    the task is marked failed with the error; the failure is remembered
    for this key, so the same inputs are not retried in the background for
    a few minutes, and the download is left to render on demand.
    """
    assessment = (
        Assessment.objects.select_related("ruleset", "owner").filter(pk=assessment_id).first()
    )
    if assessment is None or not assessment.is_completed or assessment.result is None:
        return "no-report"
    report = prepare_assessment_report(assessment=assessment)
    if report_is_cached(report=report):
        return "cached"
    failure_key = _failure_key(report.cache_key)
    if django_cache.get(failure_key) is not None:
        return "failed-recently"
    started = time.perf_counter()
    try:
        render_report_to_cache(
            report=report, timeout_seconds=settings.REPORT_PRERENDER_DEADLINE_SECONDS
        )
    except PdfRenderError as error:
        django_cache.set(failure_key, time.time(), RENDER_FAILURE_MEMORY_SECONDS)
        logger.warning(
            "Background render of assessment %s failed (%s); the download will render on demand",
            assessment_id,
            error,
        )
        raise
    logger.info(
        "Report of assessment %s rendered in the background in %.2f s",
        assessment_id,
        time.perf_counter() - started,
    )
    return "rendered"


def _failure_key(cache_key: str) -> str:
    return f"report-prerender-failed:{cache_key}"
