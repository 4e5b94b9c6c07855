from __future__ import annotations

import json
from datetime import date

import pytest

from advisor.advice import Advice
from advisor.rules.services import advice_for_answers
from advisor.snapshot import AssumptionRow
from tests.rules.conftest import CONTRACT_KEYS


def test_to_dict_is_the_cli_contract_and_json_serialisable(seeded: None) -> None:
    advice = advice_for_answers(answers={"monthly_queries": 5_000_000, "regimes": ["hipaa"]})
    result = advice.to_dict()
    assert tuple(result)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert json.loads(json.dumps(result)) == result
    # The projection's figures, with the uncertainty analysis's added beside them;
    # under v3 the series shown (and the break-even months read from them) are the
    # adjusted median paths, which end on the adjusted TCO.
    projected = advice.projection.to_dict()
    plain = {"options", "variants", "break_even_month"}
    shown = {"monthly_usd", "cumulative_usd", "components"}
    assert {key: result["costs"][key] for key in projected if key not in plain} == {
        key: value for key, value in projected.items() if key not in plain
    }
    for option, figures in [*projected["options"].items(), *projected["variants"].items()]:
        stored = result["costs"]["options"].get(option) or result["costs"]["variants"][option]
        kept = {key: value for key, value in figures.items() if key not in shown}
        assert kept.items() <= stored.items()
        assert set(stored["tco_usd_range"]) == {"p10", "p50", "p90"}
        if "adjusted_tco_usd" in stored:
            assert stored["cumulative_usd"][-1] == stored["adjusted_tco_usd"]
    # Under v3, over the allowed options the verdict costed (the hosted open model too).
    assert set(result["costs"]["probability_cheapest"]) == {
        "api",
        "open_api",
        "self_host",
        "hybrid",
    }
    assert sum(result["costs"]["probability_cheapest"].values()) == pytest.approx(1.0)
    assert result["answers"]["regimes"] == ["hipaa"]  # tuples become lists


def test_fired_rules_carry_their_effect_and_source(seeded: None) -> None:
    result = advice_for_answers(
        answers={"monthly_queries": 5_000_000, "data_residency": "on_premises"}
    ).to_dict()
    rule = result["fired_rules"][0]  # exclusions first
    assert rule["code"] == "residency-on-premises"
    # Decision model v3: a gate, no score points; the hosted open model is a third party too.
    assert rule["effect"] == {"score_deltas": {}, "excludes": ["api", "open_api", "hybrid"]}
    assert rule["source"].startswith("Brief, ")
    assert result["excluded_by"] == {
        "api": ["residency-on-premises"],
        "open_api": ["residency-on-premises"],
        "hybrid": ["residency-on-premises"],
    }


def test_assumptions_table_is_dated_and_sourced(seeded: None) -> None:
    advice = advice_for_answers(answers={"monthly_queries": 1_000_000})
    assert advice.assumptions
    assert all(line.source for line in advice.assumptions)
    rows = advice.to_dict()["assumptions"]
    assert {"label", "value", "unit", "source", "as_of", "source_url", "judgement", "range"} == set(
        rows[0]
    )
    assert any(row["as_of"] for row in rows)


def test_assumption_line_serialises_dates() -> None:
    line = AssumptionRow("GPU", "2.99", "USD/hour", "GPU clouds", date(2026, 1, 5))
    assert line.to_dict()["as_of"] == "2026-01-05"
    assert AssumptionRow("x", "1", "", "s", None).to_dict()["as_of"] is None


def test_advice_exposes_the_recommendation(seeded: None) -> None:
    advice = advice_for_answers(answers={"monthly_queries": 1_000_000})
    assert isinstance(advice, Advice)
    # At 1M a month a per-token API: the commercial one or a hosted open model.
    assert advice.recommendation == advice.evaluation.recommendation
    assert advice.recommendation in ("api", "open_api")
    assert advice.ruleset_name == "brief-2026"
