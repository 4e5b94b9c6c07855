"""Answers in, a result out: the one pure entry point every result is made by.

:func:`score` takes the already loaded ruleset (compiled) and catalog
snapshot, parses the answers once, derives the assumptions, the workload
and the model facts once, and returns the :class:`ResultSnapshot` every
surface renders. The Django shell that loads the ruleset and the catalog is
``advisor.rules.services.build_snapshot``; nothing else scores answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from advisor.advice import Advice, deciding_rules_read_figures, model_facts, project_and_score
from advisor.costs.assumptions import (
    Assumptions,
    Workload,
    default_gpu_pricing,
    workload_from_answers,
)
from advisor.costs.catalog import CATALOG_KINDS, CatalogSnapshot
from advisor.costs.configured import assumptions_for
from advisor.costs.prices import ApiModelPrice
from advisor.costs.projection import project
from advisor.rules.answers import (
    AnswerError,
    ParsedAnswers,
    QuestionSpec,
    apply_defaults,
    parse_answers,
)
from advisor.rules.conditions import referenced_symbols
from advisor.rules.engine import CompiledRuleset, evaluate_recommendations, recommend
from advisor.scoring import flips as answer_flips
from advisor.scoring.chooser import Chooser, volume_measured
from advisor.scoring.effects import Triangle
from advisor.scoring.like_for_like import open_api_offer
from advisor.scoring.simulation import Costed, Verdict
from advisor.snapshot import SNAPSHOT_VERSION, MeasuredAnswers, ResultSnapshot, answer_change

_R = TypeVar("_R")

BREAK_EVEN_VOLUME_FIGURE = "break_even_volume_multiplier_"

# What arithmetic raises when a figure leaves float's range or a function's
# domain (OverflowError, ZeroDivisionError, "math domain error"). Caught
# around the cost model, which another area owns, and turned into a field
# error naming the answer: the buyer's input, never a 500.
COMPUTATION_ERRORS: tuple[type[Exception], ...] = (ArithmeticError, ValueError)
BEYOND_THE_MODEL_MESSAGE = (
    "The cost model cannot compute with this value (its figures overflow): enter a smaller one."
)


class InvalidAnswers(ValueError):
    """Answers that do not fit the ruleset's questions; ``errors`` name the fields."""

    def __init__(self, parsed: ParsedAnswers) -> None:
        self.errors = parsed.errors
        super().__init__("; ".join(str(error) for error in parsed.errors))


class AnswersBeyondTheModel(InvalidAnswers):
    """Answers that parse, but that the cost model cannot compute with (an overflow)."""


def score(
    answers: Mapping[str, Any],
    ruleset: CompiledRuleset,
    catalog: CatalogSnapshot,
    *,
    uncertainty: bool = True,
    what_would_change: bool = True,
    growth_range: Triangle | None = None,
    measured: MeasuredAnswers | None = None,
    computed_at: str = "",
) -> ResultSnapshot:
    """Score ``answers`` (raw or typed) with ``ruleset`` on ``catalog``'s figures.

    Missing answers take their defaults; :class:`InvalidAnswers` names the
    fields that do not fit, its subclass :class:`AnswersBeyondTheModel` the
    answer the cost model cannot compute with. ``uncertainty`` runs the Monte
    Carlo over the assumptions and the answers left at their defaults
    (previews turn it off); ``what_would_change`` tries the single-answer
    flips (a scenario variant shows none). ``growth_range`` is a growth rate
    fitted from a short usage history with the fit's range; ``measured``
    says which answers a usage export measured (kept in the result);
    ``computed_at`` is when (ISO 8601), given by the caller so this stays pure.
    """
    specs = ruleset.questions

    def compute(given: Mapping[str, Any]) -> ResultSnapshot:
        advised = _advised(given, ruleset, catalog, uncertainty, growth_range)
        flipped = (
            flips(
                ruleset,
                advised.advice.answers,
                pinned(advised.assumptions),
                advised.offer,
                given=frozenset(given),
                growth_range=growth_range,
            )
            if what_would_change
            else []
        )
        data = advised.advice.to_dict()
        data["snapshot_version"] = SNAPSHOT_VERSION
        data["what_would_change"] = [
            answer_change(flip.key, flip.value, flip.description, flip.recommendation).to_dict()
            for flip in flipped
        ] + data["what_would_change"]
        if measured:
            data["measured"] = measured.to_dict()
        data["computed_at"] = computed_at
        return ResultSnapshot.from_dict(data)

    return computed_or_field_error(_parsed(answers, ruleset, catalog), specs, compute)


