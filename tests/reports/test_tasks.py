"""The PDF rendered in the background after completion (django-tasks, advisor/reports/tasks.py).

The download never depends on the task: with a worker it is a stored file,
without one (or after a failed render) it renders on demand.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker as db_worker_command
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from advisor.assessments.models import Assessment
from advisor.assessments.services import assessment_rescore, assessment_rescore_preview
from advisor.assessments.steps import build_steps
from advisor.reports import services
from advisor.reports.models import CachedReport
from advisor.reports.pdf import PdfRenderBusy
from advisor.reports.tasks import render_assessment_report
from advisor.rules.models import Ruleset
from advisor.rules.services import question_specs
from tests.conftest import HIGH_VOLUME_ANSWERS

REPO_ROOT = Path(__file__).resolve().parents[2]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE_BACKEND = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture
def answered(brief_ruleset: Ruleset) -> Assessment:
    """Every step saved, not completed yet: the buyer is on the review step."""
    return Assessment.objects.create(
        ruleset=brief_ruleset,
        answers=dict(HIGH_VOLUME_ANSWERS),
        saved_steps=[step.slug for step in build_steps(question_specs(brief_ruleset))],
        client_name="Acme Health",
    )


@pytest.fixture
def database_tasks(settings) -> None:
    settings.TASKS = DATABASE_BACKEND
    settings.REPORT_PRERENDER = True


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every PDF render in this process (on demand or in a task run here)."""
    counted: list[int] = []
    real_render = services._render

    def counting_render(*args: Any, **kwargs: Any) -> bytes:
        counted.append(1)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(services, "_render", counting_render)
    return counted


def complete(client, assessment: Assessment) -> None:
    response = client.post(reverse("assessments:review", args=[assessment.token]))
    assert response.status_code == 303, response.content[:300]


def download(client, assessment: Assessment):
    return client.get(reverse("reports:report_pdf", args=[assessment.token]))


