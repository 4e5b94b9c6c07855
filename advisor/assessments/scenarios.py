"""Scenario variants: add, remove and re-score "what if" answers on an assessment.

A variant is the assessment's answers with a few of them changed, scored by
the assessment's own pipeline (:func:`advisor.assessments.results.
build_snapshot`, the one entry point a result is made by) on the
assessment's ruleset. Its overrides go through the wizard's parser
(:func:`advisor.rules.services.parse_answers_for`), so a bad value gets the
message the questionnaire gives that field. What the comparison shows is
kept (:class:`~advisor.assessments.comparison.ScenarioOutcome`), not the
whole result.

A model or GPU the buyer left to the capacity planner stays left to it: the
variant is costed on the planner's pick for its own answers, as the wizard
would cost them, which is the result's configuration unless the variant moves
the workload (a tenth of the volume may fit a smaller GPU). The comparison
then names each column's configuration.

Every write locks the assessment row, refuses a locked assessment, and
bumps its revision: the PDF report's cache key follows it, so a report
never lists yesterday's variants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from advisor.assessments.comparison import (
    MAX_VARIANTS,
    Comparison,
    ScenarioColumn,
    ScenarioOutcome,
    comparison_of,
    outcome_of,
)
from advisor.assessments.models import SCENARIO_NAME_MAX_LENGTH, Assessment, ScenarioVariant
from advisor.assessments.results import build_snapshot
from advisor.assessments.selectors import wizard_for
from advisor.assessments.wizard_display import display_answer
from advisor.assessments.write_guard import State, Write, WriteRefused, writable
from advisor.costs.catalog import CatalogSnapshot
from advisor.costs.selectors import catalog_snapshot
from advisor.rules.answers import AnswerError, ParsedAnswers, QuestionSpec
from advisor.rules.models import Ruleset
from advisor.rules.services import InvalidAnswers, parse_answers_for, question_specs
from advisor.snapshot import ResultSnapshot

# "x3", "x1.5", "3x" (or the multiplication sign): so many times the answer (numbers only).
_TIMES = re.compile(
    r"^\s*(?:[x\u00d7]\s*(?P<before>[\d.,]+)|(?P<after>[\d.,]+)\s*[x\u00d7])\s*$", re.I
)
_PARENTHESIS = re.compile(r"\s*\([^)]*\)$")
_NUMBER_TYPES = frozenset({"integer", "number"})
SAME_AS_ANSWERED = "That is the assessment's answer already: enter a different one."


class TooManyVariants(Exception):
    """An assessment has at most :data:`MAX_VARIANTS` variants."""


class VariantsLocked(WriteRefused):
    """Its consultant locked the assessment: no variant is added or removed."""


class NoResultYet(WriteRefused):
    """Variants compare with a result: complete the assessment first."""


@transaction.atomic
def variant_add(
    *,
    assessment: Assessment,
    name: str,
    overrides: Mapping[str, Any],
    catalog: CatalogSnapshot | None = None,
) -> ScenarioVariant:
    """Score ``overrides`` (raw, as typed) on the assessment's answers and keep them as a variant.

    Raises :class:`InvalidAnswers` naming the overridden fields that do not
    fit (nothing written), :class:`TooManyVariants`, :class:`VariantsLocked`
    and :class:`NoResultYet`.
    """
    locked = _lock(assessment)
    if locked.variants.count() >= MAX_VARIANTS:
        raise TooManyVariants(locked.token)
    catalog = catalog or catalog_snapshot()
    typed = parse_overrides(
        ruleset=locked.ruleset, answers=locked.answers, overrides=overrides, catalog=catalog
    )
    outcome = score_variant(
        ruleset=locked.ruleset, answers=locked.answers, overrides=typed, catalog=catalog
    )
    variant = ScenarioVariant.objects.create(
        assessment=locked,
        name=name.strip()[:SCENARIO_NAME_MAX_LENGTH],
        overrides=typed,
        outcome=outcome.to_dict(),
    )
    _bump(locked)
    return variant


@transaction.atomic
def variant_remove(*, assessment: Assessment, variant_id: int) -> bool:
    """Delete one of the assessment's variants; False if it had no such variant (a resubmission)."""
    locked = _lock(assessment, needs_result=False)
    deleted, _ = ScenarioVariant.objects.filter(assessment=locked, pk=variant_id).delete()
    if deleted:
        _bump(locked)
    return bool(deleted)


def variants_rescore(*, assessment: Assessment, catalog: CatalogSnapshot | None = None) -> None:
    """Score every variant again on the assessment's (new) answers and ruleset.

    Called inside completing and re-scoring, under their row lock. A variant
    whose overrides no longer fit (the new ruleset dropped or narrowed the
    question) keeps them, loses its outcome and says why.
    """
    variants = list(assessment.variants.all())
    if not variants:
        return
    catalog = catalog or catalog_snapshot()
    for variant in variants:
        try:
            typed = parse_overrides(
                ruleset=assessment.ruleset,
                answers=assessment.answers,
                overrides=variant.overrides,
                catalog=catalog,
                allow_same=True,
            )
            outcome: ScenarioOutcome | None = score_variant(
                ruleset=assessment.ruleset,
                answers=assessment.answers,
                overrides=typed,
                catalog=catalog,
            )
            problem = ""
        except InvalidAnswers as error:
            outcome, problem = None, _problem_text(error.errors)
        variant.outcome = None if outcome is None else outcome.to_dict()
        variant.problem = problem
        variant.save(update_fields=["outcome", "problem"])


