"""The seeded catalog reproduces the brief (design.md, "Calibration").

Uses the fixture `manage.py seed` loads, so a price edit that breaks the
brief's figures fails here.
"""

from __future__ import annotations

import pytest

from advisor.costs.assumptions import workload_from_answers
from advisor.costs.projection import Projection, project
from advisor.costs.services import assumptions_for

pytestmark = pytest.mark.usefixtures("catalog")


def projection_for(**answers: object) -> Projection:
    return project(workload_from_answers(answers), assumptions_for(answers=answers))


@pytest.mark.parametrize("monthly_queries", [2_000_000, 5_000_000])
@pytest.mark.parametrize("api_model", [None, "gpt-4.1-mini", "gpt-4o-mini"])
@pytest.mark.parametrize("load_pattern", ["steady", "unknown"])
def test_api_wins_below_ten_million(
    monthly_queries: int, api_model: str | None, load_pattern: str
) -> None:
    # Brief: "below 10M queries/month the API math almost always wins".
    projection = projection_for(
        monthly_queries=monthly_queries, api_model=api_model, load_pattern=load_pattern
    )

    api = projection.options["api"].tco_usd
    assert api < projection.options["self_host"].tco_usd
    assert api < projection.options["hybrid"].tco_usd


def test_steady_break_even_volume_falls_between_ten_and_150_million() -> None:
    # design.md, "Cost model v2": the brief's 10M (API almost always wins
    # below) and 100M+ (steady load may amortize) bracket the break-even.
    projection = projection_for(monthly_queries=10_000_000, load_pattern="steady")

    multiplier = projection.break_even_volume_multiplier["self_host"]
    assert multiplier is not None
    assert 10_000_000 <= multiplier * 10_000_000 <= 150_000_000


def test_api_wins_clearly_below_ten_million_on_the_defaults() -> None:
    projection = projection_for(monthly_queries=5_000_000, load_pattern="steady")

    tco = {option: result.tco_usd for option, result in projection.options.items()}
    assert tco["api"] * 1.5 < min(tco["self_host"], tco["hybrid"])


@pytest.mark.parametrize("monthly_queries", [100_000_000, 300_000_000])
def test_self_hosting_or_hybrid_wins_at_high_steady_volume(monthly_queries: int) -> None:
    # Brief: "100M+ queries/month at predictable steady-state load might amortize".
    projection = projection_for(
        monthly_queries=monthly_queries, load_pattern="steady", simple_query_share_pct=80
    )

    cheapest_self_hosted = min(
        projection.options["self_host"].tco_usd, projection.options["hybrid"].tco_usd
    )
    assert cheapest_self_hosted < projection.options["api"].tco_usd


def test_hybrid_captures_most_of_the_saving_at_300_million_mostly_simple_queries() -> None:
    # Brief: the hybrid "captures most of the cost-savings benefit".
    projection = projection_for(
        monthly_queries=300_000_000, load_pattern="steady", simple_query_share_pct=80
    )

    tco = {option: result.tco_usd for option, result in projection.options.items()}
    saving_self_host = tco["api"] - tco["self_host"]
    saving_hybrid = tco["api"] - tco["hybrid"]
    assert saving_self_host > 0
    assert saving_hybrid > saving_self_host / 2


def test_choosing_a_gpu_changes_the_self_hosting_cost() -> None:
    tco = {
        gpu: projection_for(monthly_queries=100_000_000, load_pattern="steady", gpu=gpu)
        .options["self_host"]
        .tco_usd
        for gpu in ("h100-80gb", "h200", "a100-80gb", "b200", "l40s")
    }

    assert len({round(value) for value in tco.values()}) == len(tco)


def test_without_a_gpu_the_planner_picks_the_cheapest_measured_configuration() -> None:
    planned = projection_for(monthly_queries=100_000_000, load_pattern="steady")
    each = [
        projection_for(monthly_queries=100_000_000, load_pattern="steady", gpu=gpu)
        for gpu in ("h100-80gb", "h200", "a100-80gb", "b200", "l40s")
    ]

    cheapest = min(each, key=lambda projection: projection.options["self_host"].tco_usd)
    assert planned.options["self_host"].tco_usd == cheapest.options["self_host"].tco_usd
    assert planned.options["self_host"].profile == cheapest.options["self_host"].profile


def test_on_premises_data_defaults_to_owned_hardware() -> None:
    on_premises = projection_for(monthly_queries=30_000_000, data_residency="on_premises")
    cloud = projection_for(monthly_queries=30_000_000)

    assert (on_premises.gpu_pricing, cloud.gpu_pricing) == ("owned", "on_demand")
    assert on_premises.options["self_host"].tco_usd != cloud.options["self_host"].tco_usd


def test_spiky_load_pushes_break_even_up() -> None:
    # Brief: "spiky load favours per-token".
    steady = projection_for(monthly_queries=10_000_000, load_pattern="steady")
    spiky = projection_for(monthly_queries=10_000_000, load_pattern="spiky")

    # A fleet sized for a 6x peak can cost more per query than the API at any
    # volume: then there is no break-even at all (None).
    steady_multiplier = steady.break_even_volume_multiplier["self_host"]
    spiky_multiplier = spiky.break_even_volume_multiplier["self_host"]
    assert steady_multiplier is not None
    assert spiky_multiplier is None or spiky_multiplier > steady_multiplier