def advise(
    answers: Mapping[str, Any],
    ruleset: CompiledRuleset,
    catalog: CatalogSnapshot,
    *,
    uncertainty: bool = True,
    growth_range: Triangle | None = None,
) -> Advice:
    """The scorer's working object for ``answers``: what :func:`score` stores, before the flips.

    The projection, the evaluation and the v3 verdict as objects, for the
    benches and the tests that look inside a decision; the same parse and the
    same derivations as :func:`score`.
    """
    return computed_or_field_error(
        _parsed(answers, ruleset, catalog),
        ruleset.questions,
        lambda given: _advised(given, ruleset, catalog, uncertainty, growth_range).advice,
    )


@dataclass(frozen=True)
class _Advised:
    advice: Advice
    assumptions: Assumptions
    offer: ApiModelPrice | None


def _parsed(
    answers: Mapping[str, Any], ruleset: CompiledRuleset, catalog: CatalogSnapshot
) -> Mapping[str, Any]:
    """The answers typed (the one parse); :class:`InvalidAnswers` if any does not fit."""
    parsed = parse_answers(answers, ruleset.questions, catalog_choices=catalog_keys(catalog))
    if not parsed.ok:
        raise InvalidAnswers(parsed)
    return parsed.answers


def _advised(
    given: Mapping[str, Any],
    ruleset: CompiledRuleset,
    catalog: CatalogSnapshot,
    uncertainty: bool,
    growth_range: Triangle | None,
) -> _Advised:
    """The assumptions, the completed answers and the open-model offer, derived once."""
    assumptions = assumptions_for(answers=given, catalog=catalog)
    completed = apply_defaults(given, ruleset.questions, catalog_facts(assumptions, answers=given))
    offer = open_api_offer(catalog, assumptions) if ruleset.decision_model >= 3 else None
    advice = project_and_score(
        ruleset,
        completed,
        assumptions,
        given=frozenset(given) if uncertainty else None,
        open_api_model=offer,
        growth_range=growth_range,
    )
    return _Advised(advice, assumptions, offer)


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


def catalog_keys(catalog: CatalogSnapshot) -> Mapping[str, tuple[str, ...]]:
    """Allowed keys per catalog kind (active catalog entries).

    A catalog-backed question is keyed by its kind (``api_model``, ``gpu``…).
    """
    keys = catalog.keys
    return {kind: keys[kind] for kind in CATALOG_KINDS}


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


def pinned(assumptions: Assumptions) -> Assumptions:
    """``assumptions`` with the capacity planner's picks kept, not planned again.

    The flips vary one answer of the result, the catalog choices it shows
    staying as they are (the completed answers name them): a variation at ten
    times the volume is costed on the same GPU configurations, and planning
    again for each (some 40 ms) would answer another question.
    """
    return replace(assumptions, self_host_candidates=(), small_candidates=())


