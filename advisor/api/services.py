"""The API's writes and reads that the web has no single service for.

Writes to an assessment go through the same guard as the web's
(:func:`advisor.assessments.write_guard.writable`): a locked assessment's
answers are refused here exactly as on the buyer's pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.db import transaction

from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.selectors import wizard_for
from advisor.assessments.services import assessment_complete
from advisor.assessments.steps import build_steps
from advisor.assessments.usage import (
    GROWTH_RANGE_KEY,
    answers_for_ruleset,
    growth_range_entry,
    read_upload,
    split_growth_range,
)
from advisor.assessments.write_guard import Write, writable
from advisor.costs.selectors import catalog_snapshot
from advisor.rules.answers import AnswerError, ParsedAnswers
from advisor.rules.models import Ruleset
from advisor.rules.services import (
    InvalidAnswers,
    answer_defaults,
    build_snapshot,
    current_ruleset,
    parse_answers_for,
    question_specs,
)
from advisor.scoring.effects import Triangle
from advisor.snapshot import ResultSnapshot
from advisor.usage import UsageWorkload


@transaction.atomic
def assessment_set_answers(*, assessment: Assessment, answers: Mapping[str, Any]) -> Assessment:
    """Replace the answers (parsed as the wizard parses them); score them when complete.

    Every step counts as saved (the client answered them all at once). When
    every required question has an answer the assessment is completed: its
    result stored, the one it replaces kept in the history, as the wizard's
    "Complete" does. Raises ``WriteRefused`` (locked) and ``InvalidAnswers``
    (field errors; nothing written).
    """
    locked = writable(assessment, Write.ANSWERS, with_ruleset=True)
    parsed = parse_answers_for(locked.ruleset, answers, partial=True)
    if not parsed.ok:
        raise InvalidAnswers(parsed)
    new_answers = {key: _json(value) for key, value in parsed.answers.items()}
    steps = build_steps(question_specs(locked.ruleset))
    every_step = [step.slug for step in steps]
    if (new_answers, every_step) != (locked.answers, locked.saved_steps):
        if new_answers != locked.answers:
            locked.status = AssessmentStatus.IN_PROGRESS
        locked.answers, locked.saved_steps = new_answers, every_step
        locked.revision += 1
        locked.save(update_fields=["answers", "saved_steps", "status", "revision", "updated_at"])
    if parse_answers_for(locked.ruleset, new_answers).ok:
        return assessment_complete(assessment=locked, steps=steps)
    return locked


def evaluated(raw: Mapping[str, Any]) -> ResultSnapshot:
    """``POST /evaluate``'s result: the answers scored as ``manage.py evaluate`` scores a file.

    A fitted growth range (``monthly_growth_pct_range``, as ``usage_to_answers`` prints it
    beside the answers) is split off and drawn. Raises ``InvalidAnswers`` naming each
    field that does not fit, the range among them with ``split_growth_range``'s message.
    """
    answers, growth_range = _answers_and_growth_range(raw)
    return build_snapshot(answers=answers, growth_range=growth_range)


def _answers_and_growth_range(raw: Mapping[str, Any]) -> tuple[dict[str, Any], Triangle | None]:
    try:
        return split_growth_range(raw)
    except ValueError as error:
        # The command stops at the range; an API client gets every field's error at once.
        rest = {key: value for key, value in raw.items() if key != GROWTH_RANGE_KEY}
        others = parse_answers_for(current_ruleset(), rest).errors
        raise InvalidAnswers(
            ParsedAnswers(errors=(*others, AnswerError(GROWTH_RANGE_KEY, str(error))))
        ) from None


def _json(value: Any) -> Any:
    """A typed answer as the JSON the assessment stores (tuples become lists)."""
    return json.loads(json.dumps(value))


def derived_usage(
    file: IO[bytes], *, ruleset: Ruleset, format: str = "auto"
) -> tuple[UsageWorkload, dict[str, Any]]:
    """Read an export within the web's bounds: the workload, and what the API shows of it.

    Only answers the ruleset asks, parsed as the wizard parses them, so
    ``POST /evaluate`` accepts them as they are; the rest are in ``missing``
    with the reason. Raises ``UsageFileError`` naming the line or field.
    """
    workload = read_upload(file, format=format)
    fitted = answers_for_ruleset(workload, ruleset=ruleset)
    missing = {**workload.missing, **fitted.left_out}
    # The fit's range goes with the growth it qualifies, as usage_to_answers prints it:
    # sent on to /evaluate as they are, the growth is drawn over it there.
    growth_range = growth_range_entry(workload, fitted.answers)
    provenance = {key: workload.provenance.get(key, "") for key in fitted.answers}
    if growth_range:
        provenance[GROWTH_RANGE_KEY] = (
            "The fitted growth's range (the fit's slope plus or minus two standard errors), "
            "given with under 6 months of data: /evaluate draws the growth over it."
        )
    return workload, {
        "format": workload.source_format,
        "source_label": workload.source_label,
        "period": {
            "start": workload.period_start.isoformat(),
            "end": workload.period_end.isoformat(),
            "days": round(workload.period_days, 2),
            "text": workload.period_text(),
        },
        "answers": {**fitted.answers, **growth_range},
        "provenance": provenance,
        "missing": missing,
        "notes": list(workload.notes),
        "gaps": [gap.describe() for gap in workload.gaps],
    }


def questions_of(ruleset: Ruleset) -> dict[str, Any]:
    """The ruleset's questions with their types, choices, defaults and help, in order.

    Catalog questions list the catalog's active entries as their choices,
    and their default is the catalog's, as the wizard offers them.
    """
    catalog = catalog_snapshot()  # read once for the choices and the defaults
    wizard = wizard_for(ruleset=ruleset, catalog=catalog)
    defaults = answer_defaults(ruleset, catalog=catalog)
    catalog_options = wizard.catalog_options
    questions = []
    for spec in question_specs(ruleset):
        choices = catalog_options.get(spec.catalog, ()) if spec.catalog else spec.choices
        questions.append(
            {
                "key": spec.key,
                "type": spec.type,
                "section": spec.section,
                "prompt": spec.prompt,
                "help_text": spec.help_text,
                "unit": spec.unit,
                "min": spec.min,
                "max": spec.max,
                "default": None if spec.required else _json(defaults.get(spec.key)),
                "required": spec.required,
                "show_if": spec.show_if,
                "advanced": spec.advanced,
                "choices": [{"value": value, "label": label} for value, label in choices],
            }
        )
    return {
        "ruleset": {"name": ruleset.name, "version": ruleset.version},
        "questions": questions,
    }
