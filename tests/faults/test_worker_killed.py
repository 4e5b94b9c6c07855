"""A task worker killed with -9 mid-render strands nothing (finding 5 of issue 30).

The real ``manage.py task_workers`` (two worker processes) on the test
database: a completion's render is claimed, the worker holding it is
killed with SIGKILL while it renders. Its task must not stay RUNNING past
its deadline: a surviving (or replacement) worker's sweep marks it failed
and re-queues it once, the retry stores the PDF, and the download is the
stored file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from advisor.assessments.models import Assessment
from advisor.reports.models import CachedReport
from advisor.reports.tasks import render_assessment_report

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
STRANDED_AFTER_SECONDS = 8

pytestmark = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="worker processes share the database: PostgreSQL"
)


@pytest.fixture
def task_workers(transactional_db: None, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``manage.py task_workers --processes 2`` on the test database; stopped with SIGTERM."""
    url = urlsplit(os.environ["DATABASE_URL"])
    database_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "database",
        "DJANGO_DEBUG": "true",
        "MEDIA_ROOT": str(tmp_path / "media"),
        # Short, so the test need not wait the production 30 s.
        "TASK_STRANDED_AFTER_SECONDS": str(STRANDED_AFTER_SECONDS),
        "TASK_SWEEP_INTERVAL_SECONDS": "1",
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = (tmp_path / "workers.log").open("wb")
    supervisor = subprocess.Popen(
        [sys.executable, "manage.py", "task_workers", "--processes", "2", "--interval", "0.1"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield supervisor
    supervisor.send_signal(signal.SIGTERM)
    try:
        supervisor.wait(timeout=40)
    except subprocess.TimeoutExpired:
        supervisor.kill()
        supervisor.wait(timeout=10)


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.02)
    pytest.fail(f"not within {seconds} s: {what}")


def test_a_worker_killed_mid_render_leaves_nothing_running_and_the_pdf_downloadable(
    make_completed: Callable[..., Assessment],
    settings,
    task_workers: subprocess.Popen[bytes],
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.REPORT_PRERENDER = True
    assessment = make_completed(client_name="Killed Mid-Render Ltd")
    render_assessment_report.enqueue(assessment.pk)

    # A fresh worker's first render starts its render process and loads
    # WeasyPrint (seconds): the kill lands mid-render.
    running = wait_for(
        lambda: DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).first(),
        60,
        "a worker claimed the render",
    )
    assert isinstance(running, DBTaskResult)
    # worker ids are host-pid-slot (advisor/core/task_workers.worker_id).
    pid = int(running.worker_ids[-1].rsplit("-", 2)[1])
    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    assert not CachedReport.objects.filter(assessment=assessment).exists(), "killed too late"

    stored = wait_for(
        lambda: CachedReport.objects.filter(assessment=assessment).exists(),
        STRANDED_AFTER_SECONDS + 60,
        "the re-queued render stored the PDF",
    )
    assert stored
    # Nothing is left RUNNING, and the killed attempt is on record as such.
    wait_for(
        lambda: (
            not DBTaskResult.objects.exclude(
                status__in=(TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
            ).exists()
        ),
        10,
        "every task finished",
    )
    assert time.monotonic() - killed_at >= STRANDED_AFTER_SECONDS - 1
    tasks = {task.pk: task for task in DBTaskResult.objects.all()}
    assert len(tasks) == 2
    killed = tasks[running.pk]
    assert killed.status == TaskResultStatus.FAILED
    assert killed.exception_class_path == "advisor.core.task_workers.WorkerLost"
    assert f"-{pid}-" in killed.traceback
    (retry,) = (task for pk, task in tasks.items() if pk != running.pk)
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert retry.return_value == "rendered"
    assert retry.worker_ids[0] == running.worker_ids[-1]
    # The supervisor replaced the killed worker: still two running.
    assert task_workers.poll() is None

    response = Client().get(f"/a/{assessment.token}/report.pdf")
    assert response.status_code == 200
    assert response["X-Report-Cache"] == "hit"
    assert response.content.startswith(b"%PDF")
