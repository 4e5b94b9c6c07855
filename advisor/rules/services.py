"""The bridge between the rules models (ORM) and the pure engine.

Everything outside this app that needs questions, compiled rules or advice
calls these functions; nothing else maps ``Question``/``Rule`` rows to the
core's dataclasses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from advisor.advice import Advice, project_and_score
from advisor.costs import services as cost_services
from advisor.costs.assumptions import Assumptions, default_gpu_pricing
from advisor.costs.catalog import CATALOG_KINDS, CatalogSnapshot
from advisor.costs.projection import DERIVED_FIGURES
from advisor.costs.selectors import catalog_snapshot
from advisor.rules.answers import (
    AnswerError,
    ParsedAnswers,
    QuestionSpec,
    apply_defaults,
    parse_answers,
)
from advisor.rules.conditions import ConditionSchema, choice_values
from advisor.rules.engine import CompiledRuleset, RuleSpec, compile_ruleset
from advisor.rules.models import Question, Rule, Ruleset, RulesetStatus
from advisor.scoring.effects import InvalidEffect, Triangle, parse_effects
from advisor.scoring.like_for_like import open_api_offer


class NoCurrentRuleset(LookupError):
    """No ruleset is published as current (run ``manage.py seed``)."""


class InvalidAnswers(ValueError):
    """Answers that do not fit the ruleset's questions; ``errors`` name the fields."""

    def __init__(self, parsed: ParsedAnswers) -> None:
        self.errors = parsed.errors
        super().__init__("; ".join(str(error) for error in parsed.errors))


_R = TypeVar("_R")


class AnswersBeyondTheModel(InvalidAnswers):
    """Answers that parse, but that the cost model cannot compute with (an overflow)."""


# What arithmetic raises when a figure leaves float's range or a function's
# domain (OverflowError, ZeroDivisionError, "math domain error"). Caught
# around the cost model, which another area owns, and turned into a field
# error naming the answer: the buyer's input, never a 500.
COMPUTATION_ERRORS: tuple[type[Exception], ...] = (ArithmeticError, ValueError)
BEYOND_THE_MODEL_MESSAGE = (
    "The cost model cannot compute with this value (its figures overflow): enter a smaller one."
)


def computed_or_field_error(
    answers: Mapping[str, Any],
    specs: Sequence[QuestionSpec],
    compute: Callable[[Mapping[str, Any]], _R],
) -> _R:
    """``compute(answers)``; arithmetic that fails becomes :class:`AnswersBeyondTheModel`.

    The error names the answer to blame: the given numbers are tried
    without one at a time, largest first, and the first whose removal lets
    the computation through is named (all of them if none alone does). Only
    the failure path pays for the retries.
    """
    try:
        return compute(answers)
    except InvalidAnswers:
        raise
    except COMPUTATION_ERRORS as error:
        failure = error
    numeric = {spec.key for spec in specs if spec.type in ("integer", "number")}
    given = sorted(
        (key for key, value in answers.items() if key in numeric and _is_number(value)),
        key=lambda key: abs(answers[key]),
        reverse=True,
    )
    blamed = given
    for key in given:
        try:
            compute({name: value for name, value in answers.items() if name != key})
        except COMPUTATION_ERRORS:
            continue
        blamed = [key]
        break
    errors = tuple(AnswerError(key, BEYOND_THE_MODEL_MESSAGE) for key in blamed) or (
        AnswerError("answers", BEYOND_THE_MODEL_MESSAGE),
    )
    raise AnswersBeyondTheModel(ParsedAnswers(answers=answers, errors=errors)) from failure


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
    """Allowed keys per catalog kind (active catalog entries).

    A catalog-backed question is keyed by its kind (``api_model``, ``gpu``…).
    """
    keys = (catalog or catalog_snapshot()).keys
    return {kind: keys[kind] for kind in CATALOG_KINDS}


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
    """Score ``answers`` with ``ruleset`` (the current one by default).

    ``answers`` may be typed or raw (an answers file, form data): they go
    through the parser either way, and :class:`InvalidAnswers` (a
    ``ValueError``) names the fields that do not fit; answers the cost model
    cannot compute with raise :class:`AnswersBeyondTheModel` (a subclass).
    Missing answers take their defaults. ``uncertainty`` runs the Monte Carlo
    over the assumptions and the answers left at their defaults (about 0.2 s);
    previews turn it off. Catalog keys the buyer did not choose are left to the cost
    model, which picks the like-for-like open model for the chosen API model;
    the rules then see the entries the projection actually used. ``catalog``
    is the request's catalog snapshot (read here when not given). ``growth_range`` is a
    growth rate fitted from a short usage history with the fit's range (decision model v3).
    """
    ruleset = ruleset or current_ruleset()
    catalog = catalog or catalog_snapshot()
    specs = question_specs(ruleset)
    parsed = parse_answers(answers, specs, catalog_choices=catalog_keys(catalog=catalog))
    if not parsed.ok:
        raise InvalidAnswers(parsed)
    compiled = compiled_ruleset(ruleset)

    def compute(answered: Mapping[str, Any]) -> Advice:
        assumptions = cost_services.assumptions_for(answers=answered, catalog=catalog)
        completed = apply_defaults(answered, specs, catalog_facts(assumptions, answers=answered))
        given = frozenset(answered) if uncertainty else None
        offer = open_api_offer(catalog, assumptions) if compiled.decision_model >= 3 else None
        return project_and_score(
            compiled,
            completed,
            assumptions,
            given=given,
            open_api_model=offer,
            growth_range=growth_range,
        )

    return computed_or_field_error(parsed.answers, specs, compute)


def catalog_facts(assumptions: Assumptions, *, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The catalog entries and figures the projection used, as answers (defaults).

    The GPU is the one the capacity planner chose, and the GPU pricing the
    default for ``answers`` (owned hardware when the data stays on premises).
    """
    return {
        "gpu_pricing": default_gpu_pricing(answers),
        "api_model": assumptions.api_model.key,
        "self_host_model": assumptions.self_host_model.key,
        "small_model": assumptions.small_model.key,
        "gpu": assumptions.self_host_model.gpu.key,
        "engineer_monthly_cost_usd": assumptions.engineer_monthly_cost_usd,
        "first_year_budget_usd": assumptions.first_year_budget_usd,
    }


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
