"""``manage.py task_workers``: several background workers (advisor/core/task_workers.py)."""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from advisor.core.task_workers import run_one, supervise


class Command(BaseCommand):
    help = (
        "Run TASK_WORKER_PROCESSES background task workers (the PDF renders): newest task "
        "first, a dead worker replaced, a task it left running failed and re-queued once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="worker processes on this machine (default: TASK_WORKER_PROCESSES)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between polls while the queue is empty (default: 1)",
        )
        # What each supervised process runs: one worker, in this process.
        parser.add_argument("--one", type=int, default=None, metavar="INDEX", help="internal")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASKS_BACKEND != "database":
            raise CommandError(
                f"TASKS_BACKEND is {settings.TASKS_BACKEND!r}: workers run the 'database' "
                "backend's tasks (set TASKS_BACKEND=database)."
            )
        interval = options["interval"]
        if interval < 0:
            raise CommandError("--interval must be zero or more seconds.")
        # The workers' log lines (starts, sweeps, exits) go where the app's do.
        logging.getLogger("django_tasks_db").setLevel(logging.INFO)
        if options["one"] is not None:
            run_one(index=options["one"], interval=interval)
            return
        processes = options["processes"] or settings.TASK_WORKER_PROCESSES
        if processes < 1:
            raise CommandError("--processes must be at least 1.")
        supervise(processes=processes, interval=interval)
