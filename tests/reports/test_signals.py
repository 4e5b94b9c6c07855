"""The PDF pre-render starts when the completing transaction commits, from reports' receiver."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from advisor.assessments.signals import assessment_completed
from advisor.reports import signals as report_signals


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    monkeypatch.setattr(
        "advisor.reports.tasks._enqueue", lambda assessment_id: seen.append(assessment_id)
    )
    return seen


@pytest.mark.django_db(transaction=True)
def test_a_completion_enqueues_the_render_after_commit_only(
    settings: Any, enqueued: list[int]
) -> None:
    settings.REPORT_PRERENDER = True
    with transaction.atomic():
        assessment_completed.send(sender=object, assessment_id=41)
        assert enqueued == []  # not before the result is stored for good
    assert enqueued == [41]


@pytest.mark.django_db(transaction=True)
def test_without_prerender_nothing_is_enqueued(settings: Any, enqueued: list[int]) -> None:
    settings.REPORT_PRERENDER = False
    with transaction.atomic():
        assessment_completed.send(sender=object, assessment_id=42)
    assert enqueued == []


def test_the_receiver_is_connected_once_by_the_app() -> None:
    report_signals.connect()  # again, as a second ready() would: the dispatch uid keeps one
    receivers = assessment_completed._live_receivers(object)  # type: ignore[attr-defined]
    prerenders = [r for r in receivers[0] if r is report_signals.prerender_on_completion]
    assert len(prerenders) == 1
