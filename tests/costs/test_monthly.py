"""Month by month: GPUs owned or reserved, the ramp, staff, overhead, trends, the planner.

The figures (tests/figures.py) are test data chosen for easy arithmetic, not the catalog's.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from advisor.costs.monthly import planned
from advisor.costs.projection import project
from tests.costs.workloads import (
    TEN_PER_SECOND,
    internal_workload,
    owned_assumptions,
    steady_workload,
)
from tests.figures import make_assumptions


def test_owned_hardware_is_whole_servers_depreciated_with_power_and_colocation() -> None:
    # 2 replicas x 2 GPUs = 4 GPUs -> one 8-GPU server, all 8 billed.
    # Depreciation 8 x $24,000 / 48 = $4,000; power 8 x 0.75 kW = 6 kW
    # x 730 h x PUE 1.5 x $0.10 = $657; colocation 6 kW x $200 = $1,200.
    workload = internal_workload(customer_facing=True, gpu_pricing="owned")

    self_host = project(workload, owned_assumptions()).options["self_host"]

    assert self_host.components["gpus"][0] == pytest.approx(5_857.00)
    assert self_host.gpus_per_month[0] == 8


def test_owned_fleet_never_shrinks_when_volume_falls() -> None:
    workload = internal_workload(
        monthly_queries=TEN_PER_SECOND, monthly_growth_pct=-30, gpu_pricing="owned"
    )

    gpus = project(workload, owned_assumptions()).options["self_host"].gpus_per_month

    assert list(gpus) == sorted(gpus)  # bought servers stay
    assert gpus[0] > 8


def test_reserved_gpus_take_the_discount_for_the_whole_term() -> None:
    # 4 GPUs x $2/h x (1 - 40 %) x 730 h = $3,504 a month.
    workload = internal_workload(gpu_pricing="reserved_1y")
    assumptions = make_assumptions(build_out_months=0, reserved_1y_discount_pct=40)

    gpus = project(workload, assumptions).options["self_host"].components["gpus"]

    assert gpus == pytest.approx((3_504.00,) * 12)


def test_migration_ramp_pays_the_api_for_traffic_not_yet_moved() -> None:
    # API price $0.003 x 1M = $3,000 a month. Build-out months 1-2: all on the API;
    # then a 3-month ramp moves 1/4, 2/4, 3/4; from month 6 nothing is left on the API.
    assumptions = make_assumptions(build_out_months=2, migration_ramp_months=3)

    api = project(internal_workload(), assumptions).options["self_host"].components["api_tokens"]

    assert api[:7] == pytest.approx((3_000, 3_000, 2_250, 1_500, 750, 0, 0))


def test_customer_facing_service_adds_on_call_cover_once_in_production() -> None:
    # Min fleet 4 GPUs (under the 8 the base engineer covers): 1 engineer,
    # + 1.5 on call when customer-facing and in production, x $20,000.
    assumptions = make_assumptions(build_out_months=1, on_call_fte=1.5)

    facing = project(internal_workload(customer_facing=True), assumptions).options["self_host"]
    internal = project(internal_workload(customer_facing=False), assumptions).options["self_host"]

    assert facing.components["operations"][:2] == pytest.approx((20_000, 50_000))
    assert internal.components["operations"][:2] == pytest.approx((20_000, 20_000))


def test_staff_grow_with_the_fleet() -> None:
    # 10 q/s steady at 0.6 busy seconds: 12 replicas x 2 = 24 GPUs;
    # 1 + (24 - 8) / 32 = 1.5 engineers + 1 on call = 2.5 x $20,000 = $50,000.
    assumptions = make_assumptions(build_out_months=0, on_call_fte=1)

    self_host = project(steady_workload(), assumptions).options["self_host"]

    assert self_host.components["operations"][0] == pytest.approx(50_000)


def test_hybrid_overhead_does_not_fall_when_self_host_staffing_rises() -> None:
    workload = internal_workload()
    small_team = project(workload, make_assumptions(operations_fte_self_host=1))
    large_team = project(workload, make_assumptions(operations_fte_self_host=3))

    # 30 % x $240,000 x 50 % over 12 months = $3,000 a month, whatever self-hosting's staff.
    for projection in (small_team, large_team):
        assert projection.options["hybrid"].components["overhead"][0] == pytest.approx(3_000)


def test_infrastructure_is_a_share_of_gpu_spend() -> None:
    assumptions = make_assumptions(build_out_months=0, infrastructure_pct_of_gpu=15)

    self_host = project(internal_workload(), assumptions).options["self_host"]

    # 4 GPUs x $2 x 730 = $5,840; 15 % = $876.
    assert self_host.components["infrastructure"][0] == pytest.approx(876.00)


def test_price_trends_apply_month_by_month() -> None:
    assumptions = make_assumptions(
        build_out_months=0, api_price_trend_pct_per_year=-50, gpu_price_trend_pct_per_year=-20
    )
    workload = internal_workload(horizon_months=24)

    projection = project(workload, assumptions)

    api = projection.options["api"].monthly_usd
    assert api[12] == pytest.approx(api[0] * 0.5)
    assert api[6] == pytest.approx(api[0] * 0.5**0.5)
    gpus = projection.options["self_host"].components["gpus"]
    assert gpus[12] == pytest.approx(gpus[0] * 0.8)


def test_the_planner_picks_the_cheapest_candidate_and_keeps_the_others() -> None:
    base = make_assumptions()
    slow = replace(base.self_host_model, key="slow", output_tokens_per_second=200)
    fast = replace(base.self_host_model, key="fast", output_tokens_per_second=4000)
    assumptions = replace(base, self_host_model=slow, self_host_candidates=(slow, fast))

    chosen = planned(steady_workload(), assumptions)

    assert chosen.self_host_model.key == "fast"
    assert chosen.self_host_candidates == (slow, fast)
    assert project(steady_workload(), assumptions).options["self_host"].profile == "fast"
