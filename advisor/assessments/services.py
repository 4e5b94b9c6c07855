"""Writes to assessments: start, save a step, complete (score and snapshot).

Every write locks the assessment row (``select_for_update``) and compares
before writing, so a double click or a resubmitted step changes nothing the
second time, and a post for a step the buyer has not reached is refused
without writing. Every write takes its row through
:func:`~advisor.assessments.write_guard.writable`, which refuses a write the
assessment's state does not allow (a locked assessment's answers, say) with
:class:`~advisor.assessments.write_guard.WriteRefused`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from advisor.assessments.models import (
    CLIENT_NAME_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    Assessment,
    AssessmentStatus,
    PastResult,
    ReplacedBecause,
)
from advisor.assessments.rescoring import ResultDiff, diff_results, snapshot_fingerprint
from advisor.assessments.results import result_snapshot
from advisor.assessments.scenarios import variants_rescore
from advisor.assessments.signals import assessment_completed
from advisor.assessments.steps import Step, build_steps, resume_index, step_index
from advisor.assessments.usage import fitted_growth_range, measured_summary
from advisor.assessments.write_guard import Write, writable
from advisor.costs.catalog import CatalogSnapshot
from advisor.rules.models import Ruleset
from advisor.rules.services import (
    InvalidAnswers,
    current_ruleset,
    parse_answers_for,
    question_specs,
)
from advisor.snapshot import ResultSnapshot


class StepOutOfOrder(Exception):
    """The buyer posted a step beyond the first one not yet answered."""


class AssessmentIncomplete(Exception):
    """Completing needs every step saved first."""


class RescoreNotPossible(Exception):
    """The assessment cannot be re-scored (not completed, or answers that no longer fit)."""

    def __init__(self, message: str, *, field_errors: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = tuple(field_errors)


class RescoreChanged(Exception):
    """The result changed again between the preview and "accept": preview again."""


@transaction.atomic
def assessment_start(
    *, ruleset: Ruleset, owner: User | AnonymousUser | None = None, client_name: str = ""
) -> Assessment:
    """A new, empty assessment on ``ruleset`` (the version it will finish on).

    ``owner`` is whoever started it: an anonymous buyer's assessment has none.
    """
    return Assessment.objects.create(
        ruleset=ruleset,
        owner=owner if isinstance(owner, User) else None,
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
    locked = writable(assessment, Write.ANSWERS)
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
    *,
    assessment: Assessment,
    steps: Sequence[Step],
    catalog: CatalogSnapshot | None = None,
) -> Assessment:
    """Score the answers on the assessment's own ruleset and store the result snapshot.

    Idempotent: an assessment already completed with these answers keeps its
    snapshot. Completing again after the buyer changed answers keeps the
    result it replaces in the history (:class:`PastResult`), as re-scoring
    does: what the client was told before is never lost. Scored with the
    request's ``catalog`` snapshot when given. Raises ``WriteRefused`` (locked),
    and ``InvalidAnswers`` (nothing written) for answers that cannot be scored.
    """
    locked = writable(assessment, Write.COMPLETE, with_ruleset=True)
    if resume_index(steps, locked.saved_steps) < len(steps):
        raise AssessmentIncomplete(locked.token)
    if locked.is_completed and locked.result is not None:
        return locked
    snapshot = result_snapshot(
        ruleset=locked.ruleset,
        answers=locked.answers,
        catalog=catalog,
        growth_range=fitted_growth_range(locked.usage_import, locked.answers),
        measured=measured_summary(locked),
    )
    if locked.result is not None:
        PastResult.objects.create(
            assessment=locked,
            ruleset=locked.ruleset,
            result=locked.result,
            scored_at=locked.completed_at,
            reason=ReplacedBecause.ANSWERS_CHANGED,
        )
    locked.result = snapshot
    locked.status = AssessmentStatus.COMPLETED
    locked.completed_at = timezone.now()
    locked.revision += 1
    locked.save(update_fields=["result", "status", "completed_at", "revision", "updated_at"])
    variants_rescore(assessment=locked, catalog=catalog)  # the variants follow the new answers
    # reports pre-renders the PDF once this commits (advisor/reports/signals.py).
    assessment_completed.send(sender=Assessment, assessment_id=locked.pk)
    return locked


@transaction.atomic
def assessment_lock(*, assessment: Assessment, user: User) -> Assessment:
    """The owner locks a delivered assessment: the buyer can read it, not change it.

    Raises ``WriteRefused`` unless it is completed. Locking again changes nothing.
    """
    locked = writable(assessment, Write.LOCK)
    if locked.is_locked:
        return locked
    locked.locked_at, locked.locked_by = timezone.now(), user
    locked.save(update_fields=["locked_at", "locked_by", "updated_at"])
    return locked


@transaction.atomic
def assessment_unlock(*, assessment: Assessment) -> Assessment:
    """The owner lets the buyer change answers again (a new version); the request is answered."""
    locked = writable(assessment, Write.UNLOCK)
    if not locked.is_locked and locked.new_version_requested_at is None:
        return locked
    locked.locked_at = locked.locked_by = locked.new_version_requested_at = None
    locked.save(update_fields=["locked_at", "locked_by", "new_version_requested_at", "updated_at"])
    return locked


@transaction.atomic
def assessment_request_new_version(*, assessment: Assessment) -> Assessment:
    """The buyer of a locked assessment asks its consultant for a new version (once)."""
    locked = writable(assessment, Write.REQUEST_NEW_VERSION)
    if locked.new_version_requested_at is not None:
        return locked
    locked.new_version_requested_at = timezone.now()
    locked.save(update_fields=["new_version_requested_at", "updated_at"])
    return locked


@transaction.atomic
def assessment_update_notes(
    *, assessment: Assessment, notes: str, notes_in_report: bool
) -> Assessment:
    """The owner's private notes, and whether the PDF report's appendix shows them."""
    locked = writable(assessment, Write.NOTES)
    notes = notes.strip()[:NOTES_MAX_LENGTH]
    if (locked.notes, locked.notes_in_report) == (notes, notes_in_report):
        return locked
    locked.notes, locked.notes_in_report = notes, notes_in_report
    locked.save(update_fields=["notes", "notes_in_report", "updated_at"])
    return locked


@dataclass(frozen=True)
class RescorePreview:
    """A completed assessment scored again with the current ruleset and prices."""

    assessment: Assessment
    ruleset: Ruleset
    snapshot: dict[str, Any]
    diff: ResultDiff

    @property
    def fingerprint(self) -> str:
        return snapshot_fingerprint(self.snapshot)


def assessment_rescore_preview(*, assessment: Assessment) -> RescorePreview:
    """Score the stored answers with the current ruleset and today's catalog; write nothing.

    Raises :class:`RescoreNotPossible` when the assessment has no result yet,
    or its answers do not fit the current ruleset's questions (a question
    was removed, a choice renamed, a range tightened): the consultant then
    edits the answers in the wizard instead.
    """
    if not assessment.is_completed or assessment.result is None:
        raise RescoreNotPossible("Only a completed assessment can be re-scored.")
    ruleset = current_ruleset()
    parsed = parse_answers_for(ruleset, assessment.answers)
    if not parsed.ok:
        raise RescoreNotPossible(
            f"The answers do not fit ruleset {ruleset.name} {ruleset.version}: "
            "edit them in the questionnaire, then complete it again.",
            field_errors=[str(error) for error in parsed.errors],
        )
    try:
        snapshot = result_snapshot(
            ruleset=ruleset,
            answers=assessment.answers,
            growth_range=fitted_growth_range(assessment.usage_import, assessment.answers),
            measured=measured_summary(assessment),
        )
    except InvalidAnswers as error:
        raise RescoreNotPossible(
            f"The answers cannot be scored with ruleset {ruleset.name} {ruleset.version}: "
            "edit them in the questionnaire, then complete it again.",
            field_errors=[str(problem) for problem in error.errors],
        ) from error
    return RescorePreview(
        assessment=assessment,
        ruleset=ruleset,
        snapshot=snapshot,
        diff=diff_results(
            ResultSnapshot.from_dict(assessment.result), ResultSnapshot.from_dict(snapshot)
        ),
    )


@transaction.atomic
def assessment_rescore(
    *, assessment: Assessment, fingerprint: str, user: User | None = None
) -> Assessment:
    """Replace the result with the one previewed (``fingerprint``); keep the old in the history.

    Raises :class:`RescoreChanged` when scoring now gives a different result
    than the preview the consultant accepted, and :class:`RescoreNotPossible`
    as :func:`assessment_rescore_preview` does.
    """
    locked = writable(assessment, Write.RESCORE, with_ruleset=True)
    preview = assessment_rescore_preview(assessment=locked)
    if preview.fingerprint != fingerprint:
        raise RescoreChanged(locked.token)
    PastResult.objects.create(
        assessment=locked,
        ruleset=locked.ruleset,
        result=locked.result,
        scored_at=locked.completed_at,
        replaced_by=user if user is not None and user.is_authenticated else None,
    )
    locked.ruleset = preview.ruleset
    locked.result = preview.snapshot
    # The new ruleset's sections may differ: the answers parsed, so every step counts as saved.
    locked.saved_steps = [step.slug for step in build_steps(question_specs(preview.ruleset))]
    locked.completed_at = timezone.now()
    locked.revision += 1
    locked.save(
        update_fields=["ruleset", "result", "saved_steps", "completed_at", "revision", "updated_at"]
    )
    variants_rescore(assessment=locked)
    assessment_completed.send(sender=Assessment, assessment_id=locked.pk)
    return locked


@transaction.atomic
def assessment_set_report_title(*, assessment: Assessment, report_title: str) -> Assessment:
    """Store the buyer's title for the report's cover (asked on the review step).

    A changed title changes the report's cache key, so the next download
    renders a new PDF; an unchanged one writes nothing.
    """
    locked = writable(assessment, Write.REPORT_TITLE)
    if locked.report_title != report_title:
        locked.report_title = report_title
        locked.save(update_fields=["report_title", "updated_at"])
    assessment.report_title = locked.report_title
    return locked


def assessment_submit_review(
    *,
    assessment: Assessment,
    steps: Sequence[Step],
    report_title: str,
    catalog: CatalogSnapshot | None = None,
) -> dict[str, str]:
    """The review step's submit: keep the report's title, then complete the assessment.

    Returns the answers that cannot be scored, as ``{question key: message}``
    (nothing but the title is written then), or ``{}`` once completed. Raises
    ``AssessmentIncomplete`` (a step not saved) and ``WriteRefused`` (locked).
    """
    assessment_set_report_title(assessment=assessment, report_title=report_title)
    try:
        assessment_complete(assessment=assessment, steps=steps, catalog=catalog)
    except InvalidAnswers as error:
        return {problem.key: problem.message for problem in error.errors}
    return {}
