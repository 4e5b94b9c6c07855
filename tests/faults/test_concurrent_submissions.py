"""The same step submitted twice at once (double click, two tabs): exactly one write.

Two threads, each with its own database connection, post through the real
views. A barrier holds both requests just before they call the write
service, after each has read the assessment and validated its form: both
have seen the state before either writes, the race the row lock
(``select_for_update`` in the services) must settle.

On both databases: PostgreSQL settles it with the row lock; SQLite (which
has none) with ``BEGIN IMMEDIATE`` (settings: ``transaction_mode``), which
makes the second writer wait for the first instead of failing with
"database is locked" (a 503 "database unavailable" before issue 15). The
SQLite test database is a file (tests/conftest.py), as `make run`'s is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from advisor.assessments import views
from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.services import assessment_start

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every save of an assessment, from any thread (the final row alone cannot tell:
    two racing writers that both read the old row write the same new one)."""
    saved: list[int] = []
    real_save = Assessment.save

    def recording_save(self: Assessment, *args: Any, **kwargs: Any) -> None:
        saved.append(self.pk)
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Assessment, "save", recording_save)
    return saved


ALL_STEPS = ["workload", "compliance", "capability", "team-and-operations", "cost-assumptions"]


def race(monkeypatch: pytest.MonkeyPatch, service: str, *requests: Callable[[], Any]) -> list[Any]:
    """Run ``requests`` in threads that all reach the views' ``service`` call before any goes on."""
    barrier = threading.Barrier(len(requests), timeout=20)
    real_service = getattr(views, service)

    def wait_then_write(**kwargs: Any) -> Assessment:
        barrier.wait()
        return real_service(**kwargs)

    monkeypatch.setattr(views, service, wait_then_write)
    results: list[Any] = [None] * len(requests)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            results[index] = requests[index]()
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()  # this thread's connection, back before teardown

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_same_step_posted_twice_at_once_is_written_once(brief_ruleset, monkeypatch, writes) -> None:
    assessment = assessment_start(ruleset=brief_ruleset)
    writes.clear()
    path = f"/a/{assessment.token}/step/workload/"
    data = {"monthly_queries": "20M", "load_pattern": "steady", "nav": "next"}

    first, second = race(
        monkeypatch,
        "assessment_save_step",
        lambda: Client().post(path, data),
        lambda: Client().post(path, data),
    )

    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"] == f"/a/{assessment.token}/step/compliance/"
    stored = Assessment.objects.get(pk=assessment.pk)
    assert writes == [assessment.pk]  # one write, not two
    assert stored.revision == assessment.revision + 1
    assert stored.saved_steps == ["workload"]
    assert stored.answers["monthly_queries"] == 20_000_000
    assert stored.answers["load_pattern"] == "steady"


def test_review_completed_twice_at_once_is_scored_once(brief_ruleset, monkeypatch, writes) -> None:
    assessment = assessment_start(ruleset=brief_ruleset)
    Assessment.objects.filter(pk=assessment.pk).update(
        answers={"monthly_queries": 20_000_000}, saved_steps=ALL_STEPS
    )
    before = Assessment.objects.get(pk=assessment.pk)
    path = f"/a/{assessment.token}/review/"
    writes.clear()

    first, second = race(
        monkeypatch,
        "assessment_submit_review",
        lambda: Client().post(path),
        lambda: Client().post(path),
    )

    assert first.status_code == second.status_code == 303
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.status == AssessmentStatus.COMPLETED
    assert writes == [assessment.pk]
    assert stored.revision == before.revision + 1
    assert stored.result["ruleset"]["version"] == brief_ruleset.version
