"""The cost model's month-by-month arithmetic, on numpy arrays ``(scenarios, months)``.

Pure: no Django. The formulas are those of :mod:`advisor.costs.projection`'s
docstring; one call costs many volumes or draws at once (the break-even
solve, the planner and the uncertainty analysis draw on that).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advisor.costs.assumptions import (
    FIRST_YEAR_MONTHS,
    HOURS_PER_MONTH,
    SCALAR_ASSUMPTIONS,
    SECONDS_PER_MONTH,
    Assumptions,
    Workload,
)
from advisor.costs.prices import ApiModelPrice, FloatArray, GpuPrice, Num, ServingProfile, require

COMPONENTS: tuple[str, ...] = ("api_tokens", "gpus", "infrastructure", "operations", "overhead")
_RESERVED_TERM_MONTHS = {"reserved_1y": 12, "reserved_3y": 36}
# Guards ceil() against float noise: 2.0000000000004 replicas are 2 replicas.
_CEIL_TOLERANCE = 1e-9


def planned(workload: Workload, assumptions: Assumptions) -> Assumptions:
    """``assumptions`` with each self-hosted option's cheapest candidate profile chosen.

    The choice is by TCO over the horizon at this workload's volume. The
    candidates stay, so a projection at another volume (the break-even solve)
    plans again; without candidates ``assumptions`` is returned as it is.
    """
    if not assumptions.self_host_candidates and not assumptions.small_candidates:
        return assumptions
    scenarios = Scenarios.point(workload, assumptions)
    queries = scenarios.queries(np.ones(1))

    def cheapest(
        option: str, profile: ServingProfile, candidates: tuple[ServingProfile, ...]
    ) -> ServingProfile:
        if not candidates:
            return profile
        tcos = [
            float(option_totals(option, scenarios, assumptions, queries, candidate).sum())
            for candidate in candidates
        ]
        return candidates[int(np.argmin(tcos))]

    return replace(
        assumptions,
        self_host_model=cheapest(
            "self_host", assumptions.self_host_model, assumptions.self_host_candidates
        ),
        small_model=cheapest("hybrid", assumptions.small_model, assumptions.small_candidates),
    )


@dataclass(frozen=True)
class Scenarios:
    """Every number the monthly arithmetic reads, for one scenario or many.

    Each field is a float (the same in every scenario) or an array of shape
    ``(rows, 1)`` (one value per scenario: the uncertainty analysis draws
    them). ``scalars`` holds the :data:`SCALAR_ASSUMPTIONS` by name;
    ``gpu_quantile`` places each GPU's hourly price within its low-high range
    (None: the catalog price).
    """

    monthly_queries: float
    months: int
    growth_pct: Num
    avg_input_tokens: Num
    avg_output_tokens: Num
    cached_share: Num
    batch_share: Num
    simple_share: Num
    peak_factor: Num
    customer_facing: bool
    gpu_pricing: str
    scalars: Mapping[str, Num]
    gpu_quantile: Num | None = None
    rows: int = 1
    api_bridge: bool = True
    # Whole replicas are what a fleet rents; decision model v3 compares
    # options over a continuous fleet so that one query more never flips the
    # answer on a replica's rounding (design.md, "Smoothness").
    whole_replicas: bool = True

    @classmethod
    def point(cls, workload: Workload, assumptions: Assumptions) -> Scenarios:
        return cls(
            monthly_queries=float(workload.monthly_queries),
            months=workload.horizon_months,
            growth_pct=workload.monthly_growth_pct,
            avg_input_tokens=float(workload.avg_input_tokens),
            avg_output_tokens=float(workload.avg_output_tokens),
            cached_share=workload.cached_input_share_pct / 100,
            batch_share=workload.batch_share_pct / 100,
            simple_share=workload.simple_query_share_pct / 100,
            peak_factor=assumptions.peak_factor(workload.load_pattern),
            customer_facing=workload.customer_facing,
            gpu_pricing=workload.gpu_pricing,
            scalars={spec.name: getattr(assumptions, spec.name) for spec in SCALAR_ASSUMPTIONS},
            api_bridge=workload.api_bridge,
        )

    def queries(self, multipliers: FloatArray) -> FloatArray:
        """Queries per month: ``(rows x len(multipliers), months)``, scenario-major."""
        growth = (1 + np.asarray(self.growth_pct, dtype=float) / 100) ** np.arange(self.months)
        base = self.monthly_queries * np.asarray(multipliers, dtype=float)
        if growth.ndim == 1:
            return np.outer(base, growth)
        return (growth[:, None, :] * base[None, :, None]).reshape(-1, self.months)

    def repeat(self, times: int) -> Scenarios:
        """Each scenario's row repeated ``times`` times (scenario-major), to cost many volumes."""
        if self.rows == 1 and times == 1:
            return self
        return self.rows_mapped(lambda rows: np.repeat(rows, times, axis=0), self.rows * times)

    def rows_mapped(self, function: Callable[[NDArray[Any]], NDArray[Any]], rows: int) -> Scenarios:
        """These scenarios with ``function`` applied to every per-row array (not to floats)."""

        def mapped(value: Num) -> Num:
            return function(value) if isinstance(value, np.ndarray) else value

        fields = {name: mapped(getattr(self, name)) for name in _ROW_FIELDS}
        scalars = {name: mapped(value) for name, value in self.scalars.items()}
        return replace(self, scalars=scalars, rows=rows, **fields)