def run_worker_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The db_worker's own loop, in this process: every ready task, then return."""
    # The loop closes connections that are in a transaction (a worker should
    # never be): this test's is, so keep it open, as Django's test client does.
    monkeypatch.setattr(db_worker_command, "close_old_connections", lambda: None)
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_completion_enqueues_the_render_and_the_worker_stores_it(
    client,
    answered: Assessment,
    database_tasks: None,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    task = DBTaskResult.objects.get()
    assert task.task_path == "advisor.reports.tasks.render_assessment_report"
    assert task.status == TaskResultStatus.READY
    assert not CachedReport.objects.exists(), "completion itself renders nothing"

    run_worker_once(monkeypatch)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == "rendered"
    answered.refresh_from_db()
    report = services.prepare_assessment_report(assessment=answered)
    stored = CachedReport.objects.get(assessment=answered)
    assert stored.cache_key == report.cache_key, "stored under the key the download asks for"
    rendered_by_worker = len(renders)

    response = download(client, answered)

    assert response.status_code == 200
    assert response["X-Report-Cache"] == "hit"
    assert response.content == bytes(stored.pdf)
    assert response.content.startswith(b"%PDF")
    assert len(renders) == rendered_by_worker == 1, "the download rendered nothing"


def test_a_download_while_the_render_is_queued_waits_for_it(
    client,
    answered: Assessment,
    database_tasks: None,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)

    response = download(client, answered)

    # Not rendered a second time in the web process: "being prepared", ask again.
    assert response.status_code == 202
    assert response["Retry-After"] == "2"
    assert response["X-Report-Cache"] == "preparing"
    assert b'http-equiv="refresh"' in response.content
    assert renders == []
    run_worker_once(monkeypatch)
    response = download(client, answered)
    assert response.status_code == 200
    assert response["X-Report-Cache"] == "hit"
    assert len(renders) == 1


def test_a_waiting_download_moves_its_render_ahead_of_earlier_ones(
    client,
    answered: Assessment,
    brief_ruleset: Ruleset,
    database_tasks: None,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    earlier = Assessment.objects.create(
        ruleset=brief_ruleset,
        answers=dict(HIGH_VOLUME_ANSWERS),
        saved_steps=list(answered.saved_steps),
        client_name="Earlier client",
    )
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, earlier)
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    earlier_task = DBTaskResult.objects.get(args_kwargs__args=[earlier.pk])
    waited_task = DBTaskResult.objects.get(args_kwargs__args=[answered.pk])
    assert earlier_task.priority == waited_task.priority, "queued alike, first come first served"

    response = download(client, answered)

    assert response.status_code == 202
    waited_task.refresh_from_db()
    assert waited_task.priority > earlier_task.priority
    # The worker's next task is the one a buyer waits for, not the older one.
    monkeypatch.setattr(db_worker_command, "close_old_connections", lambda: None)
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
    waited_task.refresh_from_db()
    earlier_task.refresh_from_db()
    assert waited_task.status == TaskResultStatus.SUCCESSFUL
    assert earlier_task.status == TaskResultStatus.READY
    assert download(client, answered)["X-Report-Cache"] == "hit"


def test_a_download_while_the_render_runs_waits_for_it(
    client,
    answered: Assessment,
    database_tasks: None,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now())

    response = download(client, answered)

    assert response.status_code == 202
    assert response["X-Report-Cache"] == "preparing"
    assert b"Your report is being prepared" in response.content
    assert renders == []


def test_without_a_worker_the_download_renders_on_demand(
    client,
    answered: Assessment,
    database_tasks: None,
    settings,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY, "nobody ran it"
    # Queued for longer than the wait: no worker is running.
    waited = timedelta(seconds=settings.REPORT_PRERENDER_WAIT_SECONDS + 1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - waited)

    response = download(client, answered)

    assert response.status_code == 200
    assert response["X-Report-Cache"] == "miss"
    assert response.content.startswith(b"%PDF")
    assert len(renders) == 1
    # The worker that comes later finds the report stored and renders nothing.
    run_worker_once(monkeypatch)
    task = DBTaskResult.objects.get()
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, "cached")
    assert len(renders) == 1


def busy_render(*args: Any, **kwargs: Any) -> bytes:
    """The web worker's renderer, busy with another report."""
    raise PdfRenderBusy("rendering another report")


def test_a_busy_renderer_with_the_render_still_queued_says_being_prepared(
    client,
    answered: Assessment,
    database_tasks: None,
    settings,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    # The worker is far behind (queued past the wait), and this web worker's
    # renderer is busy with another report.
    waited = timedelta(seconds=settings.REPORT_PRERENDER_WAIT_SECONDS + 1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - waited)

    monkeypatch.setattr(services, "_render", busy_render)
    response = download(client, answered)

    assert response.status_code == 202
    assert response["X-Report-Cache"] == "preparing"
    assert b"Your report is being prepared" in response.content
    # When the worker gets to it, the same URL serves the stored file.
    monkeypatch.undo()
    run_worker_once(monkeypatch)
    ready = download(client, answered)
    assert (ready.status_code, ready["X-Report-Cache"]) == (200, "hit")


def test_a_busy_renderer_with_nothing_queued_is_a_busy_page(
    client,
    answered: Assessment,
    database_tasks: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED)

    monkeypatch.setattr(services, "_render", busy_render)
    response = download(client, answered)

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert b"Other reports are being produced right now" in response.content


def test_a_render_left_running_by_a_dead_worker_is_not_waited_for(
    client,
    answered: Assessment,
    database_tasks: None,
    settings,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    started = timezone.now() - timedelta(seconds=settings.REPORT_PRERENDER_WALL_SECONDS + 10)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=started)

    response = download(client, answered)

    assert response.status_code == 200
    assert response["X-Report-Cache"] == "miss"
    assert len(renders) == 1


def test_a_background_render_past_its_deadline_fails_the_task_cleanly(
    client,
    answered: Assessment,
    database_tasks: None,
    settings,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.REPORT_PRERENDER_DEADLINE_SECONDS = 0.001
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)

    run_worker_once(monkeypatch)  # returns: the worker survives the failed task

    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "advisor.reports.pdf.PdfRenderTimeout"
    assert not CachedReport.objects.exists()
    # Remembered: the same inputs are not tried again in the background for a while...
    assert render_assessment_report.call(answered.pk) == "failed-recently"
    # ...but the download is not held to that: it renders on demand, with its own deadline.
    response = download(client, answered)
    assert response.status_code == 200
    assert response["X-Report-Cache"] == "miss"
    assert response.content.startswith(b"%PDF")
    assert len(renders) == 2


def test_prerender_off_completes_without_enqueueing(
    client,
    answered: Assessment,
    settings,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # The embedded default: the immediate backend, no background render (it
    # would run inside the completion request).
    settings.TASKS = IMMEDIATE_BACKEND
    settings.REPORT_PRERENDER = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        complete(client, answered)
    assert callbacks == []
    assert not CachedReport.objects.exists()
    assert renders == []
    assert download(client, answered)["X-Report-Cache"] == "miss"


def test_the_immediate_backend_renders_at_completion_when_asked_to(
    client,
    answered: Assessment,
    settings,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.TASKS = IMMEDIATE_BACKEND
    settings.REPORT_PRERENDER = True
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, answered)
    assert CachedReport.objects.filter(assessment=answered).exists()
    assert download(client, answered)["X-Report-Cache"] == "hit"
    assert len(renders) == 1


def test_rescoring_has_the_new_report_rendered_too(
    client,
    make_completed: Callable[..., Assessment],
    database_tasks: None,
    renders: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assessment = make_completed()
    preview = assessment_rescore_preview(assessment=assessment)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_rescore(assessment=assessment, fingerprint=preview.fingerprint)
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    run_worker_once(monkeypatch)

    assert len(renders) == 1
    assert download(client, assessment)["X-Report-Cache"] == "hit"
    assert len(renders) == 1


def test_a_task_for_an_assessment_without_a_result_does_nothing(
    answered: Assessment, renders: list[int]
) -> None:
    assert render_assessment_report.call(answered.pk) == "no-report"
    assert render_assessment_report.call(answered.pk + 1000) == "no-report"
    assert renders == []


def test_an_unknown_tasks_backend_is_refused_at_start() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", "import advisor.settings"],
        cwd=REPO_ROOT,
        env={**os.environ, "TASKS_BACKEND": "celery"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode != 0
    assert "TASKS_BACKEND='celery': choose one of database, immediate, dummy" in completed.stderr


# --- a real `manage.py db_worker` process (PostgreSQL, as in production) -----------


@pytest.fixture
def db_worker(transactional_db: None, brief_ruleset: Ruleset) -> Iterator[subprocess.Popen[str]]:
    """``manage.py db_worker`` in its own process, on the test database."""
    url = urlsplit(os.environ["DATABASE_URL"])
    test_database_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    environment = {
        **os.environ,
        "DATABASE_URL": test_database_url,
        "TASKS_BACKEND": "database",
        "DJANGO_DEBUG": "true",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            "-v",
            "2",
        ],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield worker
    # SIGTERM: the worker finishes its task and exits (it holds connections
    # to the test database, which is flushed and dropped after the test).
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the worker process test runs on PostgreSQL")
def test_a_running_db_worker_has_the_download_ready(
    client,
    answered: Assessment,
    database_tasks: None,
    renders: list[int],
    db_worker: subprocess.Popen[str],
) -> None:
    complete(client, answered)  # a real commit: the enqueue runs on it
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if CachedReport.objects.filter(assessment=answered).exists():
            break
        assert db_worker.poll() is None, db_worker.stdout.read() if db_worker.stdout else ""
        time.sleep(0.2)
    else:
        pytest.fail("the worker stored no report within 90 s")
    task = DBTaskResult.objects.get()
    for _ in range(50):  # the row is stored just before the task is marked done
        if task.status == TaskResultStatus.SUCCESSFUL:
            break
        time.sleep(0.1)
        task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == "rendered"

    response = download(client, answered)

    assert response.status_code == 200
    assert response["X-Report-Cache"] == "hit"
    assert response.content == bytes(CachedReport.objects.get(assessment=answered).pdf)
    assert renders == [], "nothing was rendered in the web process"
