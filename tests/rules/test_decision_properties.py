"""Decision model v2 over the seeded ruleset: properties (hypothesis) and the volume sweep.

Answers are drawn as in ``test_properties`` (every seeded question, answered
or left to its default).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from advisor.advice import Advice, model_facts
from advisor.costs.services import assumptions_for
from advisor.rules.answers import apply_defaults
from advisor.rules.engine import evaluate, evaluate_recommendations
from advisor.rules.services import (
    advice_for_answers,
    catalog_facts,
    compiled_ruleset,
    current_ruleset,
    parse_answers_for,
    question_specs,
)
from tests.rules.test_properties import SETTINGS, answers_strategy
from tests.rules.test_scenarios import SCENARIOS, load

# Decision model v2 (score points): the seeded v5 ruleset, made current.
pytestmark = pytest.mark.usefixtures("v2_current")

# The seeded cost-evidence rule scores 6 x log of each option's cost ratio
# (rule cost-evidence-in-proportion, fixtures/24-ruleset-brief-2026-v5.json).
COST_WEIGHT = 6.0
FOLLOW_UPS = {
    "hipaa": ("hipaa_baa_sufficient", "hipaa"),
    "fedramp": ("fedramp_authorized_available", "fedramp"),
}


def cost_order(advice: Advice) -> list[str]:
    excluded = advice.evaluation.excluded
    allowed = [option for option in ("api", "self_host", "hybrid") if option not in excluded]
    return sorted(allowed, key=lambda option: advice.projection.options[option].tco_usd)


def log_ratio(advice: Advice, option: str) -> float:
    options = advice.projection.options
    return math.log(options[option].tco_usd / options["api"].tco_usd)


@pytest.mark.django_db
@settings(SETTINGS, max_examples=20)
@given(answers=answers_strategy())
def test_one_percent_more_queries_moves_scores_only_through_the_costs(
    seeded: None, answers: dict[str, Any]
) -> None:
    """No cliff: a 1 % step changes each score by at most the cost evidence's move.

    So the recommendation can only change in that step where the cost
    ordering of the allowed options changes, or where the two options were
    already closer than the step's cost move (a smooth crossing, not a
    threshold rule firing). Unrounded figures (the JSON rounds to cents).
    """
    # From 1,000 (below, a query is noise) to a step under the 10^12 bound.
    queries = min(max(answers["monthly_queries"], 1000), 10**12 // 102 * 100)
    answers = {**answers, "monthly_queries": queries}
    before = advice_for_answers(answers=answers)
    raised = {**answers, "monthly_queries": math.ceil(answers["monthly_queries"] * 1.01)}
    after = advice_for_answers(answers=raised)
    if min(before.projection.options["api"].tco_usd, after.projection.options["api"].tco_usd) <= 0:
        return  # a free API model: no cost ratio to score
    old_scores, new_scores = before.evaluation.scores, after.evaluation.scores
    moves = {
        option: COST_WEIGHT * abs(log_ratio(after, option) - log_ratio(before, option))
        for option in ("self_host", "hybrid")
    }
    # The API's "no specific reason" weight fades with the cheaper ratio (v3).
    moves["api"] = max(moves.values())
    for option, moved in moves.items():
        change = abs(new_scores[option] - old_scores[option])
        assert change <= moved + 1e-9, (option, change, moved)
    old, new = before.recommendation, after.recommendation
    flipped = old != new and old is not None and new is not None
    if flipped and cost_order(before) == cost_order(after):
        margin = old_scores[old] - old_scores[new]
        assert margin <= moves[old] + moves[new] + 1e-9


@pytest.mark.django_db
@settings(SETTINGS, max_examples=25)
@given(answers=answers_strategy())
def test_every_reason_for_favours_the_recommendation(seeded: None, answers: dict[str, Any]) -> None:
    result = advice_for_answers(answers=answers).to_dict()
    recommendation = result["recommendation"]
    assert recommendation not in result["excluded"]
    assert 0.0 <= result["confidence"] <= 1.0
    effects = {hit["code"]: hit["effect"] for hit in result["fired_rules"]}
    asked = [step for step in result["decision"] if step["asked"]]
    for code in result["reasons"]["for"]:
        assert any(favours(effects[code], step) > 0 for step in asked), code
    for code in result["reasons"]["against"]:
        assert any(favours(effects[code], step) < 0 for step in asked), code
    assert not set(result["reasons"]["for"]) & set(result["reasons"]["against"])


def favours(effect: dict[str, Any], step: dict[str, Any]) -> float:
    """How much an effect favours the step's answer over its alternative (inf: excludes it)."""
    answer, alternative = step["answer"], step["alternative"]
    deltas = effect["score_deltas"]
    if alternative is None:
        return math.inf if effect["excludes"] else deltas.get(answer, 0.0)
    if alternative in effect["excludes"]:
        return math.inf
    return deltas.get(answer, 0.0) - deltas.get(alternative, 0.0)


