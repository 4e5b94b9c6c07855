"""What would change a v3 verdict: the volume at which the actual runner-up would win."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.reports.report_sections import what_would_change
from advisor.rules.services import advice_for_answers
from advisor.snapshot import ResultSnapshot
from advisor.wording import volume

MEASURED = {"load_pattern": "steady", "has_production_data": True}


def result_for(monthly_queries: int, **answers: Any) -> dict[str, Any]:
    # With the uncertainty figures, as a result is made ("what would change" is among them).
    return advice_for_answers(
        answers={"monthly_queries": monthly_queries, **MEASURED, **answers}
    ).to_dict()


@pytest.mark.parametrize(
    ("monthly_queries", "answers"),
    [
        (1_000_000, {}),
        (150_000, {}),
        (300_000_000, {"frontier_capability": "required"}),
    ],
)
def test_each_crossing_names_what_would_win_there(
    seeded: None, monthly_queries: int, answers: dict[str, Any]
) -> None:
    result = result_for(monthly_queries, **answers)
    crossings = result["costs"]["volume_crossings"]
    assert crossings, "a crossing within 1 % to 100 times today's volume"
    for crossing in crossings:
        assert crossing["instead_of"] == result["recommendation"]
        assert crossing["recommendation"] != result["recommendation"]
        assert crossing["recommendation"] not in result["excluded"]
        # Never today's value as the change.
        assert volume(crossing["monthly_queries"]) != volume(monthly_queries)
        # Deciding again a little beyond the crossing gives the option it names.
        factor = 1.25 if crossing["direction"] == "above" else 0.8
        beyond = result_for(round(crossing["monthly_queries"] * factor), **answers)
        assert beyond["recommendation"] == crossing["recommendation"], crossing["text"]
    # The page says it in those words, and nothing of the API-only break-even.
    change = what_would_change(ResultSnapshot.from_dict(result))
    assert change.volume == tuple(crossing["text"] for crossing in crossings)
    assert change.volume_ranges == ()
    assert not any("break even with the API" in sentence for sentence in change.volume)


def test_the_hosted_open_model_is_a_runner_up_like_any_other(seeded: None) -> None:
    result = result_for(150_000)
    named = {crossing["recommendation"] for crossing in result["costs"]["volume_crossings"]}
    named.add(result["recommendation"])
    assert "open_api" in named


def test_no_crossing_is_said_plainly(seeded: None) -> None:
    result = result_for(5_000_000, regimes=["hipaa"], hipaa_baa_sufficient="no")
    assert result["costs"]["volume_crossings"] == []
    assert what_would_change(ResultSnapshot.from_dict(result)).volume == (
        "No monthly volume from 1 % to 100 times today's would change the recommendation.",
    )
