"""The cost model: 36-month projections for the API, self-hosting and the hybrid.

Pure and deterministic: frozen dataclasses in, frozen dataclasses out, no
Django. ``advisor/costs/services.py`` builds the inputs from the price catalog.

The brief's reasoning, as arithmetic (every money figure is US dollars):

Volume, month by month
    ``queries in month m = monthly_queries x (1 + monthly_growth_pct / 100) ^ (m - 1)``
    for m = 1 .. horizon_months (growth compounds monthly; no rounding).

API option
    ``api_tokens usd = queries x (avg_input_tokens x usd per input token
    + avg_output_tokens x usd per output token)``: per-token pricing, input
    and output priced separately, nothing fixed.

Self-hosting option (the open model of the same capability tier, "like for like")
    *Capacity.* One query keeps a replica busy for
    ``avg_input_tokens / input_tokens_per_second + avg_output_tokens / output_tokens_per_second``
    seconds (prefill, then decode; both measured per replica). The average
    query rate is ``queries / 2,628,000`` (730 hours x 3,600 seconds); the
    fleet is sized for the peak, ``average rate x peak factor`` of the load
    pattern, with each replica loaded to the target utilization:
    ``replicas = ceil(peak rate x busy seconds per query / target utilization)``,
    and at least ``min_replicas_customer_facing`` (2, for high availability)
    when customer-facing, else ``min_replicas_internal``.
    *GPUs.* ``gpus usd = replicas x gpus_per_replica x usd_per_hour x 730``.
    *Operations.* The brief's "one engineer-month per month" holds for a
    small fleet; it grows with the fleet:
    ``engineers = operations_fte_self_host + max(0, gpus - operations_base_fleet_gpus)
    / operations_gpus_per_additional_engineer`` and
    ``operations usd = engineers x engineer_monthly_cost_usd``.
    *Overhead.* Self-hosting adds 20-40 % to the first-year engagement cost:
    ``first_year_overhead_pct / 100 x first_year_budget_usd``, spread evenly
    over months 1-12 (or the horizon, if shorter).
    *Build-out.* For the first ``build_out_months`` the service is not in
    production: all traffic is still paid to the API, the team is already
    paid (``operations_fte_self_host`` engineers) and ``build_out_replicas``
    replicas are rented for development and load tests.

Hybrid option (a small, 8B-class self-hosted model for the simple queries)
    ``simple_query_share_pct`` of the queries go to the small model, costed as
    self-hosting above but with its own fleet and ``operations_fte_hybrid``
    engineers as the base; the rest go to the API model. The first-year
    overhead is scaled by ``operations_fte_hybrid / operations_fte_self_host``
    (both measure how much self-hosting work the option carries). The fleet
    is built even when the simple share is 0: choosing the hybrid means
    running the router and the small model. The build-out is as above.

Outputs
    *TCO* is the sum of the monthly totals over the horizon.
    *Cost per 1,000 queries* is ``TCO / total queries x 1,000`` (0 when there
    are no queries).
    *Break-even month* of an option is the first month (1-based) from which its
    cumulative cost stays at or below the API's until the end of the horizon;
    ``None`` when there is none (so a break-even that is lost again because
    volume shrinks does not count).
    *Break-even volume multiplier* is the factor ``k`` on ``monthly_queries``
    at which the option's TCO equals the API's over the horizon, found by
    bisection in log space over ``[0.01, 10000]``; the option's TCO is a step
    function of volume with a lower slope than the API's straight line, so
    the difference crosses zero once. ``None`` when the option is still dearer
    at 10,000x the volume or when ``monthly_queries`` is 0; ``0.01`` when the
    option is cheaper even at 1 % of the volume. A value below 1 means the
    option is already cheaper at today's volume.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

OPTIONS: tuple[str, ...] = ("api", "self_host", "hybrid")
SELF_HOSTED_OPTIONS: tuple[str, ...] = ("self_host", "hybrid")
LOAD_PATTERNS: tuple[str, ...] = ("steady", "business_hours", "spiky", "unknown")
TIERS: tuple[str, ...] = ("frontier", "mid", "small")
COMPONENTS: tuple[str, ...] = ("api_tokens", "gpus", "operations", "overhead")

HOURS_PER_MONTH = 730  # 8,760 hours a year / 12, the convention GPU clouds bill by
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
FIRST_YEAR_MONTHS = 12
MULTIPLIER_BRACKET: tuple[float, float] = (0.01, 10_000.0)
# Bisection stops when the bracket is narrower than this ratio: 4 significant
# digits is more than any input figure carries.
_MULTIPLIER_RELATIVE_PRECISION = 1e-4
# Guards ceil() against float noise: 2.0000000000004 replicas are 2 replicas.
_CEIL_TOLERANCE = 1e-9


# --- inputs -----------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    """What the buyer runs: volume, tokens per query, load shape, horizon.

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

    def __post_init__(self) -> None:
        _require(self.monthly_queries >= 0, "monthly_queries must be 0 or more")
        _require(self.avg_input_tokens >= 0, "avg_input_tokens must be 0 or more")
        _require(self.avg_output_tokens >= 0, "avg_output_tokens must be 0 or more")
        _require(self.load_pattern in LOAD_PATTERNS, f"unknown load_pattern {self.load_pattern!r}")
        _require(-100 < self.monthly_growth_pct <= 1000, "monthly_growth_pct must be above -100")
        _require(0 <= self.simple_query_share_pct <= 100, "simple_query_share_pct must be 0-100")
        _require(1 <= self.horizon_months <= 600, "horizon_months must be 1-600")

    def queries_by_month(self, multiplier: float = 1.0) -> tuple[float, ...]:
        """Queries in each month of the horizon, growth compounded monthly."""
        growth = 1 + self.monthly_growth_pct / 100
        first = self.monthly_queries * multiplier
        return tuple(first * growth**month for month in range(self.horizon_months))


