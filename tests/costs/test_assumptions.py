"""The cost model's inputs: answers to a workload, like-for-like tiers, the assumptions table.

The figures (tests/figures.py) are test data chosen for easy arithmetic, not the catalog's.
"""

from __future__ import annotations

import pytest

from advisor.costs.assumptions import (
    Workload,
    like_for_like_tier,
    workload_from_answers,
)
from tests.figures import SOURCE, make_assumptions


def test_workload_from_answers_takes_defaults_and_converts() -> None:
    workload = workload_from_answers(
        {"monthly_queries": "2000000", "customer_facing": "false", "horizon_months": 24.0}
    )

    assert workload == Workload(monthly_queries=2_000_000, customer_facing=False, horizon_months=24)


def test_workload_refuses_unknown_load_pattern() -> None:
    with pytest.raises(ValueError, match="load_pattern"):
        workload_from_answers({"monthly_queries": 1, "load_pattern": "bursty"})


@pytest.mark.parametrize(
    ("api_tier", "open_tier"), [("small", "small"), ("mid", "mid"), ("frontier", "mid")]
)
def test_like_for_like_tier(api_tier: str, open_tier: str) -> None:
    assert like_for_like_tier(api_tier) == open_tier


def test_assumption_rows_carry_sources_and_dates() -> None:
    rows = make_assumptions(sources={"engineer_monthly_cost_usd": SOURCE}).rows()

    engineer = next(row for row in rows if row.unit == "USD/month")
    assert (engineer.value, engineer.source, engineer.as_of) == (
        "20,000",
        "test figures",
        SOURCE.as_of.isoformat(),
    )
    assert rows[0].label == "API model: API"
