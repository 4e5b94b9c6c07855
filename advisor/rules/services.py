"""The bridge between the rules models (ORM) and the pure engine.

Everything outside this app that needs questions, compiled rules or advice
calls these functions; nothing else maps ``Question``/``Rule`` rows to the
core's dataclasses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from django.utils import timezone

from advisor.advice import Advice
from advisor.costs import services as cost_services
from advisor.costs.catalog import CatalogSnapshot
from advisor.costs.projection import DERIVED_FIGURES
from advisor.costs.selectors import catalog_snapshot
from advisor.rules.answers import (
    ParsedAnswers,
    QuestionSpec,
    apply_defaults,
    parse_answers,
)
from advisor.rules.conditions import ConditionSchema, choice_values
from advisor.rules.engine import CompiledRuleset, RuleSpec, compile_ruleset
from advisor.rules.models import Question, Rule, Ruleset, RulesetStatus
from advisor.scoring import score
from advisor.scoring.effects import InvalidEffect, Triangle, parse_effects

# Defined beside the pure scorer; importable from here, where the apps look for them.
from advisor.scoring.score import AnswersBeyondTheModel as AnswersBeyondTheModel
from advisor.scoring.score import InvalidAnswers as InvalidAnswers
from advisor.scoring.score import catalog_facts as catalog_facts
from advisor.scoring.score import computed_or_field_error as computed_or_field_error
from advisor.snapshot import MeasuredAnswers, ResultSnapshot


class NoCurrentRuleset(LookupError):
    """No ruleset is published as current (run ``manage.py seed``)."""


def current_ruleset() -> Ruleset:
    """The published ruleset new assessments use."""
    ruleset = Ruleset.objects.current()
    if ruleset is None:
        raise NoCurrentRuleset("No current ruleset: run `python manage.py seed`.")
    return ruleset


def question_specs(ruleset: Ruleset) -> tuple[QuestionSpec, ...]:
    """The ruleset's questions as dataclasses, in questionnaire order.

    Read once per process for a published or archived ruleset (see
    :func:`frozen_ruleset_cached`), on every call for a draft.
    """
    return frozen_ruleset_cached(ruleset, "question_specs", _read_question_specs)


def _read_question_specs(ruleset: Ruleset) -> tuple[QuestionSpec, ...]:
    questions = ruleset.questions.order_by("section_order", "order", "key")
    return tuple(_question_spec(question) for question in questions)


def rule_specs(ruleset: Ruleset) -> tuple[RuleSpec, ...]:
    """The ruleset's enabled rules as dataclasses, in rule order."""
    rules = ruleset.rules.filter(enabled=True).order_by("order", "code")
    return tuple(_rule_spec(rule) for rule in rules)


def condition_schema(ruleset: Ruleset, *, outcome: bool = True) -> ConditionSchema:
    """The names rule conditions may use (:meth:`Ruleset.condition_schema`)."""
    return ruleset.condition_schema(outcome=outcome)


_frozen_cache: dict[tuple[Any, ...], Any] = {}
_frozen_lock = threading.Lock()
_T = TypeVar("_T")


def frozen_ruleset_cached(ruleset: Ruleset, name: str, build: Callable[[Ruleset], _T]) -> _T:
    """``build(ruleset)``, kept per process for a published or archived ruleset.

    Published (and archived) rulesets are immutable, so what is derived from
    them alone (the compiled rules, the question specs, the wizard's steps)
    is built once per process and ``name``, keyed on pk, name, version,
    status and publication time (which also keeps test databases that reuse
    a pk apart). Drafts change under an admin's hands and are built afresh
    on every call. ``build`` must return something immutable.
    """
    if ruleset.status == RulesetStatus.DRAFT:
        return build(ruleset)
    key = (name, ruleset.pk, ruleset.name, ruleset.version, ruleset.status, ruleset.published_at)
    with _frozen_lock:
        cached = _frozen_cache.get(key)
    if cached is None:
        cached = build(ruleset)
        with _frozen_lock:
            _frozen_cache[key] = cached
    return cast(_T, cached)


def compiled_ruleset(ruleset: Ruleset) -> CompiledRuleset:
    """The ruleset compiled for the engine (once per process unless a draft).

    A draft's unchanged conditions still come from ``compile_condition``'s
    own cache.
    """
    return frozen_ruleset_cached(ruleset, "compiled", _compile)


def clear_compiled_cache() -> None:
    """Forget everything :func:`frozen_ruleset_cached` kept (tests that rewrite rows)."""
    with _frozen_lock:
        _frozen_cache.clear()