@dataclass(frozen=True)
class Source:
    """Where a figure comes from and the date it was true on (None: entered by hand)."""

    text: str
    as_of: date | None = None


@dataclass(frozen=True)
class ApiModelPrice:
    """A commercial model called per token (``key`` is the LiteLLM model name)."""

    key: str
    name: str
    provider: str
    tier: str
    usd_per_input_token: float
    usd_per_output_token: float
    source: Source

    def usd_per_query(self, workload: Workload) -> float:
        return (
            workload.avg_input_tokens * self.usd_per_input_token
            + workload.avg_output_tokens * self.usd_per_output_token
        )


@dataclass(frozen=True)
class GpuPrice:
    """A GPU rented on demand by the hour."""

    key: str
    name: str
    usd_per_hour: float
    source: Source


@dataclass(frozen=True)
class ServingProfile:
    """An open model served on a replica of ``gpus_per_replica`` GPUs, with measured speed.

    ``output_tokens_per_second`` is the replica's decode throughput under
    load (e.g. vLLM benchmarks); ``input_tokens_per_second`` its prefill
    throughput. A long prompt costs replica time too, which output-only
    benchmarks hide.
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
        return (
            workload.avg_input_tokens / self.input_tokens_per_second
            + workload.avg_output_tokens / self.output_tokens_per_second
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
    ScalarAssumption("first_year_overhead_pct", "First-year overhead of self-hosting", "%"),
    ScalarAssumption("first_year_budget_usd", "First-year engagement budget", "USD"),
    ScalarAssumption("build_out_months", "Build-out before production (API still paid)", "months"),
    ScalarAssumption("build_out_replicas", "Replicas rented during build-out", "replicas"),
    ScalarAssumption("target_utilization_pct", "Target replica utilization at peak", "%"),
    ScalarAssumption("peak_factor_steady", "Peak / average load, steady", "x"),
    ScalarAssumption("peak_factor_business_hours", "Peak / average load, business hours", "x"),
    ScalarAssumption("peak_factor_spiky", "Peak / average load, spiky", "x"),
    ScalarAssumption("peak_factor_unknown", "Peak / average load, unknown", "x"),
    ScalarAssumption(
        "min_replicas_customer_facing", "Minimum replicas, customer-facing (HA)", "replicas"
    ),
    ScalarAssumption("min_replicas_internal", "Minimum replicas, internal", "replicas"),
)
INTEGER_ASSUMPTIONS: frozenset[str] = frozenset(
    {
        "operations_base_fleet_gpus",
        "build_out_months",
        "build_out_replicas",
        "min_replicas_customer_facing",
        "min_replicas_internal",
    }
)


@dataclass(frozen=True)
class AssumptionRow:
    """One line of the "assumptions used" table (web page and PDF)."""

    label: str
    value: str
    unit: str
    source: str
    as_of: date | None


@dataclass(frozen=True)
class Assumptions:
    """Every figure the projection uses, each traceable to a source and a date.

    ``sources`` maps each scalar field name (``SCALAR_ASSUMPTIONS``) to its
    :class:`Source`; catalog entries carry their own. ``notes`` records
    choices made for the buyer (e.g. a like-for-like substitution).
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

    def __post_init__(self) -> None:
        for spec in SCALAR_ASSUMPTIONS:
            value = getattr(self, spec.name)
            _require(math.isfinite(value) and value >= 0, f"{spec.name} must be 0 or more")
        _require(
            0 < self.target_utilization_pct <= 100, "target_utilization_pct must be in (0, 100]"
        )
        _require(
            self.operations_gpus_per_additional_engineer > 0,
            "operations_gpus_per_additional_engineer must be above 0",
        )
        for profile in (self.self_host_model, self.small_model):
            _require(profile.gpus_per_replica >= 1, f"{profile.key}: gpus_per_replica >= 1")
            _require(
                profile.output_tokens_per_second > 0 and profile.input_tokens_per_second > 0,
                f"{profile.key}: throughputs must be above 0",
            )

    def peak_factor(self, load_pattern: str) -> float:
        return float(getattr(self, f"peak_factor_{load_pattern}"))

    def rows(self) -> list[AssumptionRow]:
        """The "assumptions used" table: catalog entries first, then scalars."""
        api, big, small = self.api_model, self.self_host_model, self.small_model
        rows = [
            AssumptionRow(
                f"API model: {api.name}",
                f"{_per_million(api.usd_per_input_token)} in / "
                f"{_per_million(api.usd_per_output_token)} out",
                "USD per 1M tokens",
                api.source.text,
                api.source.as_of,
            ),
        ]
        for role, profile in (("Self-hosted model", big), ("Hybrid small model", small)):
            rows.append(
                AssumptionRow(
                    f"{role}: {profile.name}",
                    f"{profile.output_tokens_per_second:,.0f} out / "
                    f"{profile.input_tokens_per_second:,.0f} in, "
                    f"{profile.gpus_per_replica} x {profile.gpu.name}",
                    "tokens/s per replica",
                    profile.source.text,
                    profile.source.as_of,
                )
            )
        for gpu in _unique_gpus(big, small):
            rows.append(
                AssumptionRow(
                    f"GPU: {gpu.name}",
                    f"{gpu.usd_per_hour:,.2f}",
                    "USD/hour",
                    gpu.source.text,
                    gpu.source.as_of,
                )
            )
        for spec in SCALAR_ASSUMPTIONS:
            source = self.sources.get(spec.name, Source("unspecified"))
            value = getattr(self, spec.name)
            shown = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
            rows.append(AssumptionRow(spec.label, shown, spec.unit, source.text, source.as_of))
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


