"""The cost model: 36-month projections for the API, self-hosting and the hybrid.

Pure and deterministic: frozen dataclasses in, frozen dataclasses out, no
Django. ``advisor/costs/services.py`` builds the inputs from the price catalog.
The arithmetic runs on numpy arrays shaped ``(scenarios, months)``, so one
call costs many volumes at once (the break-even solve, the planner, and the
uncertainty analysis draw on that).

The brief's reasoning, as arithmetic (every money figure is US dollars; month
``m`` is 0-based in formulas, 1-based in prose):

Volume, month by month
    ``queries[m] = monthly_queries x (1 + monthly_growth_pct / 100) ^ m``.

API option (what buyers really pay)
    A query's input tokens split into ``cached_input_share_pct`` read from the
    provider's prompt cache (at the cache-read price) and the rest at the
    input price; ``batch_share_pct`` of the queries go through the batch API
    (batch input and output prices; cached tokens at the lower of the cache
    and batch prices). Cache writes are not charged separately: a cached
    prefix is written once and read many times, so reads dominate.
    ``api usd = queries x usd per query[m] x api trend[m]`` where the trend is
    ``(1 + api_price_trend_pct_per_year / 100) ^ (m / 12)`` and ``usd per
    query[m]`` is at the price in force in month ``m``: a change the price
    source announces (``ApiModelPrice.scheduled``) applies from the month it
    starts in, month 1 beginning on ``Assumptions.start_date``.

API with a router (a variant of the API, not a fourth option)
    ``simple_query_share_pct`` of the queries on a mini-class API model
    (``Assumptions.router_model``), the rest on the chosen API model.

Self-hosting option (the open model of the same capability tier, "like for like")
    *Capacity.* One query keeps a replica busy for
    ``avg_input_tokens x (1 - cached share) / input_tokens_per_second
    + avg_output_tokens / output_tokens_per_second`` seconds (the serving
    engine's prefix cache skips the cached part of the prompt). Interactive
    queries arrive at ``queries x (1 - batch share) / 2,628,000`` per second
    on average (730 h x 3,600 s) and the fleet is sized for their peak
    (x the load pattern's peak factor); batch queries fill the troughs, so the
    fleet serves ``max(interactive peak rate, average rate of all queries)``
    with each replica loaded to the target utilization of the share of its
    benchmark throughput it reaches under latency targets (``serving_efficiency_pct``):
    ``replicas = ceil(rate x busy seconds / utilization / efficiency)``, at least
    ``min_replicas_customer_facing`` (2, for high availability) when
    customer-facing, else ``min_replicas_internal``.
    *Planner.* When the buyer picked no GPU, every measured profile of the
    model's tier is costed and the cheapest over the horizon is used
    (``Projection.plan`` says which).
    *GPUs.* ``on_demand``: GPU-hours x the hourly price x the GPU trend.
    ``reserved_1y`` / ``reserved_3y``: the hourly price less the reserved
    discount, fixed for each term at the trended price of its first month,
    billed for the largest fleet of the term so far (a commitment cannot
    shrink). ``owned``: whole servers bought for the largest fleet so far,
    each GPU depreciated straight-line over ``owned_depreciation_months``, plus
    power (``kW x 730 h x PUE x $/kWh``) and colocation (``kW x $/kW-month``);
    owned hardware is not trended (it is bought at today's price).
    *Infrastructure.* Networking, storage, monitoring and load balancing:
    ``infrastructure_pct_of_gpu`` of the GPU spend.
    *Operations.* The brief's "one engineer-month per month" holds for a
    small fleet's work; staff grow with the fleet, and a customer-facing
    service in production needs on-call cover around the clock:
    ``engineers = base + max(0, gpus - operations_base_fleet_gpus) /
    operations_gpus_per_additional_engineer + on_call_fte (customer-facing)``.
    *Overhead.* Self-hosting adds 20-40 % to the first-year engagement cost:
    ``first_year_overhead_pct / 100 x first_year_budget_usd`` over months 1-12;
    the hybrid carries ``hybrid_overhead_share_pct`` of it.
    *Build-out and migration ramp.* For the first ``build_out_months`` nothing
    is in production: the API carries all traffic, the base team is paid and
    ``build_out_replicas`` replicas are rented. Traffic then moves over in
    equal steps over ``migration_ramp_months`` (month ``j`` of the ramp moves
    ``j / (ramp + 1)``), and the API is paid for what has not moved. When the
    workload may not use the API at all (``api_bridge`` false: a compliance
    gate rules it out), nothing bridges: the traffic not yet on the fleet is
    not served, so it costs nothing, and only the hybrid's long tail (its
    design) is paid to the API.

Hybrid option (a small, 8B-class self-hosted model for the simple queries)
    ``simple_query_share_pct`` of the queries go to the small model, costed as
    self-hosting above with its own fleet and ``operations_fte_hybrid`` as the
    base staff; the rest go to the API model. The fleet is built even when the
    simple share is 0: choosing the hybrid means running the router and the
    small model.

Outputs
    *TCO* is the sum of the monthly totals over the horizon.
    *Cost per 1,000 queries* is ``TCO / total queries x 1,000`` (0 without queries).
    *Break-even month* of an option is the first month (1-based) from which its
    cumulative cost stays at or below the API's until the end of the horizon;
    ``None`` when there is none.
    *Break-even volume multiplier* is the smallest factor ``k`` on
    ``monthly_queries`` in ``[0.01, 10000]`` from which the option's TCO stays
    at or below the API's: a log-spaced grid, refined around the crossing to
    4 significant digits. ``None`` when the option is still dearer at 10,000x
    or without volume; ``0.01`` when it is cheaper even at 1 %.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advisor.options import OPTIONS, SELF_HOSTED_OPTIONS

VARIANTS: tuple[str, ...] = ("api_router",)
LOAD_PATTERNS: tuple[str, ...] = ("steady", "business_hours", "spiky", "unknown")
GPU_PRICING: tuple[str, ...] = ("on_demand", "reserved_1y", "reserved_3y", "owned")
TIERS: tuple[str, ...] = ("frontier", "mid", "small")
COMPONENTS: tuple[str, ...] = ("api_tokens", "gpus", "infrastructure", "operations", "overhead")

HOURS_PER_MONTH = 730  # 8,760 hours a year / 12, the convention GPU clouds bill by
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
FIRST_YEAR_MONTHS = 12
MULTIPLIER_BRACKET: tuple[float, float] = (0.01, 10_000.0)
_RESERVED_TERM_MONTHS = {"reserved_1y": 12, "reserved_3y": 36}
# The break-even grid: 49 points over six decades (a ratio of 1.33 between
# neighbours), then two refinements of 49 points each: 1.33^(1/48^2) is
# 1.0001, the 4 significant digits any input figure carries.
_GRID_POINTS = 49
_REFINE_POINTS = 49
_REFINEMENTS = 2
# Guards ceil() against float noise: 2.0000000000004 replicas are 2 replicas.
_CEIL_TOLERANCE = 1e-9

FloatArray = NDArray[np.float64]
# A parameter of the arithmetic: one value, or one per scenario (shape (rows, 1)).
Num = Any


# --- inputs -----------------------------------------------------------------


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
        _require(self.monthly_queries >= 0, "monthly_queries must be 0 or more")
        _require(self.avg_input_tokens >= 0, "avg_input_tokens must be 0 or more")
        _require(self.avg_output_tokens >= 0, "avg_output_tokens must be 0 or more")
        _require(self.load_pattern in LOAD_PATTERNS, f"unknown load_pattern {self.load_pattern!r}")
        _require(-100 < self.monthly_growth_pct <= 1000, "monthly_growth_pct must be above -100")
        _require(0 <= self.simple_query_share_pct <= 100, "simple_query_share_pct must be 0-100")
        _require(1 <= self.horizon_months <= 600, "horizon_months must be 1-600")
        _require(0 <= self.cached_input_share_pct <= 100, "cached_input_share_pct must be 0-100")
        _require(0 <= self.batch_share_pct <= 100, "batch_share_pct must be 0-100")
        _require(self.gpu_pricing in GPU_PRICING, f"unknown gpu_pricing {self.gpu_pricing!r}")

    def queries_by_month(self, multiplier: float = 1.0) -> tuple[float, ...]:
        """Queries in each month of the horizon, growth compounded monthly."""
        return tuple(float(value) for value in self._queries(np.array([multiplier]))[0])

    def _queries(self, multipliers: FloatArray) -> FloatArray:
        growth = (1 + self.monthly_growth_pct / 100) ** np.arange(self.horizon_months)
        return np.outer(multipliers * float(self.monthly_queries), growth)


@dataclass(frozen=True)
class Source:
    """Where a figure comes from (a public title, or a package and version), and when.

    ``as_of`` is the date the figure was true on (None: entered by hand);
    ``url`` the public page. ``judgement`` marks the advisor's own figure,
    whose ``text`` then gives the one-sentence reason.
    """

    text: str
    as_of: date | None = None
    url: str = ""
    judgement: bool = False


@dataclass(frozen=True)
class ScheduledPrice:
    """A price change the source announces: from ``starts_on`` the prices below apply.

    The same fields as :class:`ApiModelPrice`, USD per token (an introductory
    price that ends on a date is a change back to the list price).
    """

    starts_on: date
    usd_per_input_token: float
    usd_per_output_token: float
    usd_per_cached_input_token: float | None = None
    usd_per_batch_input_token: float | None = None
    usd_per_batch_output_token: float | None = None


@dataclass(frozen=True)
class ApiModelPrice:
    """A model called per token (``key`` is the LiteLLM model name), USD per token.

    Cache-read and batch prices are None where the price source lists none:
    a missing cache price means no discount (the input price), a missing
    batch price half the standard one (the rate OpenAI's and Anthropic's
    batch APIs charge); :attr:`fallbacks` names the ones in use.
    """

    key: str
    name: str
    provider: str
    tier: str
    usd_per_input_token: float
    usd_per_output_token: float
    source: Source
    usd_per_cached_input_token: float | None = None
    usd_per_batch_input_token: float | None = None
    usd_per_batch_output_token: float | None = None
    open_weights: bool = False
    # Announced changes, in date order; the prices above apply before the first.
    scheduled: tuple[ScheduledPrice, ...] = ()
    # The model's score on the catalog's leaderboard, in words ("not rated" where it has none).
    quality: str = ""

    @property
    def cached_input(self) -> float:
        cached = self.usd_per_cached_input_token
        return self.usd_per_input_token if cached is None else cached

    @property
    def batch_input(self) -> float:
        batch = self.usd_per_batch_input_token
        return self.usd_per_input_token / 2 if batch is None else batch

    @property
    def batch_output(self) -> float:
        batch = self.usd_per_batch_output_token
        return self.usd_per_output_token / 2 if batch is None else batch

    @property
    def fallbacks(self) -> tuple[str, ...]:
        notes = []
        if self.usd_per_cached_input_token is None:
            notes.append("no cache price listed: cached input at the input price")
        if self.usd_per_batch_input_token is None or self.usd_per_batch_output_token is None:
            notes.append("no batch price listed: batch at half the standard price")
        return tuple(notes)

    def usd_per_query(self, workload: Workload) -> float:
        """Price of an average query, with its cached input and batch shares."""
        return float(
            self.per_query(
                workload.avg_input_tokens,
                workload.avg_output_tokens,
                workload.cached_input_share_pct / 100,
                workload.batch_share_pct / 100,
            )
        )

    def per_query(self, input_tokens: Num, output_tokens: Num, cached: Num, batch: Num) -> Num:
        """:meth:`usd_per_query` on numbers or arrays (shares as fractions)."""
        fresh_in = input_tokens * (1 - cached)
        cached_in = input_tokens * cached
        out = output_tokens
        standard = (
            fresh_in * self.usd_per_input_token
            + cached_in * self.cached_input
            + out * self.usd_per_output_token
        )
        batched = (
            fresh_in * self.batch_input
            + cached_in * min(self.cached_input, self.batch_input)
            + out * self.batch_output
        )
        return (1 - batch) * standard + batch * batched

    def per_query_by_month(
        self,
        input_tokens: Num,
        output_tokens: Num,
        cached: Num,
        batch: Num,
        *,
        months: int,
        start: date,
    ) -> Num:
        """:meth:`per_query` at the price in force in each month (month 1 begins on ``start``).

        A scheduled change applies from the month in which it starts, for
        the whole of that month. Without changes, the one price (no month axis).
        """
        if not self.scheduled:
            return self.per_query(input_tokens, output_tokens, cached, batch)
        month_ends = _month_ends(start, months)
        in_force = np.zeros(months, dtype=np.int64)  # 0: the base price, k: scheduled[k - 1]
        for k, change in enumerate(self.scheduled, start=1):
            in_force[[change.starts_on < end for end in month_ends]] = k
        total: Num = 0.0
        for k in sorted(set(in_force.tolist())):
            prices = self if k == 0 else self._with(self.scheduled[k - 1])
            mask = (in_force == k).astype(float)
            total = total + mask * prices.per_query(input_tokens, output_tokens, cached, batch)
        return total

    def _with(self, change: ScheduledPrice) -> ApiModelPrice:
        return replace(
            self,
            usd_per_input_token=change.usd_per_input_token,
            usd_per_output_token=change.usd_per_output_token,
            usd_per_cached_input_token=change.usd_per_cached_input_token,
            usd_per_batch_input_token=change.usd_per_batch_input_token,
            usd_per_batch_output_token=change.usd_per_batch_output_token,
            scheduled=(),
        )


@lru_cache(maxsize=64)
def _month_ends(start: date, months: int) -> tuple[date, ...]:
    """The first day after each month of the horizon (the break-even solve asks often)."""
    return tuple(_add_months(start, m + 1) for m in range(months))


def _add_months(start: date, months: int) -> date:
    """``start`` moved on by whole months (the day clamped to the month's length)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class OwnedHardware:
    """A GPU bought rather than rented: its share of a server's price and power."""

    usd_per_gpu: float
    power_kw_per_gpu: float
    gpus_per_server: int
    source: Source


@dataclass(frozen=True)
class GpuPrice:
    """A GPU rented on demand by the hour, and (optionally) what owning one costs.

    ``usd_per_hour_low`` and ``usd_per_hour_high`` bound the on-demand price
    across GPU clouds (the uncertainty analysis draws within them).
    """

    key: str
    name: str
    usd_per_hour: float
    source: Source
    owned: OwnedHardware | None = None
    usd_per_hour_low: float | None = None
    usd_per_hour_high: float | None = None


@dataclass(frozen=True)
class ServingProfile:
    """An open model served on a replica of ``gpus_per_replica`` GPUs, with measured speed.

    ``output_tokens_per_second`` is the replica's decode throughput under
    load (a public benchmark: its engine, precision and token shape are in
    ``source``); ``input_tokens_per_second`` its prefill throughput. A long
    prompt costs replica time too, which output-only benchmarks hide.
    """

    key: str
    name: str
    tier: str
    parameters_billions: float
    gpus_per_replica: int
    gpu: GpuPrice
    output_tokens_per_second: float
    input_tokens_per_second: float
    source: Source

    def busy_seconds_per_query(self, workload: Workload) -> float:
        return float(
            self.busy_seconds(
                workload.avg_input_tokens,
                workload.avg_output_tokens,
                workload.cached_input_share_pct / 100,
            )
        )

    def busy_seconds(self, input_tokens: Num, output_tokens: Num, cached: Num) -> Num:
        """:meth:`busy_seconds_per_query` on numbers or arrays."""
        return (
            input_tokens * (1 - cached) / self.input_tokens_per_second
            + output_tokens / self.output_tokens_per_second
        )

    @property
    def usd_per_replica_month(self) -> float:
        return self.gpus_per_replica * self.gpu.usd_per_hour * HOURS_PER_MONTH


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
class AssumptionRow:
    """One line of the "assumptions used" table (web page and PDF)."""

    label: str
    value: str
    unit: str
    source: str
    as_of: date | None
    url: str = ""
    judgement: bool = False
    # The plausible range of a figure with one (scalars, GPU prices), as shown.
    low: float | None = None
    high: float | None = None


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
            _require(math.isfinite(value), f"{spec.name} must be a finite number")
            if spec.name in SIGNED_ASSUMPTIONS:
                _require(-100 < value <= 1000, f"{spec.name} must be above -100")
            else:
                _require(value >= 0, f"{spec.name} must be 0 or more")
        _require(
            0 < self.target_utilization_pct <= 100, "target_utilization_pct must be in (0, 100]"
        )
        _require(
            self.operations_gpus_per_additional_engineer > 0,
            "operations_gpus_per_additional_engineer must be above 0",
        )
        _require(self.owned_depreciation_months > 0, "owned_depreciation_months must be above 0")
        _require(
            0 < self.serving_efficiency_pct <= 100, "serving_efficiency_pct must be in (0, 100]"
        )
        _require(
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
            _require(profile.gpus_per_replica >= 1, f"{profile.key}: gpus_per_replica >= 1")
            _require(
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
        rows = [_api_row("API model", self.api_model)]
        if self.router_model is not None:
            rows.append(_api_row("Router's mini-class API model", self.router_model))
        for role, profile in (
            ("Self-hosted model", self.self_host_model),
            ("Hybrid small model", self.small_model),
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
    _require(api_tier in TIERS, f"unknown tier {api_tier!r}")
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


# --- outputs ----------------------------------------------------------------


DERIVED_FIGURES: Mapping[str, str] = {
    # TCO over the horizon per option, USD. Never None.
    "tco_api_usd": "float",
    "tco_self_host_usd": "float",
    "tco_hybrid_usd": "float",
    # The "API with a router" variant's TCO, USD; None without a router model.
    "tco_api_router_usd": "float",
    # Option TCO / API TCO. None when the API TCO is 0 (no queries, free model).
    "tco_ratio_self_host": "float",
    "tco_ratio_hybrid": "float",
    # TCO per 1,000 queries, USD. 0 when there are no queries.
    "cost_per_1k_queries_api_usd": "float",
    "cost_per_1k_queries_self_host_usd": "float",
    "cost_per_1k_queries_hybrid_usd": "float",
    # First month (1-based) from which the option stays at or below the API
    # cumulatively. None when it never does within the horizon.
    "break_even_month_self_host": "integer",
    "break_even_month_hybrid": "integer",
    # Volume multiplier at which the option's TCO equals the API's.
    # None: dearer even at 10,000x or no volume; 0.01: cheaper even at 1 %.
    "break_even_volume_multiplier_self_host": "float",
    "break_even_volume_multiplier_hybrid": "float",
    # Largest fleet over the horizon (replicas x GPUs per replica). Never None.
    "peak_gpus_self_host": "integer",
    "peak_gpus_hybrid": "integer",
    # Mean monthly queries over the horizon, growth included: what volume
    # rules read (month 1 alone ignores 20 % a month). None if not projected.
    "average_monthly_queries": "float",
    # The last month's queries, growth compounded, and that over the first
    # month's: a growth caveat reads them (decision model v3). None if not projected.
    "monthly_queries_at_horizon": "float",
    "growth_multiple_at_horizon": "float",
    # Decision model v3: each option's cost over the first 12 months as the
    # result shows it (the adjusted median path: "Year 1" of the yearly table),
    # and the first-year overhead within it. None under older decision models.
    "first_year_api_usd": "float",
    "first_year_open_api_usd": "float",
    "first_year_self_host_usd": "float",
    "first_year_hybrid_usd": "float",
    "first_year_overhead_self_host_usd": "float",
    "first_year_overhead_hybrid_usd": "float",
    # Decision model v3: the last month's queries the costs use (a growth rate fitted
    # from a short usage history stops at 10 times today's volume). None before v3.
    "costed_monthly_queries_at_horizon": "float",
}

VERDICT_FIGURES: tuple[str, ...] = tuple(
    name
    for name in DERIVED_FIGURES
    if name.startswith("first_year_") or name == "costed_monthly_queries_at_horizon"
)


@dataclass(frozen=True)
class OptionProjection:
    """One option's monthly costs over the horizon (USD; months are 1-based in prose)."""

    option: str
    monthly_usd: tuple[float, ...]
    components: Mapping[str, tuple[float, ...]]
    cumulative_usd: tuple[float, ...]
    tco_usd: float
    cost_per_1k_queries_usd: float
    replicas_per_month: tuple[int, ...]
    gpus_per_month: tuple[int, ...] = ()
    profile: str | None = None

    def to_dict(self) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "tco_usd": _cents(self.tco_usd),
            "monthly_usd": [_cents(value) for value in self.monthly_usd],
            "cost_per_1k_queries_usd": round(self.cost_per_1k_queries_usd, 4),
            "cumulative_usd": [_cents(value) for value in self.cumulative_usd],
            "components": {
                name: [_cents(value) for value in series]
                for name, series in self.components.items()
            },
            "replicas_per_month": list(self.replicas_per_month),
        }
        if self.profile is not None:
            figures["profile"] = self.profile
        return figures


@dataclass(frozen=True)
class Projection:
    """The three options side by side, with break-even, sensitivity and variants."""

    horizon_months: int
    options: Mapping[str, OptionProjection]
    break_even_month: Mapping[str, int | None]
    break_even_volume_multiplier: Mapping[str, float | None]
    variants: Mapping[str, OptionProjection] = field(default_factory=dict)
    gpu_pricing: str = "on_demand"
    average_monthly_queries: float | None = None
    monthly_queries_at_horizon: float | None = None
    growth_multiple_at_horizon: float | None = None

    def derived_figures(self) -> dict[str, float | int | None]:
        """The figures rules may use, named and typed as in ``DERIVED_FIGURES``."""
        api_tco = self.options["api"].tco_usd
        figures: dict[str, float | int | None] = {}
        for option in OPTIONS:
            figures[f"tco_{option}_usd"] = self.options[option].tco_usd
            figures[f"cost_per_1k_queries_{option}_usd"] = self.options[
                option
            ].cost_per_1k_queries_usd
        router = self.variants.get("api_router")
        figures["tco_api_router_usd"] = router.tco_usd if router is not None else None
        for option in SELF_HOSTED_OPTIONS:
            tco = self.options[option].tco_usd
            figures[f"tco_ratio_{option}"] = tco / api_tco if api_tco > 0 else None
            figures[f"break_even_month_{option}"] = self.break_even_month[option]
            figures[f"break_even_volume_multiplier_{option}"] = self.break_even_volume_multiplier[
                option
            ]
            figures[f"peak_gpus_{option}"] = max(self.options[option].gpus_per_month, default=0)
        figures["average_monthly_queries"] = self.average_monthly_queries
        figures["monthly_queries_at_horizon"] = self.monthly_queries_at_horizon
        figures["growth_multiple_at_horizon"] = self.growth_multiple_at_horizon
        # Decision model v3 fills these from its verdict (advisor.scoring.shown).
        figures |= dict.fromkeys(VERDICT_FIGURES)
        return figures

    def to_dict(self) -> dict[str, Any]:
        """The "costs" object of the command-line JSON contract (USD rounded to cents)."""
        multipliers = self.break_even_volume_multiplier
        return {
            "horizon_months": self.horizon_months,
            "options": {option: self.options[option].to_dict() for option in OPTIONS},
            "variants": {name: variant.to_dict() for name, variant in self.variants.items()},
            "break_even_month": dict(self.break_even_month),
            "break_even_volume_multiplier": {
                option: None if value is None else round(value, 4)
                for option, value in multipliers.items()
            },
            "gpu_pricing": self.gpu_pricing,
        }


# --- the model --------------------------------------------------------------


def project(
    workload: Workload, assumptions: Assumptions, *, sensitivity: bool = True
) -> Projection:
    """Project all three options (and the router variant) over the horizon.

    The planner first picks each self-hosted option's profile (see
    :func:`planned`). ``sensitivity=False`` skips the break-even volume solve
    (the multipliers are then None), the costly part.
    """
    assumptions = planned(workload, assumptions)
    scenarios = Scenarios.point(workload, assumptions)
    queries = scenarios.queries(np.ones(1))
    options = {
        option: _project_option(option, scenarios, assumptions, queries) for option in OPTIONS
    }
    variants = {}
    if assumptions.router_model is not None:
        variants["api_router"] = _project_option("api_router", scenarios, assumptions, queries)
    api_cumulative = options["api"].cumulative_usd
    break_even_month = {
        option: _break_even_month(options[option].cumulative_usd, api_cumulative)
        for option in SELF_HOSTED_OPTIONS
    }
    multipliers = {
        option: float(break_even_multipliers(option, scenarios, assumptions)[0])
        if sensitivity and workload.monthly_queries > 0
        else None
        for option in SELF_HOSTED_OPTIONS
    }
    return Projection(
        workload.horizon_months,
        options,
        break_even_month,
        {option: None if _is_nan(value) else value for option, value in multipliers.items()},
        variants,
        workload.gpu_pricing,
        float(queries.mean()),
        float(queries[0, -1]),
        (1 + workload.monthly_growth_pct / 100) ** (workload.horizon_months - 1),
    )


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


def break_even_volume_multiplier(
    option: str, workload: Workload, assumptions: Assumptions
) -> float | None:
    """The factor on ``monthly_queries`` from which ``option`` costs no more than the API.

    See the module docstring for the search and the None cases.
    """
    _require(option in SELF_HOSTED_OPTIONS, f"no break-even for option {option!r}")
    if workload.monthly_queries == 0:
        return None
    assumptions = planned(workload, assumptions)
    value = float(
        break_even_multipliers(option, Scenarios.point(workload, assumptions), assumptions)[0]
    )
    return None if _is_nan(value) else value


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

    def __getattr__(self, name: str) -> Num:
        # Scalar assumptions read like attributes: scenarios.engineer_monthly_cost_usd.
        try:
            return self.__dict__["scalars"][name]
        except KeyError:
            raise AttributeError(name) from None

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


def break_even_multipliers(
    option: str,
    scenarios: Scenarios,
    assumptions: Assumptions,
    grids: tuple[int, ...] = (_GRID_POINTS,) + (_REFINE_POINTS,) * _REFINEMENTS,
) -> FloatArray:
    """:func:`break_even_volume_multiplier` for each scenario (NaN where there is none).

    A log-spaced grid of ``grids[0]`` points, then refinements of the next
    sizes around each scenario's crossing; at each volume the planner's
    cheapest configuration counts. The default reaches 4 significant digits;
    the uncertainty analysis asks for coarser grids over many draws.
    """
    rows = scenarios.rows
    low, high = MULTIPLIER_BRACKET
    lower = np.full(rows, low)
    upper = np.full(rows, high)
    result = np.full(rows, np.nan)
    active = np.ones(rows, dtype=bool)
    profiles = assumptions.candidate_profiles(option)
    last_pass = len(grids) - 1
    for refinement, points in enumerate(grids):
        fractions = np.linspace(0.0, 1.0, points)
        grid = lower[:, None] * (upper / lower)[:, None] ** fractions[None, :]  # (rows, points)
        repeated = scenarios.repeat(points)
        queries = _queries_for_grid(repeated, grid)
        api = option_totals("api", repeated, assumptions, queries).sum(axis=1)
        tcos = np.array(
            [
                option_totals(option, repeated, assumptions, queries, profile).sum(axis=1)
                for profile in profiles
            ]
        )
        cheaper = (tcos.min(axis=0) <= api * (1 + 1e-12)).reshape(rows, points)
        best = tcos.argmin(axis=0).reshape(rows, points)
        if refinement == 0:
            result[cheaper.all(axis=1)] = low
            active &= ~cheaper.all(axis=1) & cheaper[:, -1]
        dearer = ~cheaper
        # The last volume at which the option is dearer, and the next one.
        last = points - 1 - np.argmax(dearer[:, ::-1], axis=1)
        last = np.minimum(last, points - 2)
        index = np.arange(rows)
        if refinement == last_pass:
            result[active] = grid[index, last + 1][active]
            return result
        lower, upper = grid[index, last], grid[index, last + 1]
        # Within so narrow a bracket the cheapest configuration is one of
        # those cheapest at its ends: refining needs no others.
        ends = sorted(
            {int(value) for value in best[index, last][active]}
            | {int(value) for value in best[index, last + 1][active]}
        )
        profiles = tuple(profiles[value] for value in ends) or profiles[:1]
    return result  # pragma: no cover - the loop always returns


def _queries_for_grid(scenarios: Scenarios, grid: FloatArray) -> FloatArray:
    """Queries for a (rows, points) grid of multipliers, one scenario row per point."""
    growth = (1 + np.asarray(scenarios.growth_pct, dtype=float) / 100) ** np.arange(
        scenarios.months
    )
    return scenarios.monthly_queries * grid.reshape(-1, 1) * growth


def _chosen(option: str, assumptions: Assumptions) -> ServingProfile | None:
    if option == "self_host":
        return assumptions.self_host_model
    if option == "hybrid":
        return assumptions.small_model
    return None


def _project_option(
    option: str, scenarios: Scenarios, assumptions: Assumptions, queries: FloatArray
) -> OptionProjection:
    profile = _chosen(option, assumptions)
    costs = option_costs(option, scenarios, assumptions, queries, profile)
    components = {
        name: tuple(np.broadcast_to(costs.components[name], queries.shape)[0].tolist())
        for name in COMPONENTS
    }
    monthly_array = np.sum([costs.components[name][0] for name in COMPONENTS], axis=0)
    monthly = tuple(np.broadcast_to(monthly_array, queries.shape[-1:]).tolist())
    cumulative = tuple(np.cumsum(monthly).tolist())
    tco = math.fsum(monthly)
    # Per query served: without a bridge, the build-out's traffic is not served at all.
    served = np.broadcast_to(queries * costs.served_share, queries.shape)
    total_queries = float(served[0].sum())
    per_1k = tco / total_queries * 1000 if total_queries > 0 else 0.0
    return OptionProjection(
        option=option,
        monthly_usd=monthly,
        components=components,
        cumulative_usd=cumulative,
        tco_usd=tco,
        cost_per_1k_queries_usd=per_1k,
        replicas_per_month=tuple(int(value) for value in costs.replicas[0]),
        gpus_per_month=tuple(int(value) for value in costs.gpus[0]),
        profile=profile.key if profile is not None else None,
    )


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
    api_trend = _trend(p.api_price_trend_pct_per_year, months)
    start = assumptions.start_date or date.today()
    api_per_query = (
        assumptions.api_model.per_query_by_month(
            p.avg_input_tokens,
            p.avg_output_tokens,
            p.cached_share,
            p.batch_share,
            months=months,
            start=start,
        )
        * api_trend
    )
    if option in ("api", "api_router"):
        api_usd = queries * api_per_query
        if option == "api_router" and assumptions.router_model is not None:
            router_per_query = (
                assumptions.router_model.per_query_by_month(
                    p.avg_input_tokens,
                    p.avg_output_tokens,
                    p.cached_share,
                    p.batch_share,
                    months=months,
                    start=start,
                )
                * api_trend
            )
            api_usd = queries * (
                p.simple_share * router_per_query + (1 - p.simple_share) * api_per_query
            )
        components = {name: zeros for name in COMPONENTS} | {"api_tokens": api_usd}
        return OptionCosts(components, zeros, zeros)
    _require(profile is not None, f"{option} needs a serving profile")
    assert profile is not None  # for the type checker; _require raised otherwise
    share = 1.0 if option == "self_host" else p.simple_share
    base_fte = p.operations_fte_self_host if option == "self_host" else p.operations_fte_hybrid
    in_production, moved = _migration(p.build_out_months, p.migration_ramp_months, months)
    served = queries * share * moved
    min_replicas = p.min_replicas_customer_facing if p.customer_facing else p.min_replicas_internal
    replicas = np.where(
        in_production,
        np.maximum(min_replicas, _replicas_needed(served, p, profile)),
        p.build_out_replicas,
    )
    gpus = replicas * profile.gpus_per_replica
    gpus_usd, billed_gpus = _gpu_spend(gpus, p, profile.gpu)
    engineers = np.where(
        in_production,
        base_fte
        + np.maximum(0.0, billed_gpus - p.operations_base_fleet_gpus)
        / p.operations_gpus_per_additional_engineer
        + (p.on_call_fte if p.customer_facing else 0.0),
        base_fte,
    )
    overhead_total = p.first_year_overhead_pct / 100 * p.first_year_budget_usd
    if option == "hybrid":
        overhead_total = overhead_total * p.hybrid_overhead_share_pct / 100
    overhead = _first_year(months) * (overhead_total / min(FIRST_YEAR_MONTHS, months))
    components = {
        # The hybrid's long tail always; the traffic not yet moved only if the API may bridge.
        "api_tokens": queries
        * ((1 - share) + (share * (1 - moved) if p.api_bridge else 0.0))
        * api_per_query,
        "gpus": gpus_usd,
        "infrastructure": gpus_usd * p.infrastructure_pct_of_gpu / 100,
        "operations": engineers * p.engineer_monthly_cost_usd,
        "overhead": np.broadcast_to(overhead, queries.shape),
    }
    served_share = 1.0 if p.api_bridge else (1 - share) + share * moved
    return OptionCosts(components, replicas, billed_gpus, served_share)


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
    needed = rate * busy / (p.target_utilization_pct / 100) / (p.serving_efficiency_pct / 100)
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
            billed * owned.usd_per_gpu / p.owned_depreciation_months
            + kw * HOURS_PER_MONTH * p.datacenter_pue * p.electricity_usd_per_kwh
            + kw * p.colocation_usd_per_kw_month
        )
        return usd, billed
    trend = _trend(p.gpu_price_trend_pct_per_year, months)
    hourly = _gpu_hourly(gpu, p)
    term = _RESERVED_TERM_MONTHS.get(pricing)
    if term is None:  # on demand, or owned without owned figures for this GPU
        return gpus * hourly * HOURS_PER_MONTH * trend, gpus
    discount = (
        p.reserved_1y_discount_pct if pricing == "reserved_1y" else p.reserved_3y_discount_pct
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


def _break_even_month(option: tuple[float, ...], api: tuple[float, ...]) -> int | None:
    month = None
    for index in range(len(api) - 1, -1, -1):
        if option[index] > api[index]:
            break
        month = index + 1
    return month


def _is_nan(value: float | None) -> bool:
    return value is not None and math.isnan(value)


# --- helpers ----------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _to_int(value: Any) -> int:
    number = float(value)
    _require(number == int(number), f"expected a whole number, got {value!r}")
    return int(number)


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        _require(value.lower() in {"true", "false"}, f"expected true or false, got {value!r}")
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


def _cents(value: float) -> float:
    return round(value, 2)


def _unique_gpus(*profiles: ServingProfile) -> list[GpuPrice]:
    seen: dict[str, GpuPrice] = {}
    for profile in profiles:
        seen.setdefault(profile.gpu.key, profile.gpu)
    return list(seen.values())