def score_variant(
    *,
    ruleset: Ruleset,
    answers: Mapping[str, Any],
    overrides: Mapping[str, Any],
    catalog: CatalogSnapshot,
) -> ScenarioOutcome:
    """The answers with ``overrides`` (typed) scored like the assessment, without the flips.

    The catalog snapshot is the caller's (one read for every variant), and the
    compiled ruleset and question specs come from the per-process cache.
    """
    snapshot = build_snapshot(
        answers={**answers, **overrides},
        ruleset=ruleset,
        catalog=catalog,
        what_would_change=False,
    )
    return outcome_of(snapshot)


def parse_overrides(
    *,
    ruleset: Ruleset,
    answers: Mapping[str, Any],
    overrides: Mapping[str, Any],
    catalog: CatalogSnapshot,
    allow_same: bool = False,
) -> dict[str, Any]:
    """``overrides`` typed by the wizard's parser, as JSON; :class:`InvalidAnswers` if any is bad.

    Beyond what the questionnaire accepts, a variant may say "x3" (three
    times the answer) for a number, and name a choice or a catalog entry by
    its label ("GPT-4o mini" for its key). An override equal to the answer
    is refused unless ``allow_same`` (re-scoring keeps what was accepted).
    """
    specs = {spec.key: spec for spec in question_specs(ruleset)}
    # Completed as the wizard completes them: the models and GPU left to the
    # capacity planner have no default (the result is costed on the planner's
    # pick, not on the catalog's default model), so naming one is a change.
    current = wizard_for(ruleset=ruleset, catalog=catalog).with_defaults(answers)
    raw = {
        key: _expanded(specs.get(key), value, current.get(key), catalog)
        for key, value in overrides.items()
    }
    parsed = parse_answers_for(ruleset, raw, partial=True, catalog=catalog)
    errors = list(parsed.errors)
    if not allow_same:
        errors += [
            AnswerError(key, SAME_AS_ANSWERED)
            for key, value in parsed.answers.items()
            if _json(value) == _json(current.get(key))
        ]
    if errors:
        raise InvalidAnswers(ParsedAnswers(answers=parsed.answers, errors=tuple(errors)))
    return {key: _json(value) for key, value in parsed.answers.items()}


def _expanded(spec: QuestionSpec | None, value: Any, current: Any, catalog: CatalogSnapshot) -> Any:
    if spec is None or not isinstance(value, str):
        return value
    if spec.type in _NUMBER_TYPES:
        times = _TIMES.match(value)
        if times and isinstance(current, int | float) and not isinstance(current, bool):
            factor = (times["before"] or times["after"]).replace(",", "")
            try:
                product = current * float(factor)
            except ValueError:
                return value  # the parser's message names what was typed
            return round(product) if spec.type == "integer" else product
        return value
    labels = spec.choices if spec.type != "catalog" else catalog.choices.get(spec.catalog, ())
    wanted = value.strip().casefold()
    for key, label in labels:
        # Catalog labels end in a parenthesis ("GPT-4o mini (gpt-4o-mini)", a GPU's price).
        bare = _PARENTHESIS.sub("", label)
        if wanted in (key.casefold(), label.casefold(), bare.casefold()):
            return key
    return value


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple | list) else value


def _problem_text(errors: Sequence[AnswerError]) -> str:
    text = "; ".join(f"{error.key}: {error.message}" for error in errors)
    return f"Cannot be scored with the current answers and rules ({text})"[:500]


def _lock(assessment: Assessment, *, needs_result: bool = True) -> Assessment:
    """The row, locked, once the one write guard allows a variant's write on it."""
    write = Write.SCENARIO_ADD if needs_result else Write.SCENARIO_REMOVE
    try:
        return writable(assessment, write, with_ruleset=True)
    except WriteRefused as refused:
        kind = VariantsLocked if refused.state is State.LOCKED else NoResultYet
        raise kind(token=refused.token, write=refused.write, state=refused.state) from None


def _bump(assessment: Assessment) -> None:
    assessment.revision += 1
    assessment.save(update_fields=["revision", "updated_at"])


# --- reads --------------------------------------------------------------------


def scenario_comparison(
    *, assessment: Assessment, catalog: CatalogSnapshot | None = None
) -> Comparison | None:
    """The assessment beside its variants; None without variants (nothing to compare)."""
    if assessment.__dict__.get("has_variants") is False:  # annotated: no query needed
        return None
    variants = list(assessment.variants.all())
    if not variants or not assessment.has_stored_result:
        return None
    catalog = catalog or catalog_snapshot()
    specs = {spec.key: spec for spec in question_specs(assessment.ruleset)}
    columns = [
        ScenarioColumn(
            name=variant.name,
            changes=tuple(
                _change_text(specs.get(key), key, value, catalog)
                for key, value in variant.overrides.items()
            ),
            outcome=None if variant.outcome is None else ScenarioOutcome.from_dict(variant.outcome),
            variant_id=variant.pk,
            problem=variant.problem,
        )
        for variant in variants
    ]
    return comparison_of(outcome_of(ResultSnapshot.from_dict(assessment.stored_result())), columns)


def _change_text(spec: QuestionSpec | None, key: str, value: Any, catalog: CatalogSnapshot) -> str:
    if spec is None:
        return f"{key}: {value}"
    prompt = spec.prompt or key
    # "How would you pay for the GPUs? Reserve for 3 years", never "GPUs?: Reserve".
    joiner = " " if prompt.endswith("?") else ": "
    return f"{prompt}{joiner}{display_answer(spec, value, catalog.choices)}"