@pytest.mark.django_db
@settings(SETTINGS, max_examples=15)
@given(answers=answers_strategy(), regime=st.sampled_from(sorted(FOLLOW_UPS)))
def test_an_unknown_follow_up_gives_lower_confidence_than_either_answer(
    seeded: None, answers: dict[str, Any], regime: str
) -> None:
    """An open check counts a world only if the decision holds whichever way it turns out.

    So it never reads surer than knowing the answer, and strictly less sure
    when the answer decides between options (a gate). Equal only where the
    check cannot change the decision in any world (another gate decides).
    The comparison holds while this is the only open check: with a second
    one left open (a residency region not yet checked, say), a known answer
    can recommend another option, whose confidence measures something else.
    """
    key, code = FOLLOW_UPS[regime]
    regimes = sorted({*answers.get("regimes", []), code})
    base = {**answers, "regimes": regimes}
    unknown = advice_for_answers(answers={**base, key: "unknown"}).to_dict()
    known = [advice_for_answers(answers={**base, key: value}).to_dict() for value in ("yes", "no")]
    assume(not any(result["costs"]["uncertainty"]["open_checks"] for result in known))
    confidences = [result["confidence"] for result in known]
    assert 0.0 <= unknown["confidence"] <= 1.0
    assert key in [question["key"] for question in unknown["open_questions"]]
    assert key in unknown["costs"]["uncertainty"]["open_checks"]
    assert unknown["confidence"] <= min(confidences)
    if known[0]["recommendation"] != known[1]["recommendation"]:
        assert unknown["confidence"] < min(confidences) or min(confidences) == 0


def typed_answers(raw: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    ruleset = current_ruleset()
    parsed = parse_answers_for(ruleset, raw)
    assert parsed.ok, parsed.errors
    assumptions = assumptions_for(answers=parsed.answers)
    facts = catalog_facts(assumptions, answers=parsed.answers)
    typed = apply_defaults(parsed.answers, question_specs(ruleset), facts)
    return {**typed, **model_facts(assumptions)}, assumptions


def test_fast_rescoring_agrees_with_evaluate_on_the_scenario_library(seeded: None) -> None:
    compiled = compiled_ruleset(current_ruleset())
    answers_list, figures_list = [], []
    for path in SCENARIOS:
        raw = load(path)["answers"]
        answers, _assumptions = typed_answers(raw)
        figures = advice_for_answers(answers=raw).projection.derived_figures()
        answers_list.append(answers)
        figures_list.append(figures)
    fast = evaluate_recommendations(compiled, answers_list, figures_list)
    assert fast == [
        evaluate(compiled, a, f).recommendation
        for a, f in zip(answers_list, figures_list, strict=True)
    ]
    assert {"api", "self_host", "hybrid"} <= set(fast)


def test_fast_rescoring_agrees_with_evaluate_on_random_draws(seeded: None) -> None:
    """Draws as the Monte Carlo makes them: the answers fixed, the figures drawn."""
    compiled = compiled_ruleset(current_ruleset())
    rng = np.random.default_rng(12)
    rows = []
    for path in SCENARIOS[:8]:
        raw = load(path)["answers"]
        answers, _assumptions = typed_answers(raw)
        base = advice_for_answers(answers=raw).projection.derived_figures()
        for _ in range(25):
            drawn = dict(base)
            for name in ("tco_ratio_self_host", "tco_ratio_hybrid"):
                if drawn[name] is not None:
                    drawn[name] = float(drawn[name] * rng.lognormal(0, 0.8))
            rows.append((answers, drawn))
    fast = evaluate_recommendations(compiled, [a for a, _ in rows], [f for _, f in rows])
    assert fast == [evaluate(compiled, a, f).recommendation for a, f in rows]
    assert len(set(fast)) >= 2


SWEEP = [round(float(q)) for q in np.logspace(5, 9, 60)]


def sweep() -> list[tuple[int, str | None, float, float | None, float | None]]:
    rows = []
    for queries in SWEEP:
        advice = advice_for_answers(
            answers={
                "monthly_queries": queries,
                "load_pattern": "steady",
                "has_production_data": True,
            }
        )
        figures = advice.projection.derived_figures()
        rows.append(
            (
                queries,
                advice.recommendation,
                advice.evaluation.confidence,
                figures["tco_ratio_self_host"],
                figures["tco_ratio_hybrid"],
            )
        )
    return rows


def test_the_volume_sweep_changes_the_recommendation_at_most_twice(seeded: None) -> None:
    rows = sweep()
    recommendations = [row[1] for row in rows]
    changes = sum(1 for a, b in itertools.pairwise(recommendations) if a != b)
    assert changes <= 2, recommendations
    assert recommendations[0] == "api"  # 100K a month: the API math wins
    assert recommendations[-1] in ("self_host", "hybrid")  # 1B steady: run your own
    table = Path(__file__).resolve().parents[2] / "artifacts" / "sweep-monthly-queries.md"
    table.parent.mkdir(exist_ok=True)
    lines = [
        "| monthly queries | recommendation | engine confidence | self-host/API | hybrid/API |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {q:,} | {rec} | {conf:.2f} | {sh:.3f} | {hy:.3f} |" for q, rec, conf, sh, hy in rows
    ]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