def flips(
    compiled: CompiledRuleset,
    answers: Mapping[str, Any],
    assumptions: Assumptions,
    offer: ApiModelPrice | None,
    *,
    given: frozenset[str] | None = None,
    growth_range: Triangle | None = None,
) -> list[answer_flips.Flip]:
    """The single answers that flip the recommendation, scored in one batch.

    The answers are typed and complete (defaults applied) and no variation
    touches the catalog choices, so one set of assumptions (the result's,
    :func:`pinned`) serves them all. The projection (its break-even solves
    are most of the cost) depends only on the workload part of the answers:
    most variations leave it as it is, so each distinct workload is projected
    once, and the recommendations of all variations come from one
    ``evaluate_recommendations`` call (rules that read only answers are
    evaluated once per distinct answers). ``growth_range`` (v3) is the
    result's fitted growth range: every variation is decided on the same
    uncertainty as the result (no variation changes the growth).
    """
    facts = model_facts(assumptions)
    solve = _scores_read_break_even_volume(compiled)
    figures: dict[Workload, Mapping[str, Any]] = {}

    def figures_of(variant: Mapping[str, Any]) -> Mapping[str, Any]:
        workload = workload_from_answers(variant)
        if workload not in figures:
            projection = project(workload, assumptions, sensitivity=solve)
            figures[workload] = projection.derived_figures()
        return figures[workload]

    if compiled.decision_model >= 3:
        # The money decides (the chooser); when no gate or priced reason reads a cost
        # figure, a variation's recommendation never depends on its own projection.
        shared = None if deciding_rules_read_figures(compiled) else figures_of(answers)

        # As the result itself was decided: the buyer's answers fixed, or all of them.
        fixed = frozenset(answers) if given is None else given

        def decide_each(variants: Sequence[Mapping[str, Any]]) -> list[str | None]:
            # Each variation decided as the result itself is (the same draws and
            # the answers the buyer gave, plus the one varied), so a flip is a real one.
            decided = []
            verdicts: dict[tuple[Any, ...], Verdict] = {}
            prepared: dict[Workload, Assumptions] = {}
            costed: dict[tuple[Any, ...], Costed] = {}
            for variant in variants:
                chooser = Chooser(
                    workload=workload_from_answers(variant),
                    assumptions=assumptions,
                    open_api_model=offer,
                    given=fixed | {key for key in variant if variant.get(key) != answers.get(key)},
                    volume_measured=volume_measured(variant),
                    growth_range=growth_range,
                    verdicts=verdicts,
                    planned=prepared,
                    costed=costed,
                )
                facts_of = {**variant, **facts}
                figures_shown = figures_of(variant) if shared is None else shared
                decided.append(recommend(compiled, facts_of, figures_shown, choose=chooser))
            return decided

        return answer_flips.flips_batched(answers, compiled.questions, decide_each)

    def recommend_all(variants: Sequence[Mapping[str, Any]]) -> list[str | None]:
        return evaluate_recommendations(
            compiled,
            [{**variant, **facts} for variant in variants],
            [figures_of(variant) for variant in variants],
        )

    return answer_flips.flips_batched(answers, compiled.questions, recommend_all)


# By identity (a compiled ruleset is not hashable), holding the ruleset so
# its id is not reused; compiled rulesets are few and cached per process.
_READS_BREAK_EVEN_VOLUME: dict[int, tuple[CompiledRuleset, bool]] = {}
_READS_BREAK_EVEN_VOLUME_SIZE = 32


def _scores_read_break_even_volume(compiled: CompiledRuleset) -> bool:
    """Whether any rule that can change a recommendation reads a break-even multiplier.

    Solving for them is most of a projection's cost; when no scoring rule
    reads them (a caveat may), the flips do not need them.
    """
    cached = _READS_BREAK_EVEN_VOLUME.get(id(compiled))
    if cached is not None and cached[0] is compiled:
        return cached[1]
    known = any(
        name.startswith(BREAK_EVEN_VOLUME_FIGURE)
        for rule in compiled.rules
        if rule.has_effect and not rule.reads_outcome and rule.reads_figures
        for expression in (
            rule.spec.condition,
            *(delta for delta in rule.spec.score_deltas.values() if isinstance(delta, str)),
        )
        for name in referenced_symbols(expression)
    )
    if len(_READS_BREAK_EVEN_VOLUME) >= _READS_BREAK_EVEN_VOLUME_SIZE:
        _READS_BREAK_EVEN_VOLUME.clear()
    _READS_BREAK_EVEN_VOLUME[id(compiled)] = (compiled, known)
    return known
