"""The cost model: 36-month projections for the API, self-hosting and the hybrid.

Pure and deterministic: frozen dataclasses in, frozen dataclasses out, no
Django. ``advisor/costs/services.py`` builds the inputs from the price catalog.
The model is four modules, each importing only those before it:

- :mod:`advisor.costs.assumptions`: the inputs (workload, prices, serving
  profiles, the scalar assumptions and their table);
- :mod:`advisor.costs.monthly`: the month-by-month arithmetic and the planner,
  on numpy arrays shaped ``(scenarios, months)``, so one call costs many
  volumes at once (the break-even solve, the planner, and the uncertainty
  analysis draw on that);
- :mod:`advisor.costs.break_even`: the break-even volume solver;
- this module: :func:`project`, its result, and the figures rules may read.

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

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from advisor.costs.assumptions import Assumptions, Workload
from advisor.costs.break_even import break_even_multipliers, is_nan
from advisor.costs.monthly import COMPONENTS, Scenarios, chosen_profile, option_costs, planned
from advisor.costs.prices import FloatArray
from advisor.options import OPTIONS, SELF_HOSTED_OPTIONS

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
        {option: None if is_nan(value) else value for option, value in multipliers.items()},
        variants,
        workload.gpu_pricing,
        float(queries.mean()),
        float(queries[0, -1]),
        (1 + workload.monthly_growth_pct / 100) ** (workload.horizon_months - 1),
    )


def _project_option(
    option: str, scenarios: Scenarios, assumptions: Assumptions, queries: FloatArray
) -> OptionProjection:
    profile = chosen_profile(option, assumptions)
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


def _break_even_month(option: tuple[float, ...], api: tuple[float, ...]) -> int | None:
    month = None
    for index in range(len(api) - 1, -1, -1):
        if option[index] > api[index]:
            break
        month = index + 1
    return month


def _cents(value: float) -> float:
    return round(value, 2)
