"""The orchestrator's own database work: prepared assessments and the lost-answers check.

Runs in the orchestrator process with Django pointed at the bench database
(the same environment as the server), never in the load client.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

HIGH_VOLUME_ANSWERS: dict[str, Any] = {
    "monthly_queries": 300_000_000,
    "load_pattern": "steady",
    "simple_query_share_pct": 80,
    "has_production_data": True,
    "gpu_ops_experience": "established",
    "planned_serving_stack": "vllm",
    "primary_driver": "cost",
    "frontier_capability": "not_needed",
}
WIZARD_STEPS = ("workload", "compliance", "capability", "team-and-operations", "cost-assumptions")


def setup_django(environment: Mapping[str, str]) -> None:
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django

    django.setup()


def prepare_completed(count: int) -> list[str]:
    """``count`` completed assessments with a full result (scored once, copied): their tokens.

    The copies differ by token, which is part of the PDF cache key, so each
    one's first report request is a real render.
    """
    from django.utils import timezone

    from advisor.assessments.models import Assessment, AssessmentStatus
    from advisor.assessments.results import result_snapshot
    from advisor.rules.models import Ruleset

    ruleset = Ruleset.objects.get(is_current=True)
    result = result_snapshot(ruleset=ruleset, answers=HIGH_VOLUME_ANSWERS)
    now = timezone.now()
    created = Assessment.objects.bulk_create(
        Assessment(
            ruleset=ruleset,
            answers=HIGH_VOLUME_ANSWERS,
            saved_steps=list(WIZARD_STEPS),
            client_name=f"Bench client {index}",
            status=AssessmentStatus.COMPLETED,
            result=result,
            completed_at=now,
        )
        for index in range(count)
    )
    return [assessment.token for assessment in created]


def prepare_started(count: int) -> list[str]:
    """``count`` fresh assessments (nothing answered yet): their tokens."""
    from advisor.assessments.models import Assessment
    from advisor.rules.models import Ruleset

    ruleset = Ruleset.objects.get(is_current=True)
    created = Assessment.objects.bulk_create(Assessment(ruleset=ruleset) for _ in range(count))
    return [assessment.token for assessment in created]


@dataclass
class Verification:
    """What the journal of a buyer phase says against what the database holds."""

    started: int = 0
    completed: int = 0
    answers_checked: int = 0
    lost: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.lost


def verify_journal(journal: Path) -> Verification:
    """Every acknowledged answer of every started assessment is in the database.

    An answer equal to its question's default is not stored (the wizard keeps
    "not answered"), so stored answers are compared with defaults applied.
    A buyer cut off by the end of the phase is checked for what it was told
    was saved; completed ones must also have a result naming their ruleset.
    """
    from advisor.assessments.models import Assessment
    from advisor.assessments.selectors import wizard_for

    records = [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]
    stored = {
        assessment.token: assessment
        for assessment in Assessment.objects.select_related("ruleset").filter(
            token__in=[record["token"] for record in records]
        )
    }
    wizards: dict[int, Any] = {}
    outcome = Verification(started=len(records))
    for record in records:
        assessment = stored.get(record["token"])
        if assessment is None:
            outcome.lost.append(f"{record['token']}: assessment missing")
            continue
        wizard = wizards.setdefault(assessment.ruleset_id, wizard_for(ruleset=assessment.ruleset))
        effective = wizard.with_defaults(assessment.answers)
        for key, expected in record["answers"].items():
            outcome.answers_checked += 1
            if effective.get(key) != expected:
                outcome.lost.append(
                    f"{record['token']}: {key} is {effective.get(key)!r}, expected {expected!r}"
                )
        if record["completed"]:
            outcome.completed += 1
            result = assessment.result or {}
            if not assessment.is_completed or not (result.get("ruleset") or {}).get("version"):
                outcome.lost.append(f"{record['token']}: completed but no stored result")
    return outcome


# --- the background render queue and the reports it stores -----------------------------


@dataclass(frozen=True)
class TaskQueue:
    """django-tasks' database queue: tasks by status."""

    ready: int
    running: int
    successful: int
    failed: int

    @property
    def pending(self) -> int:
        return self.ready + self.running


def task_queue() -> TaskQueue:
    from django.db.models import Count
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    counts = dict(DBTaskResult.objects.values_list("status").annotate(Count("id")))
    return TaskQueue(
        ready=counts.get(TaskResultStatus.READY, 0),
        running=counts.get(TaskResultStatus.RUNNING, 0),
        successful=counts.get(TaskResultStatus.SUCCESSFUL, 0),
        failed=counts.get(TaskResultStatus.FAILED, 0),
    )


def wait_for_tasks(timeout_seconds: float) -> tuple[float, TaskQueue]:
    """Wait until no task is ready or running (or the timeout): seconds waited, the queue."""
    import time

    started = time.monotonic()
    queue = task_queue()
    while queue.pending and time.monotonic() - started < timeout_seconds:
        time.sleep(0.5)
        queue = task_queue()
    return time.monotonic() - started, queue


def finished_tasks(since: datetime) -> dict[str, list[float]]:
    """Tasks finished since ``since``, by outcome ("rendered", "cached", ..., "failed"):
    the seconds each ran (started to finished)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        finished_at__gte=since, status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).values_list("status", "return_value", "started_at", "finished_at")
    outcomes: dict[str, list[float]] = {}
    for status, value, started, finished in rows:
        outcome = "failed" if status == TaskResultStatus.FAILED else str(value)
        outcomes.setdefault(outcome, []).append((finished - started).total_seconds())
    return outcomes


def cached_report_tokens() -> list[str]:
    """Tokens of completed assessments whose current report is stored (downloads render nothing)."""
    from advisor.assessments.models import Assessment
    from advisor.reports.services import prepare_assessment_report, report_is_cached

    completed = Assessment.objects.filter(cached_report__isnull=False).select_related(
        "ruleset", "owner"
    )
    return [
        assessment.token
        for assessment in completed
        if report_is_cached(report=prepare_assessment_report(assessment=assessment))
    ]


def enqueue_renders(tokens: list[str]) -> None:
    """Enqueue these completed assessments' report renders and wait for the workers."""
    from advisor.assessments.models import Assessment
    from advisor.reports.tasks import render_assessment_report

    for pk in Assessment.objects.filter(token__in=tokens).values_list("pk", flat=True):
        render_assessment_report.enqueue(pk)
    wait_for_tasks(timeout_seconds=30 + 5 * len(tokens))


def completion_to_stored(tokens: list[str]) -> tuple[list[float], int, list[str]]:
    """For these assessments: seconds from completion to the stored PDF (sorted), the number
    completed, and the tokens of those completed without a stored PDF."""
    from advisor.assessments.models import Assessment

    rows = Assessment.objects.filter(token__in=tokens, completed_at__isnull=False).values_list(
        "token", "completed_at", "cached_report__created_at"
    )
    seconds, missing = [], []
    for token, completed_at, stored_at in rows:
        if stored_at is None:
            missing.append(token)
        else:
            seconds.append(max(0.0, (stored_at - completed_at).total_seconds()))
    return sorted(seconds), len(rows), missing


def failures_by_error() -> str:
    """Failed tasks by exception class, e.g. "1 WorkerLost, 7 PdfRenderTimeout"."""
    from django.db.models import Count
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        .values_list("exception_class_path")
        .annotate(Count("id"))
    )
    return ", ".join(f"{count} {path.rsplit('.', 1)[-1]}" for path, count in rows) or "none"
