"""Background work for reports: the PDF rendered after completion, off the request path.

Completing an assessment enqueues :func:`render_assessment_report` once the
transaction commits; a ``db_worker`` process (deploy/README.md) renders the
PDF and stores it under the key the download asks for, so the buyer's first
download is a stored file. A download that arrives while the task is still
queued or running waits for it (:func:`report_render_pending`: the view
answers "being prepared" and the browser asks again) rather than rendering
the same report a second time in a web worker. Nothing depends on the task
having run: without a worker (a task queued longer than
``REPORT_PRERENDER_WAIT_SECONDS``), or after a failed render, the download
renders on demand as before.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task

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


def report_render_pending(*, assessment_id: int) -> bool:
    """Is this assessment's background render queued or running, and still expected to finish?

    Only the database backend can be asked (other backends: False, render on
    demand). A task queued for longer than ``REPORT_PRERENDER_WAIT_SECONDS``
    is taken as no worker free to run it, unless workers are seen busy (a
    render claimed within the last ``REPORT_PRERENDER_WAIT_SECONDS``): then
    it is waited for up to the wait plus a render's deadline, since a render
    here would take the CPU those workers need (measured: with a fixed 15 s,
    web workers rendered 77 % of the PDFs and the niced task workers got a
    seventh of a core). A running one is expected until its render deadline
    has passed (a worker killed mid-task leaves it RUNNING until a sweep
    fails it: advisor/core/task_workers.py).
    """
    if _render_expected(
        assessment_id=assessment_id, queued_for=settings.REPORT_PRERENDER_WAIT_SECONDS
    ):
        return True
    return _workers_busy() and report_render_queued(assessment_id=assessment_id)


# A queued render a buyer is waiting for goes ahead of those nobody has asked
# for yet (the worker takes the highest priority first, then the oldest):
# under a backlog, first-in-first-out made a waiting download sit behind every
# earlier completion until it gave up and rendered on demand.
WAITED_FOR_PRIORITY = 50


def hurry_report_render(*, assessment_id: int) -> int:
    """Move this assessment's queued render to the front of the queue; how many were moved.

    Called when a download finds the render still queued. Running, finished
    and other assessments' tasks are left as they are.
    """
    from django_tasks_db.models import DBTaskResult

    if not _tasks_in_database():
        return 0
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=render_assessment_report.module_path,
        args_kwargs__args=[assessment_id],
        priority__lt=WAITED_FOR_PRIORITY,
    ).update(priority=WAITED_FOR_PRIORITY)


def report_render_queued(*, assessment_id: int) -> bool:
    """Is a background render of this assessment still expected, a while longer than pending?

    Asked only when the on-demand render found the renderer busy: the
    queued task will store the report, so the download can say "being
    prepared" and ask again instead of failing. Bounded all the same: a
    task queued for longer than the wait plus a render's deadline, or
    running past the longest a render may take on the clock, is not coming
    (no worker, or a dead one), and the download goes back to rendering on
    demand (or the busy page).
    """
    return _render_expected(
        assessment_id=assessment_id,
        queued_for=settings.REPORT_PRERENDER_WAIT_SECONDS
        + settings.REPORT_PRERENDER_DEADLINE_SECONDS,
    )


def _workers_busy() -> bool:
    """Has a worker claimed a render lately (so workers run, and a queued task will be reached)?"""
    from django_tasks_db.models import DBTaskResult

    if not _tasks_in_database():
        return False
    recently = timezone.now() - timedelta(seconds=settings.REPORT_PRERENDER_WAIT_SECONDS)
    return DBTaskResult.objects.filter(
        task_path=render_assessment_report.module_path, started_at__gte=recently
    ).exists()


def _render_expected(*, assessment_id: int, queued_for: float) -> bool:
    from django_tasks_db.models import DBTaskResult

    if not _tasks_in_database():
        return False
    now = timezone.now()
    queued_since = now - timedelta(seconds=queued_for)
    running_since = now - timedelta(seconds=settings.REPORT_PRERENDER_WALL_SECONDS + 5)
    return (
        DBTaskResult.objects.filter(
            Q(status=TaskResultStatus.READY, enqueued_at__gte=queued_since)
            | Q(status=TaskResultStatus.RUNNING, started_at__gte=running_since),
            task_path=render_assessment_report.module_path,
            args_kwargs__args=[assessment_id],
        )
        .only("id")
        .exists()
    )


def _tasks_in_database() -> bool:
    """Are reports pre-rendered through the database backend (the only one that can be asked)?"""
    from django_tasks_db.backend import DatabaseBackend

    return settings.REPORT_PRERENDER and isinstance(
        render_assessment_report.get_backend(), DatabaseBackend
    )


def _failure_key(cache_key: str) -> str:
    return f"report-prerender-failed:{cache_key}"