def parse_answers_for(
    ruleset: Ruleset,
    raw: Mapping[str, Any],
    *,
    partial: bool = False,
    catalog: CatalogSnapshot | None = None,
) -> ParsedAnswers:
    """``parse_answers`` with the ruleset's questions and the catalog's keys."""
    return parse_answers(
        raw,
        question_specs(ruleset),
        partial=partial,
        catalog_choices=catalog_keys(catalog=catalog),
    )


def catalog_keys(*, catalog: CatalogSnapshot | None = None) -> Mapping[str, tuple[str, ...]]:
    """Allowed keys per catalog kind of the request's catalog (read if not given)."""
    return score.catalog_keys(catalog or catalog_snapshot())


def answer_defaults(ruleset: Ruleset, *, catalog: CatalogSnapshot | None = None) -> dict[str, Any]:
    """Every question's default, catalog-backed ones from the catalog (for forms)."""
    defaults = cost_services.catalog_defaults(catalog=catalog)
    return apply_defaults({}, question_specs(ruleset), defaults)


def advice_for_answers(
    *,
    answers: Mapping[str, Any],
    ruleset: Ruleset | None = None,
    uncertainty: bool = True,
    catalog: CatalogSnapshot | None = None,
    growth_range: Triangle | None = None,
) -> Advice:
    """:func:`advisor.scoring.score.advise` with ``ruleset`` (the current one by default).

    The scorer's working object (projection, evaluation, verdict) for the
    benches and the tests that look inside a decision; a result is
    :func:`build_snapshot`'s.
    """
    ruleset = ruleset or current_ruleset()
    return score.advise(
        answers,
        compiled_ruleset(ruleset),
        catalog or catalog_snapshot(),
        uncertainty=uncertainty,
        growth_range=growth_range,
    )


def build_snapshot(
    *,
    answers: Mapping[str, Any],
    ruleset: Ruleset | None = None,
    uncertainty: bool = True,
    catalog: CatalogSnapshot | None = None,
    what_would_change: bool = True,
    growth_range: Triangle | None = None,
    measured: MeasuredAnswers | None = None,
) -> ResultSnapshot:
    """:func:`advisor.scoring.score.score` with ``ruleset`` (the current one by default).

    The Django shell around the pure scorer: it loads the compiled ruleset
    (cached per process unless a draft) and the request's catalog snapshot
    (read here when not given), and stamps the time. Raises
    :class:`InvalidAnswers` (a ``ValueError``) naming the fields that do not
    fit, and :class:`AnswersBeyondTheModel` naming the answer the cost model
    cannot compute with.
    """
    ruleset = ruleset or current_ruleset()
    return score.score(
        answers,
        compiled_ruleset(ruleset),
        catalog or catalog_snapshot(),
        uncertainty=uncertainty,
        what_would_change=what_would_change,
        growth_range=growth_range,
        measured=measured,
        computed_at=timezone.now().isoformat(),
    )


def _compile(ruleset: Ruleset) -> CompiledRuleset:
    return compile_ruleset(
        name=ruleset.name,
        version=ruleset.version,
        questions=question_specs(ruleset),
        rules=rule_specs(ruleset),
        derived_figures=DERIVED_FIGURES,
        decision_model=ruleset.decision_model,
    )


def _question_spec(question: Question) -> QuestionSpec:
    values = choice_values(question.choices)
    labels = [
        str(choice[1]) if isinstance(choice, (list, tuple)) and len(choice) > 1 else str(value)
        for choice, value in zip(question.choices or (), values, strict=True)
    ]
    return QuestionSpec(
        key=question.key,
        type=question.type,
        section=question.section,
        section_order=question.section_order,
        order=question.order,
        prompt=question.prompt,
        help_text=question.help_text,
        choices=tuple(zip(values, labels, strict=True)),
        catalog=question.catalog,
        unit=question.unit,
        min=question.min_value,
        max=question.max_value,
        default=question.default,
        required=question.required,
        show_if=question.show_if,
        advanced=question.advanced,
    )


def _rule_spec(rule: Rule) -> RuleSpec:
    deltas = rule.score_deltas if isinstance(rule.score_deltas, dict) else {}
    excludes = rule.excludes if isinstance(rule.excludes, list) else []
    problems: tuple[str, ...] = ()
    try:
        effects = parse_effects(rule.effects)
    except InvalidEffect as error:
        effects, problems = (), (str(error),)
    return RuleSpec(
        code=rule.code,
        title=rule.title,
        condition=rule.condition,
        rationale=rule.rationale,
        score_deltas=dict(deltas),
        excludes=tuple(excludes),
        caveat_code=rule.caveat_code,
        caveat_text=rule.caveat_text,
        source=rule.source,
        order=rule.order,
        effects=effects,
        problems=problems,
    )