def workload_from_answers(answers: Mapping[str, Any]) -> Workload:
    """The workload part of an assessment's answers (question keys of design.md).

    Missing or ``None`` answers take the question's default; numbers may
    arrive as ``Decimal`` or strings and are converted.
    """
    defaults = Workload(monthly_queries=0)

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
    )


# --- outputs ----------------------------------------------------------------


DERIVED_FIGURES: Mapping[str, str] = {
    # TCO over the horizon per option, USD. Never None.
    "tco_api_usd": "float",
    "tco_self_host_usd": "float",
    "tco_hybrid_usd": "float",
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
}


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

    def to_dict(self) -> dict[str, Any]:
        return {
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


@dataclass(frozen=True)
class Projection:
    """The three options side by side, with break-even and sensitivity."""

    horizon_months: int
    options: Mapping[str, OptionProjection]
    break_even_month: Mapping[str, int | None]
    break_even_volume_multiplier: Mapping[str, float | None]

    def derived_figures(self) -> dict[str, float | int | None]:
        """The figures rules may use, named and typed as in ``DERIVED_FIGURES``."""
        api_tco = self.options["api"].tco_usd
        figures: dict[str, float | int | None] = {}
        for option in OPTIONS:
            figures[f"tco_{option}_usd"] = self.options[option].tco_usd
            figures[f"cost_per_1k_queries_{option}_usd"] = self.options[
                option
            ].cost_per_1k_queries_usd
        for option in SELF_HOSTED_OPTIONS:
            tco = self.options[option].tco_usd
            figures[f"tco_ratio_{option}"] = tco / api_tco if api_tco > 0 else None
            figures[f"break_even_month_{option}"] = self.break_even_month[option]
            figures[f"break_even_volume_multiplier_{option}"] = self.break_even_volume_multiplier[
                option
            ]
            figures[f"peak_gpus_{option}"] = max(self.options[option].gpus_per_month, default=0)
        return figures

    def to_dict(self) -> dict[str, Any]:
        """The "costs" object of the command-line JSON contract (USD rounded to cents)."""
        multipliers = self.break_even_volume_multiplier
        return {
            "horizon_months": self.horizon_months,
            "options": {option: self.options[option].to_dict() for option in OPTIONS},
            "break_even_month": dict(self.break_even_month),
            "break_even_volume_multiplier": {
                option: None if value is None else round(value, 4)
                for option, value in multipliers.items()
            },
        }


# --- the model --------------------------------------------------------------


def project(
    workload: Workload, assumptions: Assumptions, *, sensitivity: bool = True
) -> Projection:
    """Project all three options over ``workload.horizon_months``.

    ``sensitivity=False`` skips the break-even volume solve (the multipliers
    are then None); it is the costly part (about 20 projections per option).
    """
    queries = workload.queries_by_month()
    options = {
        option: _project_option(option, workload, assumptions, queries) for option in OPTIONS
    }
    api_cumulative = options["api"].cumulative_usd
    break_even_month = {
        option: _break_even_month(options[option].cumulative_usd, api_cumulative)
        for option in SELF_HOSTED_OPTIONS
    }
    multipliers = {
        option: break_even_volume_multiplier(option, workload, assumptions) if sensitivity else None
        for option in SELF_HOSTED_OPTIONS
    }
    return Projection(workload.horizon_months, options, break_even_month, multipliers)


def break_even_volume_multiplier(
    option: str, workload: Workload, assumptions: Assumptions
) -> float | None:
    """The factor on ``monthly_queries`` at which ``option`` costs what the API does.

    Bisection in log space on ``TCO(option) - TCO(api)`` over
    ``MULTIPLIER_BRACKET``; returns the smallest tested multiplier at which
    the option is no dearer. See the module docstring for the None cases.
    """
    _require(option in SELF_HOSTED_OPTIONS, f"no break-even for option {option!r}")
    if workload.monthly_queries == 0:
        return None
    # The API's TCO is linear in volume: compute it once, scale it per probe.
    api_tco_at_one = assumptions.api_model.usd_per_query(workload) * math.fsum(
        workload.queries_by_month()
    )

    def option_is_no_dearer(multiplier: float) -> bool:
        queries = workload.queries_by_month(multiplier)
        tco = math.fsum(_monthly_totals(option, workload, assumptions, queries))
        return tco <= api_tco_at_one * multiplier

    low, high = MULTIPLIER_BRACKET
    if option_is_no_dearer(low):
        return low
    if not option_is_no_dearer(high):
        return None
    while high / low > 1 + _MULTIPLIER_RELATIVE_PRECISION:
        middle = math.sqrt(low * high)
        if option_is_no_dearer(middle):
            high = middle
        else:
            low = middle
    return high


def _project_option(
    option: str, workload: Workload, assumptions: Assumptions, queries: tuple[float, ...]
) -> OptionProjection:
    components, replicas, gpus = _components(option, workload, assumptions, queries)
    monthly = tuple(
        math.fsum(series[month] for series in components.values())
        for month in range(workload.horizon_months)
    )
    cumulative = _running_sums(monthly)
    tco = math.fsum(monthly)
    total_queries = math.fsum(queries)
    per_1k = tco / total_queries * 1000 if total_queries > 0 else 0.0
    return OptionProjection(
        option=option,
        monthly_usd=monthly,
        components=components,
        cumulative_usd=cumulative,
        tco_usd=tco,
        cost_per_1k_queries_usd=per_1k,
        replicas_per_month=replicas,
        gpus_per_month=gpus,
    )


def _monthly_totals(
    option: str, workload: Workload, assumptions: Assumptions, queries: tuple[float, ...]
) -> list[float]:
    components, _, _ = _components(option, workload, assumptions, queries)
    return [math.fsum(month) for month in zip(*components.values(), strict=True)]


def _components(
    option: str, workload: Workload, assumptions: Assumptions, queries: tuple[float, ...]
) -> tuple[dict[str, tuple[float, ...]], tuple[int, ...], tuple[int, ...]]:
    """Monthly USD per component, replicas and GPUs per month, for one option."""
    api_per_query = assumptions.api_model.usd_per_query(workload)
    if option == "api":
        zeros = (0.0,) * len(queries)
        api = tuple(count * api_per_query for count in queries)
        none = (0,) * len(queries)
        return (
            {"api_tokens": api, "gpus": zeros, "operations": zeros, "overhead": zeros},
            (none),
            none,
        )
    if option == "self_host":
        profile, share, base_fte = (
            assumptions.self_host_model,
            1.0,
            assumptions.operations_fte_self_host,
        )
    else:
        profile, share, base_fte = (
            assumptions.small_model,
            workload.simple_query_share_pct / 100,
            assumptions.operations_fte_hybrid,
        )
    overhead_per_month = _overhead_usd_per_month(option, workload, assumptions)
    busy_seconds = profile.busy_seconds_per_query(workload)
    peak_factor = assumptions.peak_factor(workload.load_pattern)
    utilization = assumptions.target_utilization_pct / 100
    min_replicas = (
        assumptions.min_replicas_customer_facing
        if workload.customer_facing
        else assumptions.min_replicas_internal
    )
    api_tokens, gpus_usd, operations, overhead, replicas, gpus = [], [], [], [], [], []
    for month, count in enumerate(queries):
        if month < assumptions.build_out_months:
            # Not in production yet: the API carries all traffic.
            month_replicas = assumptions.build_out_replicas
            api_usd = count * api_per_query
            engineers = base_fte
        else:
            peak_queries_per_second = count / SECONDS_PER_MONTH * peak_factor * share
            needed = peak_queries_per_second * busy_seconds / utilization
            month_replicas = max(min_replicas, math.ceil(needed - _CEIL_TOLERANCE))
            api_usd = count * (1 - share) * api_per_query
            month_gpus = month_replicas * profile.gpus_per_replica
            engineers = base_fte + (
                max(0, month_gpus - assumptions.operations_base_fleet_gpus)
                / assumptions.operations_gpus_per_additional_engineer
            )
        month_gpus = month_replicas * profile.gpus_per_replica
        replicas.append(month_replicas)
        gpus.append(month_gpus)
        api_tokens.append(api_usd)
        gpus_usd.append(month_replicas * profile.usd_per_replica_month)
        operations.append(engineers * assumptions.engineer_monthly_cost_usd)
        overhead.append(overhead_per_month if month < FIRST_YEAR_MONTHS else 0.0)
    components = {
        "api_tokens": tuple(api_tokens),
        "gpus": tuple(gpus_usd),
        "operations": tuple(operations),
        "overhead": tuple(overhead),
    }
    return components, tuple(replicas), tuple(gpus)


def _overhead_usd_per_month(option: str, workload: Workload, assumptions: Assumptions) -> float:
    total = assumptions.first_year_overhead_pct / 100 * assumptions.first_year_budget_usd
    if option == "hybrid":
        base = assumptions.operations_fte_self_host
        total *= assumptions.operations_fte_hybrid / base if base > 0 else 1.0
    return total / min(FIRST_YEAR_MONTHS, workload.horizon_months)


def _break_even_month(option: tuple[float, ...], api: tuple[float, ...]) -> int | None:
    month = None
    for index in range(len(api) - 1, -1, -1):
        if option[index] > api[index]:
            break
        month = index + 1
    return month


def _running_sums(values: tuple[float, ...]) -> tuple[float, ...]:
    sums, total = [], 0.0
    for value in values:
        total += value
        sums.append(total)
    return tuple(sums)


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


def _cents(value: float) -> float:
    return round(value, 2)


def _unique_gpus(*profiles: ServingProfile) -> list[GpuPrice]:
    seen: dict[str, GpuPrice] = {}
    for profile in profiles:
        seen.setdefault(profile.gpu.key, profile.gpu)
    return list(seen.values())
