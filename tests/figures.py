"""Hand-made cost assumptions shared by the cost, uncertainty and chart tests.

The figures are test data chosen for easy arithmetic, not the catalog's: the
calibration against the seeded catalog is in tests/costs/test_calibration.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from advisor.costs.assumptions import Assumptions
from advisor.costs.prices import ApiModelPrice, GpuPrice, ServingProfile, Source

SOURCE = Source("test figures", date(2026, 1, 1))


def make_assumptions(**overrides: Any) -> Assumptions:
    """API at $1 / $4 per 1M tokens; a 2 x $2/h GPU replica; a 1 x $1/h small one.

    ``overrides`` replace any field (a test module's own figures, or one test's).
    """
    fields: dict[str, Any] = {
        "api_model": ApiModelPrice("api", "API", "test", "mid", 1e-6, 4e-6, SOURCE),
        "self_host_model": ServingProfile(
            "big",
            "Big",
            "mid",
            70,
            2,
            GpuPrice("gpu2", "GPU $2", 2.0, SOURCE),
            1000,
            10000,
            SOURCE,
        ),
        "small_model": ServingProfile(
            "small",
            "Small",
            "small",
            8,
            1,
            GpuPrice("gpu1", "GPU $1", 1.0, SOURCE),
            2000,
            20000,
            SOURCE,
        ),
        "engineer_monthly_cost_usd": 20_000,
        "operations_fte_self_host": 1.0,
        "operations_fte_hybrid": 0.5,
        "operations_base_fleet_gpus": 8,
        "operations_gpus_per_additional_engineer": 32,
        "first_year_overhead_pct": 30,
        "first_year_budget_usd": 240_000,
        "build_out_months": 2,
        "build_out_replicas": 1,
        "target_utilization_pct": 75,
        "peak_factor_steady": 1.4,
        "peak_factor_business_hours": 3,
        "peak_factor_spiky": 6,
        "peak_factor_unknown": 3,
        "min_replicas_customer_facing": 2,
        "min_replicas_internal": 1,
    }
    fields.update(overrides)
    return Assumptions(**fields)
