"""A stored result as the scenario comparison reads it: decided totals, curves, round trip."""

from __future__ import annotations

from typing import Any

from advisor.assessments import comparison
from advisor.assessments.comparison import (
    BASE_NAME,
    ScenarioColumn,
    ScenarioOutcome,
    comparison_of,
)
from advisor.snapshot import ResultSnapshot

RESULT = {
    "recommendation": "hybrid",
    "confidence": 0.8,
    "costs": {
        "horizon_months": 3,
        "break_even_month": {"hybrid": 2, "self_host": None},
        "options": {
            "api": {"tco_usd": 300.0, "monthly_usd": [100.0, 100.0, 100.0]},
            "hybrid": {"tco_usd": 240.0, "cumulative_usd": [120.0, 180.0, 240.0]},
        },
    },
    "assumptions": [
        {"label": "API model: GPT-6.2 Sol"},
        {"label": "Self-hosted model: Llama 3.3 70B FP8 (vLLM, 2 x H100)"},
        {"label": "Hybrid small model: Llama 3.1 8B FP8 (vLLM, 1 x L4)"},
        {"label": "GPU: NVIDIA H100 80GB, on demand"},
    ],
}


def outcome_of(stored: dict[str, Any]) -> ScenarioOutcome:
    """A stored result's outcome, read as every caller reads it (through the snapshot)."""
    return comparison.outcome_of(ResultSnapshot.from_dict(stored))


def test_totals_and_curves_are_read_from_the_stored_costs() -> None:
    outcome = outcome_of(RESULT)
    assert outcome.tco_usd == {"api": 300.0, "hybrid": 240.0}
    assert not outcome.adjusted
    assert outcome.cumulative_usd["api"] == (100.0, 200.0, 300.0)  # summed from monthly
    assert outcome.recommended_curve == (120.0, 180.0, 240.0)
    assert outcome.break_even_month == {"hybrid": 2, "self_host": None}


def test_risk_adjusted_totals_count_only_when_every_option_has_one() -> None:
    options = RESULT["costs"]["options"]  # type: ignore[index]
    adjusted = {
        **RESULT,
        "costs": {
            **RESULT["costs"],  # type: ignore[dict-item]
            "options": {
                name: {**figures, "adjusted_tco_usd": 1.0} for name, figures in options.items()
            },
        },
    }
    assert outcome_of(adjusted).adjusted
    assert outcome_of(adjusted).tco_usd == {"api": 1.0, "hybrid": 1.0}


def test_an_outcome_survives_its_json_round_trip() -> None:
    outcome = outcome_of(RESULT)
    assert ScenarioOutcome.from_dict(outcome.to_dict()) == outcome


def test_without_a_recommendation_the_curve_is_the_apis() -> None:
    assert outcome_of({**RESULT, "recommendation": None}).recommended_curve == (100.0, 200.0, 300.0)


def test_each_costed_options_configuration_is_read_from_the_assumption_rows() -> None:
    # Self-hosting is not costed in this result: its row names nothing the columns show.
    assert outcome_of(RESULT).costed_on == {
        "api": "GPT-6.2 Sol",
        "hybrid": "Llama 3.1 8B FP8 (vLLM, 1 x L4)",
    }


def column(name: str, **costed_on: str) -> ScenarioColumn:
    outcome = outcome_of(RESULT)
    return ScenarioColumn(name, (), ScenarioOutcome(**{**vars(outcome), "costed_on": costed_on}), 1)


def test_the_configuration_row_shows_only_where_columns_differ() -> None:
    same = comparison_of(outcome_of(RESULT), [column("Same", **outcome_of(RESULT).costed_on)])
    assert not [row for row in same.rows if row.key.startswith("costed-on-")]
    other = column("Pilot", api="GPT-6.2 Sol", hybrid="Llama 3.1 8B FP8 (vLLM, 1 x H100)")
    rows = {row.key: row for row in comparison_of(outcome_of(RESULT), [other]).rows}
    assert [key for key in rows if key.startswith("costed-on-")] == ["costed-on-hybrid"]
    assert rows["costed-on-hybrid"].label == "Hybrid costed on"
    assert [cell.text for cell in rows["costed-on-hybrid"].cells] == [
        "Llama 3.1 8B FP8 (vLLM, 1 x L4)",
        "Llama 3.1 8B FP8 (vLLM, 1 x H100)",
    ]


def test_a_variant_stored_before_configurations_were_kept_is_no_difference() -> None:
    old = column("Old")  # no configuration recorded
    table = comparison_of(outcome_of(RESULT), [old])
    assert table.columns[0].name == BASE_NAME
    assert not [row for row in table.rows if row.key.startswith("costed-on-")]
