"""Background task workers: several processes, newest task first, no task left stranded.

django-tasks-db's ``db_worker`` runs one task at a time in one process,
takes the oldest task first, and a worker killed mid-task (``kill -9``, the
OOM killer, a lost machine) leaves that task ``RUNNING`` forever. Here:

- :class:`NewestFirstWorker` is ``db_worker``'s worker with two changes. It
  claims the newest ready task first (after priority): the buyer who has
  just completed an assessment is the one waiting for the PDF, while an
  older task's buyer has either had the report rendered on demand already
  (the download does that once a render has been queued for
  ``REPORT_PRERENDER_WAIT_SECONDS``) or left. And it runs
  :func:`sweep_stranded_tasks` when it starts and every
  ``TASK_SWEEP_INTERVAL_SECONDS``.
- :func:`sweep_stranded_tasks` marks a task ``RUNNING`` for longer than
  ``TASK_STRANDED_AFTER_SECONDS`` as failed (:class:`WorkerLost`) and
  enqueues it once more, once: a task whose retry is stranded too stays
  failed. The render's own deadline is far shorter, so a live worker's task
  is never swept.
- :func:`supervise` (``manage.py task_workers``) keeps
  ``TASK_WORKER_PROCESSES`` such workers running, each in its own process,
  starting a new one when one dies, and passes SIGTERM on so that each
  finishes the task in hand. More machines: run ``manage.py task_workers``
  on each, against the same database (deploy/README.md).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger(__name__)

# A task is tried at most this many times in all (each claim adds its worker's id).
MAX_ATTEMPTS = 2
# A dead worker is replaced at most this often per slot, so a worker that
# cannot start (database unreachable) does not spin.
RESTART_BACKOFF_SECONDS = 2.0


class WorkerLost(Exception):
    """The worker running this task stopped before finishing it (killed, crashed, machine lost)."""


@dataclass(frozen=True)
class Sweep:
    failed: int
    requeued: int


def sweep_stranded_tasks(*, now: datetime | None = None, swept_by: str = "") -> Sweep:
    """Fail every task RUNNING past ``TASK_STRANDED_AFTER_SECONDS``; enqueue each once more.

    Safe with any number of workers sweeping at once: the rows are locked
    (``SKIP LOCKED``), so each stranded task is failed and re-queued once.
    """
    now = now or timezone.now()
    stranded_after = timedelta(seconds=settings.TASK_STRANDED_AFTER_SECONDS)
    failed = requeued = 0
    with transaction.atomic():
        stranded = list(
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=now - stranded_after)
            .order_by("started_at")
        )
        for task in stranded:
            lost_worker = task.worker_ids[-1] if task.worker_ids else "unknown"
            message = (
                f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: worker {lost_worker} "
                f"started this task at {task.started_at:%Y-%m-%d %H:%M:%S} UTC and had not "
                f"finished it {stranded_after.total_seconds():.0f} s later (killed, crashed or "
                f"its machine lost); marked failed by {swept_by or 'a sweep'}."
            )
            task.status = TaskResultStatus.FAILED
            task.finished_at = now
            task.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
            task.traceback = message
            task.return_value = None
            task.save(
                update_fields=[
                    "status",
                    "finished_at",
                    "exception_class_path",
                    "traceback",
                    "return_value",
                ]
            )
            failed += 1
            if len(task.worker_ids) >= MAX_ATTEMPTS:
                logger.error("%s Tried %d times: not re-queued.", message, len(task.worker_ids))
                continue
            retry = DBTaskResult.objects.create(
                args_kwargs=task.args_kwargs,
                priority=task.priority,
                task_path=task.task_path,
                queue_name=task.queue_name,
                backend_name=task.backend_name,
                run_after=get_date_max(),
                # The attempts so far travel with the retry: its claim makes
                # MAX_ATTEMPTS, so a retry that strands too is not retried.
                worker_ids=task.worker_ids,
                exception_class_path="",
                traceback="",
            )
            requeued += 1
            logger.warning("%s Re-queued as task %s.", message, retry.id)
    return Sweep(failed=failed, requeued=requeued)


class NewestFirstWorker(Worker):
    """``db_worker``'s worker, claiming the newest task first and sweeping stranded ones."""

    def __init__(self, *, sweep_interval_seconds: float, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.sweep_interval_seconds = sweep_interval_seconds

    def run(self) -> None:
        # db_worker's loop (django-tasks-db 0.13), with the claim order and
        # the sweep changed; the task itself runs in its run_task.
        logger.info("Starting worker %s (newest task first)", self.worker_id)
        next_sweep = 0.0
        while self.running:
            close_old_connections()
            if time.monotonic() >= next_sweep:
                self._sweep()
                next_sweep = time.monotonic() + self.sweep_interval_seconds
            task_result, retrieved = self._claim_newest()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def _sweep(self) -> None:
        try:
            sweep_stranded_tasks(swept_by=f"worker {self.worker_id}")
        except OperationalError:
            # The database is away or locked: the next sweep tries again.
            logger.warning("Sweep of stranded tasks skipped", exc_info=True)

    def _claim_newest(self) -> tuple[DBTaskResult[..., object] | None, bool]:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        tasks = tasks.order_by(F("priority").desc(), F("enqueued_at").desc())
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None, False
                raise
        return task_result, True


def worker_id(index: int) -> str:
    """Unique across machines and restarts, readable in admin: host, process, slot."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{index}"


def run_one(*, index: int, interval: float) -> None:
    """One worker in this process until SIGTERM (what each supervised process runs)."""
    worker = NewestFirstWorker(
        queue_names=["default"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=True,
        max_tasks=None,
        worker_id=worker_id(index),
        excluded_queue_names=[],
        sweep_interval_seconds=settings.TASK_SWEEP_INTERVAL_SECONDS,
    )
    worker.configure_signals()
    worker.run()


def supervise(*, processes: int, interval: float, stop_grace_seconds: float = 30.0) -> None:
    """Keep ``processes`` workers running until SIGTERM or SIGINT, then stop them gracefully."""
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def start(index: int) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "django", "task_workers", "--one", str(index),
                   "--interval", str(interval)]  # fmt: skip
        # Our own interpreter and arguments, no shell: nothing untrusted in it.
        return subprocess.Popen(command, env={**os.environ})  # noqa: S603

    slots = {index: start(index) for index in range(processes)}
    started_at = dict.fromkeys(slots, time.monotonic())
    logger.info("Started %d task workers: %s", processes, [p.pid for p in slots.values()])
    while not stopping:
        time.sleep(0.5)
        for index, process in list(slots.items()):
            status = process.poll()
            if status is None or stopping:
                continue
            # Its task (if any) stays RUNNING: a sweep fails and re-queues it
            # once TASK_STRANDED_AFTER_SECONDS have passed.
            logger.warning("Task worker %d (pid %d) exited with %s", index, process.pid, status)
            if time.monotonic() - started_at[index] < RESTART_BACKOFF_SECONDS:
                time.sleep(RESTART_BACKOFF_SECONDS)
            slots[index] = start(index)
            started_at[index] = time.monotonic()
    for process in slots.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + stop_grace_seconds
    for process in slots.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