# The Scenarios fields that may hold one value per row.
_ROW_FIELDS: tuple[str, ...] = (
    "growth_pct",
    "avg_input_tokens",
    "avg_output_tokens",
    "cached_share",
    "batch_share",
    "simple_share",
    "peak_factor",
    "gpu_quantile",
)


def chosen_profile(option: str, assumptions: Assumptions) -> ServingProfile | None:
    if option == "self_host":
        return assumptions.self_host_model
    if option == "hybrid":
        return assumptions.small_model
    return None


@dataclass(frozen=True)
class OptionCosts:
    """Monthly USD per component, replicas and billed GPUs: arrays (scenarios, months)."""

    components: Mapping[str, FloatArray]
    replicas: FloatArray
    gpus: FloatArray
    # The share of each month's queries served (below 1 only while nothing bridges).
    served_share: Num = 1.0


def option_totals(
    option: str,
    scenarios: Scenarios,
    assumptions: Assumptions,
    queries: FloatArray,
    profile: ServingProfile | None = None,
) -> FloatArray:
    """Monthly totals of ``option``, shape ``queries.shape``."""
    components = option_costs(option, scenarios, assumptions, queries, profile).components
    total = np.zeros_like(queries)
    for name in COMPONENTS:
        total += components[name]
    return total


