"""The cost model's inputs: the workload, the catalog's prices and profiles, the assumptions.

Pure: frozen dataclasses, no Django. ``advisor/costs/services.py`` builds them
from the price catalog; :mod:`advisor.costs.projection` says what the model
does with them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from advisor.costs.prices import ApiModelPrice, GpuPrice, ServingProfile, Source, require
from advisor.snapshot import AssumptionRow

VARIANTS: tuple[str, ...] = ("api_router",)
LOAD_PATTERNS: tuple[str, ...] = ("steady", "business_hours", "spiky", "unknown")
GPU_PRICING: tuple[str, ...] = ("on_demand", "reserved_1y", "reserved_3y", "owned")
TIERS: tuple[str, ...] = ("frontier", "mid", "small")

HOURS_PER_MONTH = 730  # 8,760 hours a year / 12, the convention GPU clouds bill by
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
FIRST_YEAR_MONTHS = 12
# The "assumptions used" rows naming the model (and GPUs) each option is costed
# on start with these words; the scenario comparison reads them back.
COSTED_ON_ROLES: dict[str, str] = {
    "api": "API model",
    "self_host": "Self-hosted model",
    "hybrid": "Hybrid small model",
}


@dataclass(frozen=True)
class Workload:
    """What the buyer runs: volume, tokens per query, load shape, horizon, pricing.

    Defaults are those of the question keys in design.md.
    """

    monthly_queries: int
    avg_input_tokens: int = 1500
    avg_output_tokens: int = 400
    load_pattern: str = "unknown"
    monthly_growth_pct: float = 0.0
    simple_query_share_pct: float = 50.0
    customer_facing: bool = True
    horizon_months: int = 36
    cached_input_share_pct: float = 0.0
    batch_share_pct: float = 0.0
    gpu_pricing: str = "on_demand"
    # Whether the API may carry the traffic while the fleet is built and the
    # traffic moves over (False when the rules rule the API out).
    api_bridge: bool = True

    def __post_init__(self) -> None:
        require(self.monthly_queries >= 0, "monthly_queries must be 0 or more")
        require(self.avg_input_tokens >= 0, "avg_input_tokens must be 0 or more")
        require(self.avg_output_tokens >= 0, "avg_output_tokens must be 0 or more")
        require(self.load_pattern in LOAD_PATTERNS, f"unknown load_pattern {self.load_pattern!r}")
        require(-100 < self.monthly_growth_pct <= 1000, "monthly_growth_pct must be above -100")
        require(0 <= self.simple_query_share_pct <= 100, "simple_query_share_pct must be 0-100")
        require(1 <= self.horizon_months <= 600, "horizon_months must be 1-600")
        require(0 <= self.cached_input_share_pct <= 100, "cached_input_share_pct must be 0-100")
        require(0 <= self.batch_share_pct <= 100, "batch_share_pct must be 0-100")
        require(self.gpu_pricing in GPU_PRICING, f"unknown gpu_pricing {self.gpu_pricing!r}")


@dataclass(frozen=True)
class ScalarAssumption:
    """How one scalar field of :class:`Assumptions` is labelled and measured."""

    name: str
    label: str
    unit: str
    # The label when the API does not bridge the build-out (Workload.api_bridge
    # off): the catalog's label says who pays meanwhile, which changes then.
    label_without_api_bridge: str = ""

    def label_for(self, *, api_bridge: bool = True) -> str:
        return self.label if api_bridge else (self.label_without_api_bridge or self.label)


# The scalar fields of Assumptions, in the order the "assumptions used" table
# lists them. The catalog stores one row per name (costs.CostAssumption).
SCALAR_ASSUMPTIONS: tuple[ScalarAssumption, ...] = (
    ScalarAssumption("engineer_monthly_cost_usd", "ML/infra engineer, fully loaded", "USD/month"),
    ScalarAssumption(
        "operations_fte_self_host", "Operations staff, self-hosting (small fleet)", "engineers"
    ),
    ScalarAssumption(
        "operations_fte_hybrid", "Operations staff, hybrid (small fleet)", "engineers"
    ),
    ScalarAssumption("operations_base_fleet_gpus", "GPUs the base operations staff covers", "GPUs"),
    ScalarAssumption(
        "operations_gpus_per_additional_engineer",
        "GPUs per additional engineer beyond that",
        "GPUs/engineer",
    ),
    ScalarAssumption(
        "on_call_fte", "On-call cover for a customer-facing service, around the clock", "engineers"
    ),
    ScalarAssumption("first_year_overhead_pct", "First-year overhead of self-hosting", "%"),
    ScalarAssumption("hybrid_overhead_share_pct", "Share of that overhead the hybrid carries", "%"),
    ScalarAssumption("first_year_budget_usd", "First-year engagement budget", "USD"),
    ScalarAssumption(
        "build_out_months",
        "Build-out before production (API still paid)",
        "months",
        "Build-out before production (nothing served yet)",
    ),
    ScalarAssumption("build_out_replicas", "Replicas rented during build-out", "replicas"),
    ScalarAssumption(
        "migration_ramp_months",
        "Migration ramp after build-out (API paid for the rest)",
        "months",
        "Migration ramp after build-out (traffic served as the fleet takes it)",
    ),
    ScalarAssumption("target_utilization_pct", "Target replica utilization at peak", "%"),
    ScalarAssumption(
        "serving_efficiency_pct",
        "Share of a benchmark's peak throughput served under latency targets",
        "%",
    ),
    ScalarAssumption("peak_factor_steady", "Peak / average load, steady", "x"),
    ScalarAssumption("peak_factor_business_hours", "Peak / average load, business hours", "x"),
    ScalarAssumption("peak_factor_spiky", "Peak / average load, spiky", "x"),
    ScalarAssumption("peak_factor_unknown", "Peak / average load, unknown", "x"),
    ScalarAssumption(
        "min_replicas_customer_facing", "Minimum replicas, customer-facing (HA)", "replicas"
    ),
    ScalarAssumption("min_replicas_internal", "Minimum replicas, internal", "replicas"),
    ScalarAssumption(
        "infrastructure_pct_of_gpu",
        "Networking, storage, monitoring, load balancing (share of GPU spend)",
        "%",
    ),
    ScalarAssumption("reserved_1y_discount_pct", "Reserved GPUs, 1-year term: discount", "%"),
    ScalarAssumption("reserved_3y_discount_pct", "Reserved GPUs, 3-year term: discount", "%"),
    ScalarAssumption("owned_depreciation_months", "Owned servers: depreciation life", "months"),
    ScalarAssumption("datacenter_pue", "Owned servers: power usage effectiveness (PUE)", "x"),
    ScalarAssumption("electricity_usd_per_kwh", "Owned servers: electricity", "USD/kWh"),
    ScalarAssumption(
        "colocation_usd_per_kw_month", "Owned servers: colocation space and cooling", "USD/kW-month"
    ),
    ScalarAssumption("api_price_trend_pct_per_year", "Yearly change of API prices", "%/year"),
    ScalarAssumption(
        "gpu_price_trend_pct_per_year", "Yearly change of GPU rental prices", "%/year"
    ),
)

INTEGER_ASSUMPTIONS: frozenset[str] = frozenset(
    {
        "operations_base_fleet_gpus",
        "build_out_months",
        "build_out_replicas",
        "migration_ramp_months",
        "min_replicas_customer_facing",
        "min_replicas_internal",
    }
)


# Yearly price changes may be negative (prices fall); every other scalar is >= 0.
SIGNED_ASSUMPTIONS: frozenset[str] = frozenset(
    {"api_price_trend_pct_per_year", "gpu_price_trend_pct_per_year"}
)


@dataclass(frozen=True)
class Assumptions:
    """Every figure the projection uses, each traceable to a source and a date.

    ``sources`` maps each scalar field name (``SCALAR_ASSUMPTIONS``) to its
    :class:`Source`; catalog entries carry their own. ``notes`` records
    choices made for the buyer (e.g. a like-for-like substitution).
    ``self_host_candidates`` and ``small_candidates``, when not empty, are the
    profiles the planner chooses among (``self_host_model`` and
    ``small_model`` are then the defaults shown before planning; see
    :func:`planned`). ``router_model`` is the mini-class API model of the
    "API with a router" variant (None: no variant).
    """

    api_model: ApiModelPrice
    self_host_model: ServingProfile
    small_model: ServingProfile
    engineer_monthly_cost_usd: float
    operations_fte_self_host: float
    operations_fte_hybrid: float
    operations_base_fleet_gpus: int
    operations_gpus_per_additional_engineer: float
    first_year_overhead_pct: float
    first_year_budget_usd: float
    build_out_months: int
    build_out_replicas: int
    target_utilization_pct: float
    peak_factor_steady: float
    peak_factor_business_hours: float
    peak_factor_spiky: float
    peak_factor_unknown: float
    min_replicas_customer_facing: int
    min_replicas_internal: int
    sources: Mapping[str, Source] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    # Cost model v2; neutral defaults keep hand-built test assumptions short.
    on_call_fte: float = 0.0
    hybrid_overhead_share_pct: float = 50.0
    migration_ramp_months: int = 0
    infrastructure_pct_of_gpu: float = 0.0
    reserved_1y_discount_pct: float = 0.0
    reserved_3y_discount_pct: float = 0.0
    owned_depreciation_months: float = 60.0
    datacenter_pue: float = 1.5
    electricity_usd_per_kwh: float = 0.1
    colocation_usd_per_kw_month: float = 0.0
    serving_efficiency_pct: float = 100.0
    api_price_trend_pct_per_year: float = 0.0
    gpu_price_trend_pct_per_year: float = 0.0
    router_model: ApiModelPrice | None = None
    # Plausible (low, high) per scalar assumption, from its sources' spread.
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    self_host_candidates: tuple[ServingProfile, ...] = ()
    small_candidates: tuple[ServingProfile, ...] = ()
    # The calendar date of month 1, for scheduled API price changes (None: today).
    start_date: date | None = None

    def __post_init__(self) -> None:
        for spec in SCALAR_ASSUMPTIONS:
            value = getattr(self, spec.name)
            require(math.isfinite(value), f"{spec.name} must be a finite number")
            if spec.name in SIGNED_ASSUMPTIONS:
                require(-100 < value <= 1000, f"{spec.name} must be above -100")
            else:
                require(value >= 0, f"{spec.name} must be 0 or more")
        require(
            0 < self.target_utilization_pct <= 100, "target_utilization_pct must be in (0, 100]"
        )
        require(
            self.operations_gpus_per_additional_engineer > 0,
            "operations_gpus_per_additional_engineer must be above 0",
        )
        require(self.owned_depreciation_months > 0, "owned_depreciation_months must be above 0")
        require(
            0 < self.serving_efficiency_pct <= 100, "serving_efficiency_pct must be in (0, 100]"
        )
        require(
            self.reserved_1y_discount_pct < 100 and self.reserved_3y_discount_pct < 100,
            "reserved discounts must be below 100 %",
        )
        profiles = (
            self.self_host_model,
            self.small_model,
            *self.self_host_candidates,
            *self.small_candidates,
        )
        for profile in profiles:
            require(profile.gpus_per_replica >= 1, f"{profile.key}: gpus_per_replica >= 1")
            require(
                profile.output_tokens_per_second > 0 and profile.input_tokens_per_second > 0,
                f"{profile.key}: throughputs must be above 0",
            )

    def peak_factor(self, load_pattern: str) -> float:
        return float(getattr(self, f"peak_factor_{load_pattern}"))

    def candidate_profiles(self, option: str) -> tuple[ServingProfile | None, ...]:
        """The profiles ``option`` is costed on: the planner's candidates, else its model.

        ``(None,)`` for an option that serves no model itself (the API).
        """
        if option == "self_host":
            return self.self_host_candidates or (self.self_host_model,)
        if option == "hybrid":
            return self.small_candidates or (self.small_model,)
        return (None,)

    def rows(self, *, api_bridge: bool = True) -> list[AssumptionRow]:
        """The "assumptions used" table: catalog entries first, then scalars.

        ``api_bridge`` as in :class:`Workload`: whether the API carries the
        traffic during the build-out and the ramp (their labels say so).
        """
        rows = [_api_row(COSTED_ON_ROLES["api"], self.api_model)]
        if self.router_model is not None:
            rows.append(_api_row("Router's mini-class API model", self.router_model))
        for role, profile in (
            (COSTED_ON_ROLES["self_host"], self.self_host_model),
            (COSTED_ON_ROLES["hybrid"], self.small_model),
        ):
            # Several figures in one value: each carries its own unit, so the
            # unit column stays empty (a unit after them read "... B200 180GB tokens/s").
            rows.append(
                AssumptionRow(
                    f"{role}: {profile.name}",
                    f"{profile.output_tokens_per_second:,.0f} out / "
                    f"{profile.input_tokens_per_second:,.0f} in tokens/s per replica "
                    f"({profile.gpus_per_replica} x {profile.gpu.name})",
                    "",
                    profile.source.text,
                    profile.source.as_of,
                    profile.source.url,
                    profile.source.judgement,
                )
            )
        for gpu in _unique_gpus(self.self_host_model, self.small_model):
            rows.append(
                AssumptionRow(
                    f"GPU: {gpu.name}, on demand",
                    f"{gpu.usd_per_hour:,.2f}",
                    "USD/hour",
                    gpu.source.text,
                    gpu.source.as_of,
                    gpu.source.url,
                    gpu.source.judgement,
                    gpu.usd_per_hour_low,
                    gpu.usd_per_hour_high,
                )
            )
            if gpu.owned is not None:
                owned = gpu.owned
                rows.append(
                    AssumptionRow(
                        f"GPU: {gpu.name}, owned",
                        f"{owned.usd_per_gpu:,.0f} USD and {owned.power_kw_per_gpu:,.2f} kW "
                        f"per GPU, {owned.gpus_per_server} GPUs per server",
                        "",
                        owned.source.text,
                        owned.source.as_of,
                        owned.source.url,
                        owned.source.judgement,
                    )
                )
        for spec in SCALAR_ASSUMPTIONS:
            source = self.sources.get(spec.name, Source("unspecified"))
            value = getattr(self, spec.name)
            shown = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
            low, high = self.ranges.get(spec.name, (None, None))
            rows.append(
                AssumptionRow(
                    spec.label_for(api_bridge=api_bridge),
                    shown,
                    spec.unit,
                    source.text,
                    source.as_of,
                    source.url,
                    source.judgement,
                    low,
                    high,
                )
            )
        return rows


def like_for_like_tier(api_tier: str) -> str:
    """The open-model tier that matches an API model's capability tier.

    A mini-class API is matched by an 8B-class model ("small"), a
    GPT-4-class API by a 70B-class model ("mid"). No open model matches the
    frontier: it is costed against the best open tier ("mid"), and the
    rules add the capability caveat rather than this table pretending parity.
    """
    require(api_tier in TIERS, f"unknown tier {api_tier!r}")
    return "small" if api_tier == "small" else "mid"


def default_gpu_pricing(answers: Mapping[str, Any]) -> str:
    """``owned`` when the data must stay on the buyer's premises, else ``on_demand``.

    Renting cloud GPUs is not on premises, so the honest default there is
    hardware the buyer owns.
    """
    return "owned" if answers.get("data_residency") == "on_premises" else "on_demand"


def workload_from_answers(answers: Mapping[str, Any]) -> Workload:
    """The workload part of an assessment's answers (question keys of design.md).

    Missing or ``None`` answers take the question's default; numbers may
    arrive as ``Decimal`` or strings and are converted.
    """
    defaults = Workload(monthly_queries=0, gpu_pricing=default_gpu_pricing(answers))

    def pick(key: str, convert: Callable[[Any], Any]) -> Any:
        value = answers.get(key)
        return getattr(defaults, key) if value is None else convert(value)

    return Workload(
        monthly_queries=pick("monthly_queries", _to_int),
        avg_input_tokens=pick("avg_input_tokens", _to_int),
        avg_output_tokens=pick("avg_output_tokens", _to_int),
        load_pattern=pick("load_pattern", str),
        monthly_growth_pct=pick("monthly_growth_pct", float),
        simple_query_share_pct=pick("simple_query_share_pct", float),
        customer_facing=pick("customer_facing", _to_bool),
        horizon_months=pick("horizon_months", _to_int),
        cached_input_share_pct=pick("cached_input_share_pct", float),
        batch_share_pct=pick("batch_share_pct", float),
        gpu_pricing=pick("gpu_pricing", str),
    )


def _to_int(value: Any) -> int:
    number = float(value)
    require(number == int(number), f"expected a whole number, got {value!r}")
    return int(number)


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        require(value.lower() in {"true", "false"}, f"expected true or false, got {value!r}")
        return value.lower() == "true"
    return bool(value)


def _per_million(usd_per_token: float) -> str:
    return f"{usd_per_token * 1_000_000:,.2f}"


def _api_row(role: str, api: ApiModelPrice) -> AssumptionRow:
    value = (
        f"{_per_million(api.usd_per_input_token)} in / {_per_million(api.usd_per_output_token)} out"
    )
    value += f"; cached {_per_million(api.cached_input)}"
    value += f"; batch {_per_million(api.batch_input)} / {_per_million(api.batch_output)}"
    if api.fallbacks:
        value += " (" + "; ".join(api.fallbacks) + ")"
    for change in api.scheduled:
        value += (
            f"; from {change.starts_on.isoformat()} "
            f"{_per_million(change.usd_per_input_token)} in / "
            f"{_per_million(change.usd_per_output_token)} out"
        )
    if api.quality:
        value += f"; quality {api.quality}"
    return AssumptionRow(
        f"{role}: {api.name}",
        value,
        "USD per 1M tokens",
        api.source.text,
        api.source.as_of,
        api.source.url,
        api.source.judgement,
    )


def _unique_gpus(*profiles: ServingProfile) -> list[GpuPrice]:
    seen: dict[str, GpuPrice] = {}
    for profile in profiles:
        seen.setdefault(profile.gpu.key, profile.gpu)
    return list(seen.values())
