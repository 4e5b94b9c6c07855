"""Writes to assessments: start, save a step, complete (score and snapshot).

Every write locks the assessment row (``select_for_update``) and compares
before writing, so a double click or a resubmitted step changes nothing the
second time, and a post for a step the buyer has not reached is refused
without writing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from advisor.assessments.models import CLIENT_NAME_MAX_LENGTH, Assessment, AssessmentStatus
from advisor.assessments.results import result_snapshot
from advisor.assessments.steps import Step, resume_index, step_index
from advisor.rules.models import Ruleset


class StepOutOfOrder(Exception):
    """The buyer posted a step beyond the first one not yet answered."""


class AssessmentIncomplete(Exception):
    """Completing needs every step saved first."""


@transaction.atomic
def assessment_start(
    *, ruleset: Ruleset, owner: AbstractBaseUser | None = None, client_name: str = ""
) -> Assessment:
    """A new, empty assessment on ``ruleset`` (the version it will finish on)."""
    return Assessment.objects.create(
        ruleset=ruleset,
        owner=owner if owner is not None and owner.is_authenticated else None,
        client_name=client_name.strip()[:CLIENT_NAME_MAX_LENGTH],
    )


@transaction.atomic
def assessment_save_step(
    *,
    assessment: Assessment,
    steps: Sequence[Step],
    step: Step,
    answers: Mapping[str, Any],
    cleared_keys: Collection[str] = (),
    mark_saved: bool,
) -> Assessment:
    """Store ``step``'s valid ``answers``; drop ``cleared_keys`` (blank or hidden follow-ups).

    ``mark_saved`` records that the buyer moved past the step (Next, Skip);
    Back saves what is valid without it. Changing a completed assessment's
    answers returns it to "in progress": its result is re-scored on the next
    completion. Raises :class:`StepOutOfOrder` (nothing written) for a step
    beyond the first unanswered one.
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    index = step_index(steps, step.slug)
    if index is None or index > resume_index(steps, locked.saved_steps):
        raise StepOutOfOrder(step.slug)
    new_answers = dict(locked.answers)
    for key in step.keys:
        if key in answers:
            new_answers[key] = answers[key]
        elif key in cleared_keys:
            new_answers.pop(key, None)
    saved_steps = list(locked.saved_steps)
    if mark_saved and step.slug not in saved_steps:
        saved_steps.append(step.slug)
    status = locked.status
    if new_answers != locked.answers:
        status = AssessmentStatus.IN_PROGRESS
    if (new_answers, saved_steps, status) == (locked.answers, locked.saved_steps, locked.status):
        return locked  # a resubmission: nothing to change
    locked.answers, locked.saved_steps, locked.status = new_answers, saved_steps, status
    locked.revision += 1
    locked.save(update_fields=["answers", "saved_steps", "status", "revision", "updated_at"])
    return locked


@transaction.atomic
def assessment_complete(
    *, assessment: Assessment, steps: Sequence[Step], snapshot: Mapping[str, Any] | None = None
) -> Assessment:
    """Score the answers on the assessment's own ruleset and store the result snapshot.

    Idempotent: an assessment already completed with these answers keeps its
    snapshot. ``snapshot`` is for tests; normally it is computed here.
    """
    locked = Assessment.objects.select_for_update().select_related("ruleset").get(pk=assessment.pk)
    if resume_index(steps, locked.saved_steps) < len(steps):
        raise AssessmentIncomplete(locked.token)
    if locked.is_completed and locked.result is not None:
        return locked
    if snapshot is None:
        snapshot = result_snapshot(ruleset=locked.ruleset, answers=locked.answers)
    locked.result = dict(snapshot)
    locked.status = AssessmentStatus.COMPLETED
    locked.completed_at = timezone.now()
    locked.revision += 1
    locked.save(update_fields=["result", "status", "completed_at", "revision", "updated_at"])
    return locked
