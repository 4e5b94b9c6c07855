"""Scoring a result once: the :class:`~advisor.snapshot.ResultSnapshot` builder.

Computed when the buyer completes the assessment and stored on it, so the
result page, the PDF, the CSV export and ``manage.py evaluate`` render the
same stored data: fast, and a report never changes silently when prices or
rules change later. Completing again after editing answers re-scores. No
chart is drawn here: charts are drawn from the snapshot's numbers when they
are shown (``advisor.reports.charts``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from advisor.advice import deciding_rules_read_figures, model_facts
from advisor.assessments import sensitivity
from advisor.costs.assumptions import Assumptions, Workload, workload_from_answers
from advisor.costs.catalog import CatalogSnapshot
from advisor.costs.projection import project
from advisor.costs.selectors import catalog_snapshot
from advisor.costs.services import assumptions_for
from advisor.rules.conditions import referenced_symbols
from advisor.rules.engine import (
    CompiledRuleset,
    evaluate_recommendations,
    recommend,
)
from advisor.rules.models import Ruleset
from advisor.rules.services import (
    InvalidAnswers,
    advice_for_answers,
    compiled_ruleset,
    computed_or_field_error,
    current_ruleset,
    parse_answers_for,
    question_specs,
)
from advisor.scoring.chooser import Chooser, volume_measured
from advisor.scoring.effects import Triangle
from advisor.scoring.like_for_like import open_api_offer
from advisor.scoring.simulation import Costed, Verdict
from advisor.snapshot import ResultSnapshot, answer_change

BREAK_EVEN_VOLUME_FIGURE = "break_even_volume_multiplier_"


def build_snapshot(
    *,
    answers: Mapping[str, Any],
    ruleset: Ruleset | None = None,
    uncertainty: bool = True,
    catalog: CatalogSnapshot | None = None,
    what_would_change: bool = True,
    growth_range: Triangle | None = None,
) -> ResultSnapshot:
    """Score ``answers`` (raw or typed) with ``ruleset`` (the current one by default).

    The one place a result is made: advice, costs, the uncertainty figures
    (unless ``uncertainty`` is False) and "what would change this answer"
    (single-answer flips and assumption crossings). Raises
    :class:`advisor.rules.services.InvalidAnswers` for answers that do not
    fit, and its subclass ``AnswersBeyondTheModel`` naming the answer when
    the arithmetic of the projection or the flips overflows. ``catalog`` is
    the request's catalog snapshot, read here once when not given. Without
    ``what_would_change`` the single-answer flips (most of the time after
    the Monte Carlo) are left out: a scenario variant shows none. ``growth_range`` is a
    growth rate fitted from a short usage history with the fit's range (decision model v3).
    """
    ruleset = ruleset or current_ruleset()
    catalog = catalog or catalog_snapshot()
    parsed = parse_answers_for(ruleset, answers, catalog=catalog)
    if not parsed.ok:
        raise InvalidAnswers(parsed)
    return computed_or_field_error(
        parsed.answers,
        question_specs(ruleset),
        lambda given: _build(
            ruleset=ruleset,
            answers=given,
            uncertainty=uncertainty,
            catalog=catalog,
            flips=what_would_change,
            growth_range=growth_range,
        ),
    )


def result_snapshot(
    *,
    ruleset: Ruleset,
    answers: Mapping[str, Any],
    catalog: CatalogSnapshot | None = None,
    growth_range: Triangle | None = None,
) -> dict[str, Any]:
    """:func:`build_snapshot` as the JSON an assessment stores."""
    return build_snapshot(
        ruleset=ruleset, answers=answers, catalog=catalog, growth_range=growth_range
    ).to_dict()


def advice_json(snapshot: ResultSnapshot) -> dict[str, Any]:
    """The JSON object of ``manage.py evaluate --format json`` and of the API's results.

    One definition for both (design.md, "Contract: command line"): the
    command prints it, the API answers with it, so they cannot drift apart.
    """
    return snapshot.to_dict()


def advice_json_text(snapshot: ResultSnapshot) -> str:
    """:func:`advice_json` as the text both print (UTF-8, not ASCII-escaped)."""
    return json.dumps(advice_json(snapshot), ensure_ascii=False)


def _build(
    *,
    ruleset: Ruleset,
    answers: Mapping[str, Any],
    uncertainty: bool,
    catalog: CatalogSnapshot,
    flips: bool = True,
    growth_range: Triangle | None = None,
) -> ResultSnapshot:
    advice = advice_for_answers(
        answers=answers,
        ruleset=ruleset,
        uncertainty=uncertainty,
        catalog=catalog,
        growth_range=growth_range,
    )
    answer_flips = (
        _flips(
            ruleset, advice.answers, catalog, given=frozenset(answers), growth_range=growth_range
        )
        if flips
        else []
    )
    data = advice.to_dict()
    data["snapshot_version"] = 2
    data["what_would_change"] = [
        answer_change(flip.key, flip.value, flip.description, flip.recommendation).to_dict()
        for flip in answer_flips
    ] + data["what_would_change"]
    data["computed_at"] = timezone.now().isoformat()
    return ResultSnapshot.from_dict(data)


def _flips(
    ruleset: Ruleset,
    answers: Mapping[str, Any],
    catalog: CatalogSnapshot | None = None,
    *,
    given: frozenset[str] | None = None,
    growth_range: Triangle | None = None,
) -> list[sensitivity.Flip]:
    """The single answers that flip the recommendation, scored in one batch.

    The answers are typed and complete (defaults applied) and no variation
    touches the catalog choices, so one set of assumptions serves them all.
    The projection (its break-even solves are most of the cost) depends only
    on the workload part of the answers: most variations leave it as it is,
    so each distinct workload is projected once, and the recommendations of
    all variations come from one ``evaluate_recommendations`` call (rules
    that read only answers are evaluated once per distinct answers).
    ``growth_range`` (v3) is the result's fitted growth range: every variation is
    decided on the same uncertainty as the result (no variation changes the growth).
    """
    compiled = compiled_ruleset(ruleset)
    assumptions = assumptions_for(answers=answers, catalog=catalog)
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
        offer = open_api_offer(catalog or catalog_snapshot(), assumptions)
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

        return sensitivity.flips_batched(answers, question_specs(ruleset), decide_each)

    def recommend_all(variants: Sequence[Mapping[str, Any]]) -> list[str | None]:
        return evaluate_recommendations(
            compiled,
            [{**variant, **facts} for variant in variants],
            [figures_of(variant) for variant in variants],
        )

    return sensitivity.flips_batched(answers, question_specs(ruleset), recommend_all)


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
