"""The uncertainty analysis: determinism, ordering, probabilities, exactness at zero width.

Pure tests use the hand-made figures of tests/figures.py, with ranges; the
confidence tests use the seeded ruleset and catalog through ``advice_for_answers``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from advisor.costs.assumptions import Assumptions, Workload
from advisor.costs.monthly import triangular_quantile
from advisor.costs.prices import ApiModelPrice, GpuPrice, ServingProfile
from advisor.costs.projection import project
from advisor.costs.uncertainty import (
    DEFAULT_ANSWER_RANGES,
    TORNADO_ROWS,
    analyse,
)
from advisor.options import OPTIONS
from advisor.rules.preview import SCENARIOS_DIR
from advisor.rules.services import advice_for_answers
from tests.figures import SOURCE, make_assumptions

GPU = GpuPrice("gpu", "GPU", 2.0, SOURCE, usd_per_hour_low=1.5, usd_per_hour_high=3.0)
ALL_ANSWERS = frozenset({"load_pattern", *(answer.key for answer in DEFAULT_ANSWER_RANGES)})


# This module's figures, over the shared ones: GPU and assumption ranges to draw over.
RANGED: dict[str, Any] = {
    "api_model": ApiModelPrice("api", "API", "test", "mid", 2e-6, 8e-6, SOURCE),
    "self_host_model": ServingProfile("big", "Big", "mid", 70, 2, GPU, 3000, 12000, SOURCE),
    "small_model": ServingProfile("small", "Small", "small", 8, 1, GPU, 9000, 40000, SOURCE),
    "target_utilization_pct": 70,
    "peak_factor_steady": 1.5,
    "on_call_fte": 1,
    "serving_efficiency_pct": 50,
    "ranges": {
        "engineer_monthly_cost_usd": (15_000, 30_000),
        "first_year_overhead_pct": (20, 40),
        "serving_efficiency_pct": (30, 70),
        "api_price_trend_pct_per_year": (-40, 0),
    },
}


def ranged_assumptions(**overrides: Any) -> Assumptions:
    return make_assumptions(**{**RANGED, **overrides})


WORKLOAD = Workload(monthly_queries=40_000_000, load_pattern="steady")


def test_the_same_answers_give_the_same_figures() -> None:
    first = analyse(WORKLOAD, ranged_assumptions(), given=frozenset({"monthly_queries"}))
    second = analyse(WORKLOAD, ranged_assumptions(), given=frozenset({"monthly_queries"}))

    assert first.to_dict() == second.to_dict()


def test_percentiles_are_ordered() -> None:
    result = analyse(WORKLOAD, ranged_assumptions(), given=frozenset({"monthly_queries"}))

    for option in OPTIONS:
        spread = result.tco_range[option]
        assert spread.p10 <= spread.p50 <= spread.p90
        assert spread.p10 < spread.p90  # the ranges are not empty
    low, high = result.cumulative_band["api"]
    assert all(a <= b for a, b in zip(low, high, strict=True))


def test_probabilities_of_the_allowed_options_sum_to_one() -> None:
    everything = analyse(WORKLOAD, ranged_assumptions(), given=frozenset())
    gated = analyse(WORKLOAD, ranged_assumptions(), given=frozenset(), excluded=frozenset({"api"}))

    assert sum(everything.probability_cheapest.values()) == pytest.approx(1.0)
    assert set(gated.probability_cheapest) == {"self_host", "hybrid"}
    assert sum(gated.probability_cheapest.values()) == pytest.approx(1.0)


def test_ranges_narrowed_to_their_base_give_the_point_projection_exactly() -> None:
    fixed_gpu = replace(GPU, usd_per_hour_low=2.0, usd_per_hour_high=2.0)
    base = ranged_assumptions()
    assumptions = ranged_assumptions(
        ranges={},
        self_host_model=replace(base.self_host_model, gpu=fixed_gpu),
        small_model=replace(base.small_model, gpu=fixed_gpu),
    )
    point = project(WORKLOAD, assumptions)

    result = analyse(WORKLOAD, assumptions, given=ALL_ANSWERS)

    for option in OPTIONS:
        spread = result.tco_range[option]
        tco = point.options[option].tco_usd
        assert spread.p10 == spread.p50 == spread.p90 == pytest.approx(tco, rel=1e-12)
    assert result.sensitivity == ()


def test_given_answers_are_held_fixed_and_defaults_are_drawn() -> None:
    given = frozenset({"monthly_queries", "cached_input_share_pct"})

    result = analyse(WORKLOAD, ranged_assumptions(), given=given)

    assert "cached_input_share_pct" not in result.uncertain_answers
    assert "batch_share_pct" in result.uncertain_answers


def test_the_tornado_is_sorted_widest_first() -> None:
    result = analyse(WORKLOAD, ranged_assumptions(), given=frozenset({"monthly_queries"}))

    widths = [swing.width for swing in result.sensitivity]
    assert widths == sorted(widths, reverse=True)
    assert 0 < len(widths) <= TORNADO_ROWS
    top = result.sensitivity[0]
    assert set(top.tco_usd) == set(OPTIONS)


def test_the_build_out_is_labelled_by_who_carries_its_traffic() -> None:
    assumptions = ranged_assumptions(ranges={"build_out_months": (2, 6)})
    labels = {}
    for api_bridge in (True, False):
        workload = replace(WORKLOAD, api_bridge=api_bridge)
        result = analyse(workload, assumptions, given=ALL_ANSWERS)
        (swing,) = [s for s in result.sensitivity if s.key == "build_out_months"]
        labels[api_bridge] = swing.label
    assert labels == {
        True: "Build-out before production (API still paid)",
        False: "Build-out before production (nothing served yet)",
    }


def test_a_gpu_price_range_that_crosses_the_cost_order_is_named() -> None:
    # Near self-hosting's break-even, the GPU price range decides which is cheaper.
    assumptions = ranged_assumptions(ranges={})
    near = replace(WORKLOAD, monthly_queries=12_000_000)

    result = analyse(near, assumptions, given=ALL_ANSWERS, recommendation="api")

    crossing = next(item for item in result.crossings if item.key == "gpu_price")
    assert crossing.direction == "below"
    assert 1.5 <= crossing.value < 2.0
    assert crossing.text.startswith("If GPU price per hour were below $")


def test_triangular_quantile_spans_low_to_high_with_the_base_as_median() -> None:
    assert triangular_quantile(0.0, 1.0, 2.0, 4.0) == pytest.approx(1.0)
    assert triangular_quantile(1.0, 1.0, 2.0, 4.0) == pytest.approx(4.0)
    assert triangular_quantile(0.5, 1.0, 2.0, 4.0) == pytest.approx(2.0)
    # Half-way up the lower triangle: 2 - 1 x (1 - sqrt(0.5)).
    assert triangular_quantile(0.25, 1.0, 2.0, 4.0) == pytest.approx(2 - (1 - 0.5**0.5))
    assert triangular_quantile(0.7, 3.0, 3.0, 3.0) == 3.0


# --- confidence through the rules (seeded catalog and ruleset) ---------------------------

SCENARIOS = sorted(SCENARIOS_DIR.glob("*.json"))


@pytest.mark.usefixtures("seeded")
@pytest.mark.usefixtures("v2_current")  # decision model v2: re-scored draws
def test_confidence_is_the_share_of_draws_keeping_the_decision() -> None:
    result = advice_for_answers(
        answers={"monthly_queries": 30_000_000, "load_pattern": "steady"}
    ).to_dict()

    assert 0.0 <= result["confidence"] <= 1.0
    assert result["confidence"] * 60 == pytest.approx(round(result["confidence"] * 60))
    costs = result["costs"]
    assert set(costs["probability_cheapest"]) <= set(OPTIONS)
    assert costs["options"]["api"]["tco_usd_range"]["p10"] <= costs["options"]["api"]["tco_usd"]
    assert costs["sensitivity"][0]["tco_usd"]["api"]["low"] >= 0


# 20M steady queries a month under HIPAA: the BAA decides between the API and self-hosting.
HIPAA_WORKLOAD: dict[str, Any] = {
    "monthly_queries": 20_000_000,
    "load_pattern": "steady",
    "regimes": ["hipaa"],
    "has_production_data": True,
}


@pytest.mark.usefixtures("seeded")
@pytest.mark.usefixtures("v2_current")  # decision model v2: re-scored draws
def test_an_unknown_follow_up_gives_lower_confidence_than_the_fact_known() -> None:
    unknown = advice_for_answers(answers={**HIPAA_WORKLOAD, "hipaa_baa_sufficient": "unknown"})
    known = [
        advice_for_answers(answers={**HIPAA_WORKLOAD, "hipaa_baa_sufficient": value})
        for value in ("yes", "no")
    ]

    assert unknown.confidence < min(advice.confidence for advice in known)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_a_default_is_no_surer_than_the_answer_given_at_its_most_favourable_value(
    path: Path,
) -> None:
    answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
    if "cached_input_share_pct" in answers:
        pytest.skip("the scenario answers it")
    defaulted = advice_for_answers(answers=answers)

    given = [
        advice_for_answers(answers={**answers, "cached_input_share_pct": value}).confidence
        for value in (0, 25, 50)
    ]

    assert defaulted.confidence <= max(given) + 1e-9


@pytest.mark.usefixtures("seeded")
@pytest.mark.usefixtures("v2_current")  # decision model v2: re-scored draws
def test_an_open_check_says_how_firm_each_answer_would_make_the_advice() -> None:
    unknown = advice_for_answers(answers={**HIPAA_WORKLOAD, "hipaa_baa_sufficient": "unknown"})
    checked = unknown.to_dict()["costs"]["uncertainty"]["if_checked"]

    assert [outcome["answers"] for outcome in checked] == [
        {"hipaa_baa_sufficient": "yes"},
        {"hipaa_baa_sufficient": "no"},
    ]
    for outcome in checked:
        known = advice_for_answers(answers={**HIPAA_WORKLOAD, **outcome["answers"]})
        assert outcome["recommendation"] == known.recommendation
        assert outcome["confidence"] == pytest.approx(known.confidence)
    assert unknown.confidence < min(outcome["confidence"] for outcome in checked)


def test_a_crossing_beside_todays_value_is_not_worded_as_a_change() -> None:
    from advisor.costs.uncertainty import Crossing

    beside = Crossing("monthly_growth_pct", "Monthly volume growth", "% per month", 0.2, "above",
                      "self_host", base=0.0)  # fmt: skip
    assert beside.text == (
        "If monthly volume growth were above 0.2% per month (today 0.0% per month), "
        "self-hosting would win."
    )
    at = Crossing("monthly_growth_pct", "Monthly volume growth", "% per month", 0.001, "above",
                  "self_host", base=0.0)  # fmt: skip
    assert at.text == (
        "If monthly volume growth were even slightly above today's 0.00% per month, "
        "self-hosting would win."
    )