def option_costs(
    option: str,
    scenarios: Scenarios,
    assumptions: Assumptions,
    queries: FloatArray,
    profile: ServingProfile | None,
) -> OptionCosts:
    """The arithmetic of the module docstring for one option, over every scenario row."""
    p = scenarios
    months = queries.shape[-1]
    zeros = np.zeros_like(queries)
    api_trend = _trend(p.scalars["api_price_trend_pct_per_year"], months)
    start = assumptions.start_date or date.today()
    api_per_query = _usd_per_query(assumptions.api_model, p, months, start) * api_trend
    if option in ("api", "api_router"):
        api_usd = queries * api_per_query
        if option == "api_router" and assumptions.router_model is not None:
            router = assumptions.router_model
            router_per_query = _usd_per_query(router, p, months, start) * api_trend
            api_usd = queries * (
                p.simple_share * router_per_query + (1 - p.simple_share) * api_per_query
            )
        components = {name: zeros for name in COMPONENTS} | {"api_tokens": api_usd}
        return OptionCosts(components, zeros, zeros)
    require(profile is not None, f"{option} needs a serving profile")
    assert profile is not None  # for the type checker; require raised otherwise
    share = 1.0 if option == "self_host" else p.simple_share
    base_fte = (
        p.scalars["operations_fte_self_host"]
        if option == "self_host"
        else p.scalars["operations_fte_hybrid"]
    )
    in_production, moved = _migration(
        p.scalars["build_out_months"], p.scalars["migration_ramp_months"], months
    )
    served = queries * share * moved
    min_replicas = (
        p.scalars["min_replicas_customer_facing"]
        if p.customer_facing
        else p.scalars["min_replicas_internal"]
    )
    replicas = np.where(
        in_production,
        np.maximum(min_replicas, _replicas_needed(served, p, profile)),
        p.scalars["build_out_replicas"],
    )
    gpus = replicas * profile.gpus_per_replica
    gpus_usd, billed_gpus = _gpu_spend(gpus, p, profile.gpu)
    engineers = np.where(
        in_production,
        base_fte
        + np.maximum(0.0, billed_gpus - p.scalars["operations_base_fleet_gpus"])
        / p.scalars["operations_gpus_per_additional_engineer"]
        + (p.scalars["on_call_fte"] if p.customer_facing else 0.0),
        base_fte,
    )
    overhead_total = p.scalars["first_year_overhead_pct"] / 100 * p.scalars["first_year_budget_usd"]
    if option == "hybrid":
        overhead_total = overhead_total * p.scalars["hybrid_overhead_share_pct"] / 100
    overhead = _first_year(months) * (overhead_total / min(FIRST_YEAR_MONTHS, months))
    components = {
        # The hybrid's long tail always; the traffic not yet moved only if the API may bridge.
        "api_tokens": queries
        * ((1 - share) + (share * (1 - moved) if p.api_bridge else 0.0))
        * api_per_query,
        "gpus": gpus_usd,
        "infrastructure": gpus_usd * p.scalars["infrastructure_pct_of_gpu"] / 100,
        "operations": engineers * p.scalars["engineer_monthly_cost_usd"],
        "overhead": np.broadcast_to(overhead, queries.shape),
    }
    served_share = 1.0 if p.api_bridge else (1 - share) + share * moved
    return OptionCosts(components, replicas, billed_gpus, served_share)


def _usd_per_query(price: ApiModelPrice, p: Scenarios, months: int, start: date) -> Num:
    """USD per query at ``price`` in each month (the price in force then), before the trend."""
    return price.per_query_by_month(
        p.avg_input_tokens,
        p.avg_output_tokens,
        p.cached_share,
        p.batch_share,
        months=months,
        start=start,
    )


def _migration(
    build_out_months: Num, ramp_months: Num, months: int
) -> tuple[NDArray[np.bool_], FloatArray]:
    """Which months are in production, and the share of traffic moved in each."""
    if isinstance(build_out_months, np.ndarray) or isinstance(ramp_months, np.ndarray):
        return _migration_series(build_out_months, ramp_months, months)
    return _migration_cached(int(build_out_months), int(ramp_months), months)


def _migration_series(
    build_out_months: Num, ramp_months: Num, months: int
) -> tuple[NDArray[np.bool_], FloatArray]:
    month = np.arange(months)
    in_production = month >= build_out_months
    steps = month - build_out_months + 1  # 1 in the first production month
    moved = np.where(in_production, np.clip(steps / (ramp_months + 1), 0.0, 1.0), 0.0)
    return in_production, moved


# The month-only series depend on a few scalars and are asked for by every
# option, candidate and break-even probe: computed once per value.
@lru_cache(maxsize=256)
def _migration_cached(
    build_out_months: int, ramp_months: int, months: int
) -> tuple[NDArray[np.bool_], FloatArray]:
    in_production, moved = _migration_series(build_out_months, ramp_months, months)
    in_production.flags.writeable = moved.flags.writeable = False
    return in_production, moved


@lru_cache(maxsize=64)
def _first_year(months: int) -> FloatArray:
    mask = (np.arange(months) < FIRST_YEAR_MONTHS).astype(float)
    mask.flags.writeable = False
    return mask


def _replicas_needed(served: FloatArray, p: Scenarios, profile: ServingProfile) -> FloatArray:
    average_rate = served / SECONDS_PER_MONTH
    peak_rate = average_rate * (1 - p.batch_share) * p.peak_factor
    rate = np.maximum(peak_rate, average_rate)
    busy = profile.busy_seconds(p.avg_input_tokens, p.avg_output_tokens, p.cached_share)
    needed = (
        rate
        * busy
        / (p.scalars["target_utilization_pct"] / 100)
        / (p.scalars["serving_efficiency_pct"] / 100)
    )
    if not p.whole_replicas:
        return np.asarray(needed, dtype=float)
    replicas: FloatArray = np.ceil(needed - _CEIL_TOLERANCE)
    return replicas


