"""Workers that never strand a render (advisor/core/task_workers.py; finding 5 of issue 30).

A task left RUNNING by a dead worker is failed and re-queued once; workers
claim the newest task first; "being prepared" is bounded however the task
got stuck. The real processes, killed -9: tests/faults/test_worker_killed.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from advisor.assessments.models import Assessment
from advisor.assessments.steps import build_steps
from advisor.core import task_workers
from advisor.core.task_workers import NewestFirstWorker, sweep_stranded_tasks
from advisor.reports import services
from advisor.reports.models import CachedReport
from advisor.reports.tasks import render_assessment_report
from advisor.rules.models import Ruleset
from advisor.rules.services import question_specs
from tests.conftest import HIGH_VOLUME_ANSWERS
from tests.reports.test_tasks import DATABASE_BACKEND, busy_render, complete, download


@pytest.fixture
def database_tasks(settings) -> None:
    settings.TASKS = DATABASE_BACKEND
    settings.REPORT_PRERENDER = True


@pytest.fixture
def answered(brief_ruleset: Ruleset) -> Assessment:
    """Every step saved, not completed yet (as in test_tasks.py)."""
    return Assessment.objects.create(
        ruleset=brief_ruleset,
        answers=dict(HIGH_VOLUME_ANSWERS),
        saved_steps=[step.slug for step in build_steps(question_specs(brief_ruleset))],
        client_name="Acme Health",
    )


def enqueue(assessment_id: int) -> DBTaskResult:
    result = render_assessment_report.enqueue(assessment_id)
    return DBTaskResult.objects.get(pk=result.id)


def strand(task: DBTaskResult, *, seconds_ago: float, worker: str = "host-4242-0") -> None:
    task.status = TaskResultStatus.RUNNING
    task.started_at = timezone.now() - timedelta(seconds=seconds_ago)
    task.worker_ids = [*task.worker_ids, worker]
    task.save()


def worker(monkeypatch: pytest.MonkeyPatch, **options: Any) -> NewestFirstWorker:
    # The loop closes connections in a transaction (a worker is never in
    # one); this test's is: keep it, as test_tasks.run_worker_once does.
    monkeypatch.setattr(task_workers, "close_old_connections", lambda: None)
    defaults: dict[str, Any] = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
        "sweep_interval_seconds": 60,
    }
    return NewestFirstWorker(**{**defaults, **options})


def test_a_task_running_past_the_limit_is_failed_and_requeued_once(
    make_completed: Callable[..., Assessment], database_tasks: None, settings
) -> None:
    settings.TASK_STRANDED_AFTER_SECONDS = 30
    stranded = enqueue(make_completed().pk)
    strand(stranded, seconds_ago=31)
    alive = enqueue(make_completed().pk)
    strand(alive, seconds_ago=5, worker="host-1-0")

    sweep = sweep_stranded_tasks(swept_by="worker test")

    assert (sweep.failed, sweep.requeued) == (1, 1)
    stranded.refresh_from_db()
    assert stranded.status == TaskResultStatus.FAILED
    assert stranded.exception_class_path == "advisor.core.task_workers.WorkerLost"
    assert "worker host-4242-0 started this task" in stranded.traceback
    assert "marked failed by worker test" in stranded.traceback
    assert stranded.finished_at is not None
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs == stranded.args_kwargs
    assert retry.task_path == stranded.task_path
    assert retry.worker_ids == ["host-4242-0"]
    alive.refresh_from_db()
    assert alive.status == TaskResultStatus.RUNNING, "a live worker's task is left alone"
    # A second sweep finds nothing more to do.
    assert sweep_stranded_tasks() == task_workers.Sweep(failed=0, requeued=0)


def test_a_retry_that_strands_too_stays_failed(
    make_completed: Callable[..., Assessment], database_tasks: None, settings
) -> None:
    settings.TASK_STRANDED_AFTER_SECONDS = 30
    task = enqueue(make_completed().pk)
    strand(task, seconds_ago=31, worker="host-1-0")
    sweep_stranded_tasks()
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    strand(retry, seconds_ago=31, worker="host-2-0")

    sweep = sweep_stranded_tasks()

    assert (sweep.failed, sweep.requeued) == (1, 0)
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.FAILED).exists()


def test_the_worker_sweeps_when_it_starts_and_runs_the_retry(
    make_completed: Callable[..., Assessment],
    database_tasks: None,
    settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.TASK_STRANDED_AFTER_SECONDS = 30
    assessment = make_completed()
    strand(enqueue(assessment.pk), seconds_ago=60)

    worker(monkeypatch).run()

    outcomes = sorted(DBTaskResult.objects.values_list("status", "return_value"), key=str)
    assert outcomes == [(TaskResultStatus.FAILED, None), (TaskResultStatus.SUCCESSFUL, "rendered")]
    assert CachedReport.objects.filter(assessment=assessment).exists()


def test_workers_claim_the_newest_task_first(
    make_completed: Callable[..., Assessment],
    database_tasks: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assessments = [make_completed() for _ in range(3)]
    tasks = [enqueue(assessment.pk) for assessment in assessments]
    for age, task in zip((30, 20, 10), tasks, strict=True):
        DBTaskResult.objects.filter(pk=task.pk).update(
            enqueued_at=timezone.now() - timedelta(seconds=age)
        )

    worker(monkeypatch, max_tasks=1, batch=False).run()

    done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert done.pk == tasks[-1].pk, "the newest completion's render ran first"
    assert list(CachedReport.objects.values_list("assessment_id", flat=True)) == [
        assessments[-1].pk
    ]


def test_being_prepared_is_bounded_when_the_renderer_is_busy(
    client,
    answered: Assessment,
    database_tasks: None,
    settings,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    monkeypatch.setattr(services, "_render", busy_render)
    wait = settings.REPORT_PRERENDER_WAIT_SECONDS
    deadline = settings.REPORT_PRERENDER_DEADLINE_SECONDS

    # Queued past the wait, within wait + deadline: still on its way.
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=wait + 1))
    assert download(client, answered)["X-Report-Cache"] == "preparing"
    # Queued past wait + deadline (no worker free): no longer "being prepared".
    late = timezone.now() - timedelta(seconds=wait + deadline + 1)
    DBTaskResult.objects.update(enqueued_at=late)
    queued_too_long = download(client, answered)
    # Running past a deadline's worth of CPU but within the clock bound (a
    # busy machine): still on its way.
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=deadline + 6),
    )
    assert download(client, answered)["X-Report-Cache"] == "preparing"
    # Running past the longest a render may take on the clock (its worker
    # died): not waited for either.
    DBTaskResult.objects.update(
        started_at=timezone.now() - timedelta(seconds=settings.REPORT_PRERENDER_WALL_SECONDS + 6),
    )
    running_too_long = download(client, answered)

    for response in (queued_too_long, running_too_long):
        assert response.status_code == 503
        assert response["Retry-After"] == "10"
        assert b"Other reports are being produced right now" in response.content
    # The renderer free again: the download renders on demand.
    monkeypatch.undo()
    on_demand = download(client, answered)
    assert (on_demand.status_code, on_demand["X-Report-Cache"]) == (200, "miss")


def test_task_workers_refuses_a_backend_without_a_queue(settings) -> None:
    settings.TASKS_BACKEND = "immediate"
    with pytest.raises(CommandError, match="TASKS_BACKEND is 'immediate'"):
        call_command("task_workers")


def test_a_download_waits_longer_while_workers_are_busy(
    client,
    answered: Assessment,
    database_tasks: None,
    settings,
    make_completed: Callable[..., Assessment],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    wait = settings.REPORT_PRERENDER_WAIT_SECONDS
    deadline = settings.REPORT_PRERENDER_DEADLINE_SECONDS
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=wait + 1))
    # A worker claimed another render a moment ago: workers run, and are busy.
    other = enqueue(make_completed().pk)
    strand(other, seconds_ago=1)

    waiting = download(client, answered)
    assert (waiting.status_code, waiting["X-Report-Cache"]) == (202, "preparing")
    # Not forever: past the wait plus a render's deadline, rendered here.
    late = timezone.now() - timedelta(seconds=wait + deadline + 1)
    DBTaskResult.objects.exclude(pk=other.pk).update(enqueued_at=late)
    rendered = download(client, answered)
    assert (rendered.status_code, rendered["X-Report-Cache"]) == (200, "miss")
