"""The pure cost model: worked examples to the cent, and properties (hypothesis).

The figures (tests/figures.py) are test data chosen for easy arithmetic, not the catalog's:
the calibration against the seeded catalog is in test_calibration.py.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.costs.assumptions import (
    GPU_PRICING,
    LOAD_PATTERNS,
    Assumptions,
    Workload,
)
from advisor.costs.prices import ApiModelPrice
from advisor.costs.projection import DERIVED_FIGURES, project
from advisor.options import OPTIONS
from tests.costs.workloads import (
    CACHING_API,
    TEN_PER_SECOND,
    internal_workload,
    owned_assumptions,
    steady_workload,
)
from tests.figures import SOURCE, make_assumptions

# 10 queries per second on average: 26,280,000 / (730 h x 3,600 s).


# --- worked examples ----------------------------------------------------------


def test_api_cost_is_tokens_times_price_per_token() -> None:
    # gpt-4.1 at $2 / $8 per 1M tokens, 1,500 in / 400 out:
    # 1,500 x 0.000002 + 400 x 0.000008 = 0.003 + 0.0032 = $0.0062 per query;
    # 1,000,000 queries -> $6,200 a month; 12 months -> $74,400.
    api = ApiModelPrice("gpt-4.1", "GPT-4.1", "openai", "mid", 2e-6, 8e-6, SOURCE)
    workload = Workload(monthly_queries=1_000_000, horizon_months=12)

    result = project(workload, make_assumptions(api_model=api)).options["api"]

    assert result.monthly_usd == pytest.approx((6_200.00,) * 12, abs=0.005)
    assert round(result.tco_usd, 2) == 74_400.00
    assert round(result.cost_per_1k_queries_usd, 2) == 6.20


def test_api_cost_compounds_growth_monthly() -> None:
    # 10 % a month: queries = 1M x 1.1^(m-1); the sum over 12 months is
    # 1M x (1.1^12 - 1) / 0.1 = 21,384,283.77 queries, x $0.0062 = $132,582.56.
    api = ApiModelPrice("gpt-4.1", "GPT-4.1", "openai", "mid", 2e-6, 8e-6, SOURCE)
    workload = Workload(monthly_queries=1_000_000, monthly_growth_pct=10, horizon_months=12)

    result = project(workload, make_assumptions(api_model=api)).options["api"]

    assert round(result.monthly_usd[1], 2) == 6_820.00  # 1.1M x 0.0062
    assert round(result.tco_usd, 2) == 132_582.56


def test_self_host_worked_example() -> None:
    # Busy time per query: 1,000 / 10,000 + 500 / 1,000 = 0.1 + 0.5 = 0.6 s.
    # Peak: 10 q/s x 1.4 = 14 q/s; replicas = ceil(14 x 0.6 / 0.75) = ceil(11.2) = 12.
    # GPUs: 12 x 2 = 24 -> 24 x $2 x 730 h = $35,040 a month.
    # Operations: 1 + (24 - 8) / 32 = 1.5 engineers x $20,000 = $30,000.
    # Overhead: 30 % x $240,000 = $72,000 over months 1-12 = $6,000 a month.
    # API price per query: 1,000 x $1/1M + 500 x $4/1M = $0.003 -> $78,840 a month.
    # Build-out (months 1-2): API $78,840 + 1 replica $2,920 + 1 engineer $20,000
    #   + overhead $6,000 = $107,760.
    # Months 3-12: 35,040 + 30,000 + 6,000 = $71,040. Months 13-24: $65,040.
    # TCO = 2 x 107,760 + 10 x 71,040 + 12 x 65,040 = $1,706,400.
    projection = project(steady_workload(), make_assumptions())
    self_host = projection.options["self_host"]

    assert self_host.replicas_per_month == (1, 1) + (12,) * 22
    assert round(self_host.monthly_usd[0], 2) == 107_760.00
    assert round(self_host.monthly_usd[2], 2) == 71_040.00
    assert round(self_host.monthly_usd[12], 2) == 65_040.00
    assert round(self_host.components["operations"][2], 2) == 30_000.00
    assert round(self_host.tco_usd, 2) == 1_706_400.00
    # API: 24 x 78,840 = $1,892,160. The gap after month 2 is 2 x 28,920 =
    # $57,840 and closes by 78,840 - 71,040 = $7,800 a month: 57,840 - 8 x 7,800
    # = -4,560 in month 10, still +3,240 in month 9.
    assert round(projection.options["api"].tco_usd, 2) == 1_892_160.00
    assert projection.break_even_month["self_host"] == 10


def test_hybrid_worked_example() -> None:
    # Small model: 1,000 / 20,000 + 500 / 2,000 = 0.05 + 0.25 = 0.3 s per query.
    # Simple half at peak: 10 x 1.4 x 0.5 = 7 q/s; replicas = ceil(7 x 0.3 / 0.75)
    # = ceil(2.8) = 3 -> 3 GPUs x $1 x 730 = $2,190.
    # Operations: 0.5 engineer (3 GPUs <= 8) = $10,000. API half: $39,420.
    # Overhead scaled by 0.5 / 1.0: $36,000 over 12 months = $3,000 a month.
    # Build-out: 78,840 + 730 + 10,000 + 3,000 = $92,570.
    # Months 3-12: 39,420 + 2,190 + 10,000 + 3,000 = $54,610; months 13-24: $51,610.
    # TCO = 2 x 92,570 + 10 x 54,610 + 12 x 51,610 = $1,350,560.
    projection = project(steady_workload(simple_query_share_pct=50), make_assumptions())
    hybrid = projection.options["hybrid"]

    assert hybrid.replicas_per_month[2:] == (3,) * 22
    assert round(hybrid.monthly_usd[0], 2) == 92_570.00
    assert round(hybrid.monthly_usd[2], 2) == 54_610.00
    assert round(hybrid.monthly_usd[23], 2) == 51_610.00
    assert round(hybrid.tco_usd, 2) == 1_350_560.00
    # Gap after month 2: 2 x 13,730 = 27,460, closing by 24,230 a month:
    # +3,230 in month 3, -21,000 in month 4.
    assert projection.break_even_month["hybrid"] == 4


def test_without_an_api_bridge_the_build_out_pays_no_api_tokens() -> None:
    # A compliance gate rules the API out: it cannot carry the traffic while the
    # fleet is built. The hybrid's long tail still goes to the API (its design):
    # its build-out months pay the API half only, 92,570 - 39,420 = $53,150.
    workload = steady_workload(simple_query_share_pct=50)
    bridged = project(workload, make_assumptions())
    bridgeless = project(replace(workload, api_bridge=False), make_assumptions())

    self_host, hybrid = bridgeless.options["self_host"], bridgeless.options["hybrid"]
    assert self_host.components["api_tokens"] == (0.0,) * 24
    assert round(hybrid.monthly_usd[0], 2) == 53_150.00
    assert hybrid.monthly_usd[2:] == bridged.options["hybrid"].monthly_usd[2:]
    assert bridgeless.options["api"] == bridged.options["api"]
    # Per 1,000 queries served: the two build-out months serve nothing.
    assert self_host.cost_per_1k_queries_usd == pytest.approx(
        self_host.tco_usd / (22 * TEN_PER_SECOND) * 1000
    )


def test_customer_facing_needs_two_replicas_even_without_traffic() -> None:
    workload = steady_workload(monthly_queries=0, customer_facing=True)
    internal = replace(workload, customer_facing=False)

    assert project(workload, make_assumptions()).options["self_host"].replicas_per_month[-1] == 2
    assert project(internal, make_assumptions()).options["self_host"].replicas_per_month[-1] == 1


def test_derived_figures_match_the_declared_names_and_types() -> None:
    figures = project(steady_workload(), make_assumptions()).derived_figures()

    assert set(figures) == set(DERIVED_FIGURES)
    for name, value in figures.items():
        expected = {"float": float, "integer": int}[DERIVED_FIGURES[name]]
        assert value is None or isinstance(value, expected), name


def test_to_dict_has_the_command_line_costs_shape() -> None:
    costs = project(steady_workload(), make_assumptions()).to_dict()

    assert costs["horizon_months"] == 24
    assert set(costs["options"]) == set(OPTIONS)
    for option in OPTIONS:
        entry = costs["options"][option]
        assert len(entry["monthly_usd"]) == 24
        assert {"tco_usd", "cost_per_1k_queries_usd"} <= set(entry)
    assert set(costs["break_even_month"]) == {"self_host", "hybrid"}
    assert set(costs["break_even_volume_multiplier"]) == {"self_host", "hybrid"}


# --- properties ------------------------------------------------------------------

workloads = st.builds(
    Workload,
    monthly_queries=st.integers(0, 10**12),
    avg_input_tokens=st.integers(1, 2_000_000),
    avg_output_tokens=st.integers(1, 200_000),
    load_pattern=st.sampled_from(LOAD_PATTERNS),
    monthly_growth_pct=st.floats(-50, 100),
    simple_query_share_pct=st.floats(0, 100),
    customer_facing=st.booleans(),
    horizon_months=st.integers(12, 60),
)


@given(workloads, st.integers(1, 10**9))
def test_api_cost_grows_with_volume(workload: Workload, extra: int) -> None:
    more = replace(workload, monthly_queries=workload.monthly_queries + extra)

    before = project(workload, make_assumptions(), sensitivity=False).options["api"].tco_usd
    after = project(more, make_assumptions(), sensitivity=False).options["api"].tco_usd
    assert after > before


@given(workloads, st.integers(1, 100_000), st.integers(1, 10_000))
def test_api_cost_grows_with_token_counts(workload: Workload, more_in: int, more_out: int) -> None:
    workload = replace(workload, monthly_queries=max(workload.monthly_queries, 1))
    assumptions = make_assumptions()
    base = project(workload, assumptions, sensitivity=False).options["api"].tco_usd
    longer_prompts = replace(workload, avg_input_tokens=workload.avg_input_tokens + more_in)
    longer_answers = replace(workload, avg_output_tokens=workload.avg_output_tokens + more_out)

    assert project(longer_prompts, assumptions, sensitivity=False).options["api"].tco_usd > base
    assert project(longer_answers, assumptions, sensitivity=False).options["api"].tco_usd > base


@given(workloads, st.integers(0, 20), st.floats(1, 20))
def test_more_replicas_never_cost_less(workload: Workload, extra: int, peak: float) -> None:
    low = make_assumptions()
    high = make_assumptions(
        min_replicas_customer_facing=2 + extra,
        min_replicas_internal=1 + extra,
        **{f"peak_factor_{workload.load_pattern}": low.peak_factor(workload.load_pattern) + peak},
    )
    cheap = project(workload, low, sensitivity=False)
    dear = project(workload, high, sensitivity=False)

    for option in ("self_host", "hybrid"):
        assert all(
            a <= b
            for a, b in zip(
                cheap.options[option].replicas_per_month,
                dear.options[option].replicas_per_month,
                strict=True,
            )
        )
        assert dear.options[option].tco_usd >= cheap.options[option].tco_usd


@given(workloads)
def test_break_even_month_is_where_the_cumulative_curves_cross(workload: Workload) -> None:
    projection = project(workload, make_assumptions(), sensitivity=False)
    api = projection.options["api"].cumulative_usd

    for option in ("self_host", "hybrid"):
        month = projection.break_even_month[option]
        option_cumulative = projection.options[option].cumulative_usd
        if month is None:
            assert option_cumulative[-1] > api[-1]
            continue
        later = zip(option_cumulative[month - 1 :], api[month - 1 :], strict=True)
        assert all(o <= a for o, a in later)
        if month > 1:
            assert option_cumulative[month - 2] > api[month - 2]


@given(workloads)
def test_tco_is_the_sum_of_the_monthly_series(workload: Workload) -> None:
    projection = project(workload, make_assumptions(), sensitivity=False)

    for option in OPTIONS:
        result = projection.options[option]
        assert result.tco_usd == math.fsum(result.monthly_usd)
        assert result.cumulative_usd[-1] == pytest.approx(result.tco_usd, rel=1e-9)
        for month, total in enumerate(result.monthly_usd):
            parts = math.fsum(series[month] for series in result.components.values())
            assert total == pytest.approx(parts, rel=1e-12)


@settings(max_examples=60)
@given(workloads)
def test_no_nan_or_negative_cost_for_any_valid_input(workload: Workload) -> None:
    projection = project(workload, make_assumptions())

    for option in OPTIONS:
        result = projection.options[option]
        for series in (result.monthly_usd, result.cumulative_usd, *result.components.values()):
            assert all(math.isfinite(value) and value >= 0 for value in series)
        assert math.isfinite(result.cost_per_1k_queries_usd)
        assert result.cost_per_1k_queries_usd >= 0
    for value in projection.derived_figures().values():
        assert value is None or (math.isfinite(value) and value >= 0)


# --- cost model v2: worked examples --------------------------------------------------


def test_api_with_a_router_sends_the_simple_share_to_the_mini_model() -> None:
    # Router model $0.1 / $0.4: 1,000 x 0.1e-6 + 500 x 0.4e-6 = $0.0003 a query;
    # main model $0.003. 60 % simple: 0.6 x 0.0003 + 0.4 x 0.003 = $0.00138.
    router = ApiModelPrice("mini", "Mini", "test", "small", 0.1e-6, 0.4e-6, SOURCE)
    workload = internal_workload(simple_query_share_pct=60)

    projection = project(workload, make_assumptions(router_model=router))

    variant = projection.variants["api_router"]
    assert round(variant.monthly_usd[0], 2) == 1_380.00
    assert projection.derived_figures()["tco_api_router_usd"] == pytest.approx(16_560.00)
    assert "api_router" in projection.to_dict()["variants"]
    assert project(workload, make_assumptions()).variants == {}


# --- cost model v2: properties -------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    workloads,
    st.floats(0, 100),
    st.floats(0, 100),
)
def test_more_caching_never_raises_the_api_cost(
    workload: Workload, share: float, more: float
) -> None:
    low, high = sorted((share, more))
    assumptions = make_assumptions(api_model=CACHING_API)

    def api_tco(cached: float) -> float:
        varied = replace(workload, cached_input_share_pct=cached)
        return project(varied, assumptions, sensitivity=False).options["api"].tco_usd

    assert api_tco(high) <= api_tco(low) * (1 + 1e-12)


@settings(max_examples=80, deadline=None)
@given(workloads, st.floats(1.0, 20.0), st.sampled_from(["on_demand", "reserved_3y"]))
def test_a_faster_gpu_profile_never_raises_the_self_hosting_cost(
    workload: Workload, speedup: float, pricing: str
) -> None:
    base = make_assumptions(reserved_3y_discount_pct=50)
    profile = base.self_host_model
    faster = replace(
        profile,
        output_tokens_per_second=profile.output_tokens_per_second * speedup,
        input_tokens_per_second=profile.input_tokens_per_second * speedup,
    )
    workload = replace(workload, gpu_pricing=pricing)

    def tco(assumptions: Assumptions) -> float:
        return project(workload, assumptions, sensitivity=False).options["self_host"].tco_usd

    assert tco(replace(base, self_host_model=faster)) <= tco(base) * (1 + 1e-12)


v2_workloads = st.builds(
    Workload,
    monthly_queries=st.integers(0, 10**10),
    avg_input_tokens=st.integers(0, 2_000_000),
    avg_output_tokens=st.integers(0, 200_000),
    load_pattern=st.sampled_from(LOAD_PATTERNS),
    monthly_growth_pct=st.floats(-50, 100),
    simple_query_share_pct=st.floats(0, 100),
    customer_facing=st.booleans(),
    horizon_months=st.integers(12, 60),
    cached_input_share_pct=st.floats(0, 100),
    batch_share_pct=st.floats(0, 100),
    gpu_pricing=st.sampled_from(GPU_PRICING),
)


@settings(max_examples=60, deadline=None)
@given(v2_workloads, st.floats(-60, 20), st.integers(0, 6))
def test_v2_costs_are_finite_and_non_negative(workload: Workload, trend: float, ramp: int) -> None:
    assumptions = owned_assumptions(
        build_out_months=2,
        migration_ramp_months=ramp,
        api_price_trend_pct_per_year=trend,
        gpu_price_trend_pct_per_year=trend,
        on_call_fte=1,
        infrastructure_pct_of_gpu=10,
        router_model=CACHING_API,
    )

    projection = project(workload, assumptions)

    for result in (*projection.options.values(), *projection.variants.values()):
        for series in (result.monthly_usd, *result.components.values()):
            assert all(math.isfinite(value) and value >= 0 for value in series)