def _gpu_hourly(gpu: GpuPrice, p: Scenarios) -> Num:
    """The GPU's on-demand price, or its draw within the low-high range."""
    if p.gpu_quantile is None or gpu.usd_per_hour_low is None or gpu.usd_per_hour_high is None:
        return gpu.usd_per_hour
    return triangular_quantile(
        p.gpu_quantile, gpu.usd_per_hour_low, gpu.usd_per_hour, gpu.usd_per_hour_high
    )


def _gpu_spend(gpus: FloatArray, p: Scenarios, gpu: GpuPrice) -> tuple[FloatArray, FloatArray]:
    """Monthly USD for the GPUs and the GPUs billed (a commitment never shrinks)."""
    months = gpus.shape[-1]
    pricing = p.gpu_pricing
    if pricing == "owned" and gpu.owned is not None:
        owned = gpu.owned
        servers = np.ceil(np.maximum.accumulate(gpus, axis=-1) / owned.gpus_per_server)
        billed = servers * owned.gpus_per_server
        kw = billed * owned.power_kw_per_gpu
        usd = (
            billed * owned.usd_per_gpu / p.scalars["owned_depreciation_months"]
            + kw
            * HOURS_PER_MONTH
            * p.scalars["datacenter_pue"]
            * p.scalars["electricity_usd_per_kwh"]
            + kw * p.scalars["colocation_usd_per_kw_month"]
        )
        return usd, billed
    trend = _trend(p.scalars["gpu_price_trend_pct_per_year"], months)
    hourly = _gpu_hourly(gpu, p)
    term = _RESERVED_TERM_MONTHS.get(pricing)
    if term is None:  # on demand, or owned without owned figures for this GPU
        return gpus * hourly * HOURS_PER_MONTH * trend, gpus
    discount = (
        p.scalars["reserved_1y_discount_pct"]
        if pricing == "reserved_1y"
        else p.scalars["reserved_3y_discount_pct"]
    )
    term_start = np.arange(months) // term * term
    billed = np.empty_like(gpus)
    for start in range(0, months, term):
        billed[..., start : start + term] = np.maximum.accumulate(
            gpus[..., start : start + term], axis=-1
        )
    term_trend = trend[..., term_start]
    return billed * hourly * (1 - discount / 100) * term_trend * HOURS_PER_MONTH, billed


def _trend(pct_per_year: Num, months: int) -> FloatArray:
    """``(1 + pct / 100) ^ (m / 12)`` for each month ``m`` (0-based)."""
    if isinstance(pct_per_year, np.ndarray):
        return (1 + pct_per_year / 100) ** (np.arange(months) / 12)
    return _trend_cached(float(pct_per_year), months)


@lru_cache(maxsize=256)
def _trend_cached(pct_per_year: float, months: int) -> FloatArray:
    trend = (1 + pct_per_year / 100) ** (np.arange(months) / 12)
    trend.flags.writeable = False
    return trend


def triangular_quantile(quantile: Num, low: Num, mode: Num, high: Num) -> Num:
    """The value at ``quantile`` (0..1) of a two-sided triangular distribution.

    Half the probability lies on each side of ``mode`` (the base value is the
    median): a triangle from ``low`` up to ``mode`` for quantiles below 0.5,
    one from ``mode`` down to ``high`` above. So the base case sits in the
    middle of its own range however lopsided the range is, and with
    ``low == mode == high`` the value is ``mode`` whatever the quantile, so a
    range narrowed to its base gives the point figure exactly.
    """
    quantile = np.asarray(quantile, dtype=float)
    low, high = np.minimum(low, mode), np.maximum(high, mode)
    below = mode - (mode - low) * (1 - np.sqrt(np.clip(2 * quantile, 0.0, 1.0)))
    above = mode + (high - mode) * (1 - np.sqrt(np.clip(2 * (1 - quantile), 0.0, 1.0)))
    return np.where(quantile < 0.5, below, above)
