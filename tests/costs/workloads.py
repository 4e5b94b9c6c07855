"""Workloads and prices the cost-model tests share (tests/figures.py has the assumptions)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from advisor.costs.assumptions import Assumptions, Workload
from advisor.costs.prices import ApiModelPrice, GpuPrice, OwnedHardware
from tests.figures import SOURCE, make_assumptions

TEN_PER_SECOND = 26_280_000


def steady_workload(**overrides: Any) -> Workload:
    fields: dict[str, Any] = {
        "monthly_queries": TEN_PER_SECOND,
        "avg_input_tokens": 1000,
        "avg_output_tokens": 500,
        "load_pattern": "steady",
        "horizon_months": 24,
    }
    fields.update(overrides)
    return Workload(**fields)


CACHING_API = ApiModelPrice(
    "api",
    "API",
    "test",
    "mid",
    1e-6,
    4e-6,
    SOURCE,
    usd_per_cached_input_token=0.1e-6,
    usd_per_batch_input_token=0.5e-6,
    usd_per_batch_output_token=2e-6,
)


def internal_workload(**overrides: Any) -> Workload:
    # A small internal workload: the fleet stays at its minimum.
    fields: dict[str, Any] = {
        "monthly_queries": 1_000_000,
        "avg_input_tokens": 1000,
        "avg_output_tokens": 500,
        "load_pattern": "steady",
        "horizon_months": 12,
    }
    fields.update(overrides)
    return Workload(**fields)


OWNED_GPU = GpuPrice(
    "owned",
    "Owned GPU",
    2.0,
    SOURCE,
    owned=OwnedHardware(
        usd_per_gpu=24_000, power_kw_per_gpu=0.75, gpus_per_server=8, source=SOURCE
    ),
)


def owned_assumptions(**overrides: Any) -> Assumptions:
    self_host_model = replace(make_assumptions().self_host_model, gpu=OWNED_GPU)
    fields: dict[str, Any] = {
        "self_host_model": self_host_model,
        "build_out_months": 0,
        "owned_depreciation_months": 48,
        "datacenter_pue": 1.5,
        "electricity_usd_per_kwh": 0.10,
        "colocation_usd_per_kw_month": 200,
    }
    fields.update(overrides)
    return make_assumptions(**fields)
