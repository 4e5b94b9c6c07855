"""Decision model v3 on the seeded ruleset and catalog: the contract and its promises.

The verdict never contradicts its own figures: the recommendation is the
allowed candidate with the lowest adjusted P50 (the API holding within the
margin), and the confidence is its chance of being best.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from advisor.rules.services import advice_for_answers
from advisor.scoring.decision import winner

CASES = [
    {"monthly_queries": 300_000},
    {"monthly_queries": 20_000_000, "has_production_data": True, "load_pattern": "steady"},
    {"monthly_queries": 60_000_000, "has_production_data": False, "load_pattern": "steady"},
    {"monthly_queries": 500_000_000, "load_pattern": "steady", "frontier_capability": "required"},
    {"monthly_queries": 5_000_000, "regimes": ["hipaa"], "hipaa_baa_sufficient": "no"},
    {"monthly_queries": 5_000_000, "regimes": ["hipaa"], "hipaa_baa_sufficient": "unknown"},
]


def evaluate_json(answers: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    out = StringIO()
    call_command("evaluate", str(path), "--format", "json", stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.mark.parametrize("answers", CASES, ids=lambda answers: json.dumps(answers)[:60])
def test_the_verdict_agrees_with_its_figures(
    answers: dict[str, Any], seeded: None, tmp_path: Path
) -> None:
    result = evaluate_json(answers, tmp_path)
    options = result["costs"]["options"]
    allowed = {
        option: figures["adjusted_tco_usd"]
        for option, figures in options.items()
        if option not in result["excluded"]
    }
    plan = result["plan"]
    if plan is not None:
        allowed["plan"] = plan["tco_usd"]
    decided = winner(allowed, result["decision_rule"]["margin_pct"])
    best = result["costs"]["probability_best"]
    if decided == "plan":
        assert plan["recommended"] and result["recommendation"] == plan["start"]
    else:
        assert result["recommendation"] == decided
    assert result["confidence"] == pytest.approx(best[decided], abs=1e-4)
    assert sum(best.values()) == pytest.approx(1.0, abs=1e-3)
    assert (result["confidence"] == 1.0) == (len(allowed) == 1)
    assert result["decision_rule"]["rule"] == "cheapest_adjusted_with_default_margin"
    assert result["costs"]["month_36_monthly_queries"] == answers["monthly_queries"]
    assert "open_api" in options and options["open_api"]["model"]
    assert options["api"]["model"] == result["answers"]["api_model"]  # a catalog key, never None


def test_an_open_check_gives_advice_for_each_answer(seeded: None, tmp_path: Path) -> None:
    result = evaluate_json(CASES[-1], tmp_path)
    branches = {branch["if"]: branch for branch in result["conditional"]}
    assert set(branches) == {"yes", "no"}
    assert branches["no"]["recommendation"] == "self_host"
    assert branches["no"]["confidence"] == 1.0
    assert result["confidence"] > 0  # never a 0 % headline
    assert branches["yes"]["recommendation"] == result["recommendation"]


def test_data_that_may_not_leave_rules_out_the_hosted_open_model(seeded: None) -> None:
    advice = advice_for_answers(
        answers={"monthly_queries": 5_000_000, "data_residency": "on_premises"},
        uncertainty=False,
    )
    assert {"api", "open_api", "hybrid"} <= set(advice.evaluation.excluded)
    assert advice.recommendation == "self_host"
    assert advice.confidence == 1.0


def test_moving_off_the_closed_api_costs_something(seeded: None) -> None:
    advice = advice_for_answers(answers={"monthly_queries": 1_000_000}, uncertainty=False)
    verdict = advice.verdict
    assert verdict is not None
    migration = {item.rule for item in verdict.options["open_api"].adjustments}
    assert "moving-off-the-closed-api-is-not-free" in migration
    assert verdict.options["api"].adjustments == ()
