"""The assessment's writes: start, complete (and the signal reports listens to), lock, notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.services import (
    AssessmentIncomplete,
    assessment_complete,
    assessment_lock,
    assessment_start,
    assessment_submit_review,
    assessment_unlock,
    assessment_update_notes,
)
from advisor.assessments.signals import assessment_completed
from advisor.assessments.steps import build_steps
from advisor.assessments.write_guard import WriteRefused
from advisor.rules.models import Ruleset
from advisor.rules.services import question_specs
from tests.conftest import HIGH_VOLUME_ANSWERS


def test_a_start_trims_the_client_name_and_an_anonymous_buyer_owns_nothing(
    brief_ruleset: Ruleset,
) -> None:
    started = assessment_start(ruleset=brief_ruleset, owner=AnonymousUser(), client_name="  Acme  ")
    assert (started.client_name, started.owner, started.status) == (
        "Acme",
        None,
        AssessmentStatus.IN_PROGRESS,
    )


def test_completing_needs_every_step_saved(brief_ruleset: Ruleset) -> None:
    assessment = Assessment.objects.create(ruleset=brief_ruleset, answers={})
    steps = build_steps(question_specs(brief_ruleset))
    with pytest.raises(AssessmentIncomplete):
        assessment_complete(assessment=assessment, steps=steps)


def test_completing_stores_the_result_and_announces_it_once(brief_ruleset: Ruleset) -> None:
    steps = build_steps(question_specs(brief_ruleset))
    assessment = Assessment.objects.create(
        ruleset=brief_ruleset,
        answers=dict(HIGH_VOLUME_ANSWERS),
        saved_steps=[step.slug for step in steps],
    )
    heard: list[int] = []

    def listener(sender: object, *, assessment_id: int, **kwargs: Any) -> None:
        heard.append(assessment_id)

    assessment_completed.connect(listener)
    try:
        completed = assessment_complete(assessment=assessment, steps=steps)
        assessment_complete(assessment=completed, steps=steps)  # idempotent: no second signal
    finally:
        assessment_completed.disconnect(listener)
    completed.refresh_from_db()
    assert completed.status == AssessmentStatus.COMPLETED
    assert completed.result is not None and "recommendation" in completed.result
    assert heard == [completed.pk]


def test_only_a_completed_assessment_locks_and_unlocking_answers_the_request(
    make_completed: Callable[..., Assessment], consultant: User, brief_ruleset: Ruleset
) -> None:
    with pytest.raises(WriteRefused):
        assessment_lock(assessment=assessment_start(ruleset=brief_ruleset), user=consultant)
    locked = assessment_lock(assessment=make_completed(owner=consultant), user=consultant)
    assert locked.is_locked and locked.locked_by == consultant
    unlocked = assessment_unlock(assessment=locked)
    assert not unlocked.is_locked
    assert unlocked.new_version_requested_at is None


def test_notes_are_trimmed_and_kept_with_the_report_choice(
    make_completed: Callable[..., Assessment], consultant: User
) -> None:
    noted = assessment_update_notes(
        assessment=make_completed(owner=consultant), notes="  call Tuesday \n", notes_in_report=True
    )
    noted.refresh_from_db()
    assert (noted.notes, noted.notes_in_report) == ("call Tuesday", True)


def test_submitting_the_review_keeps_the_title_and_names_answers_that_cannot_be_scored(
    brief_ruleset: Ruleset,
) -> None:
    steps = build_steps(question_specs(brief_ruleset))
    assessment = Assessment.objects.create(
        ruleset=brief_ruleset,
        answers={**HIGH_VOLUME_ANSWERS, "monthly_queries": "lots"},
        saved_steps=[step.slug for step in steps],
    )
    errors = assessment_submit_review(assessment=assessment, steps=steps, report_title="Board pack")
    assessment.refresh_from_db()
    assert list(errors) == ["monthly_queries"]
    assert (assessment.report_title, assessment.status) == (
        "Board pack",
        AssessmentStatus.IN_PROGRESS,
    )
    assessment.answers = dict(HIGH_VOLUME_ANSWERS)
    assessment.save()
    assert assessment_submit_review(assessment=assessment, steps=steps, report_title="") == {}
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
