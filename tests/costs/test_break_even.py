"""The break-even volume solver: where an option's TCO meets the API's, and when there is none.

The figures (tests/figures.py) are test data chosen for easy arithmetic, not the catalog's.
"""

from __future__ import annotations

from dataclasses import replace

from advisor.costs.break_even import break_even_volume_multiplier
from advisor.costs.prices import ApiModelPrice
from advisor.costs.projection import project
from tests.costs.workloads import steady_workload
from tests.figures import SOURCE, make_assumptions


def test_break_even_volume_multiplier_is_where_tco_meets_the_api() -> None:
    workload, assumptions = steady_workload(monthly_queries=1_000_000), make_assumptions()

    multiplier = break_even_volume_multiplier("self_host", workload, assumptions)

    assert multiplier is not None
    at = project(replace(workload, monthly_queries=round(1_000_000 * multiplier)), assumptions)
    below = project(
        replace(workload, monthly_queries=round(1_000_000 * multiplier * 0.99)), assumptions
    )
    assert at.options["self_host"].tco_usd <= at.options["api"].tco_usd * (1 + 1e-4)
    assert below.options["self_host"].tco_usd > below.options["api"].tco_usd


def test_no_break_even_volume_when_the_option_never_catches_up() -> None:
    free_api = ApiModelPrice("free", "Free", "test", "mid", 0.0, 0.0, SOURCE)
    assumptions = make_assumptions(api_model=free_api)

    assert break_even_volume_multiplier("self_host", steady_workload(), assumptions) is None
    projection = project(steady_workload(), assumptions)
    assert projection.break_even_month["self_host"] is None
    assert projection.derived_figures()["tco_ratio_self_host"] is None


def test_no_break_even_volume_without_volume() -> None:
    workload = steady_workload(monthly_queries=0)

    assert break_even_volume_multiplier("hybrid", workload, make_assumptions()) is None
