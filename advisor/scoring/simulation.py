"""Decision model v3's Monte Carlo: four options, the router variant and the plan, per draw.

Every draw costs, over the horizon:

``api``
    the buyer's closed model per token (``Assumptions.api_model``);
``open_api``
    the open model self-hosting would run, bought per token from the
    cheapest managed provider (``DecisionInputs.open_api_model``);
``self_host`` / ``hybrid``
    the cost model's own arithmetic (:func:`projection.option_costs`) on a
    continuous fleet (``Scenarios.whole_replicas`` off), so one query more
    never flips the answer on a replica's rounding; the first-year overhead
    is in proportion to what is built: ``overhead_pct`` (the brief's 20-40 %)
    of the option's own first-year GPU, infrastructure and staff spend;
``plan``
    start on ``api`` or ``open_api``, instrument, and move to the cheapest
    own option once the volume has stayed above the trigger for
    :data:`SUSTAINED_MONTHS` months (then its build-out and ramp, bridged by
    the start option); a draw whose volume never gets there stays put.

Each option's *adjusted* TCO adds the rules' cost effects, drawn over their
ranges; the decision rule (:mod:`advisor.scoring.decision`) then picks a
winner in every draw with a drawn default margin, and the recommendation is
the winner on the adjusted P50s with the base margin. Confidence is the
recommendation's ``probability_best``.

Draws are seeded: the same inputs always give the same figures, and fixing
one input leaves every other input's draws as they were.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advisor.costs.assumptions import FIRST_YEAR_MONTHS, Assumptions, Workload
from advisor.costs.monthly import Scenarios, option_costs, planned, triangular_quantile
from advisor.costs.prices import ApiModelPrice, ServingProfile
from advisor.costs.uncertainty import (
    SEED,
    Percentiles,
    draw_scenarios,
    shortlisted,
    uncertain_inputs,
)
from advisor.scoring.decision import RULE_NAME, probability_best, winner, winners
from advisor.scoring.effects import CostEffect, RangeEffect, Triangle

DRAWS = 256
SUSTAINED_MONTHS = 3
PLAN = "plan"
START_OPTIONS: tuple[str, ...] = ("api", "open_api")
OWN_OPTIONS: tuple[str, ...] = ("self_host", "hybrid")
CANDIDATE_ORDER: tuple[str, ...] = ("api", "open_api", "self_host", "hybrid", PLAN)
# A volume estimated without production data: a plan is a candidate when the
# volume's plausible range is wider than this (high / low).
UNMEASURED_VOLUME_SPREAD = 2.0
# A growth rate fitted from a short usage history is extrapolated at most to
# this multiple of today's volume at the horizon's end (judgement: months of
# data cannot support more; the caveat speaks above it).
FITTED_GROWTH_CAP_MULTIPLE = 10.0
# Judgement: a switch that saves less than a tenth is within the noise of a
# 36-month estimate (range 0-25 %, the design's "default margin").
DEFAULT_MARGIN_PCT = Triangle(0.0, 10.0, 25.0)
# The brief: "self-hosting adds 20 to 40 percent to engagement cost in the first year".
FIRST_YEAR_OVERHEAD_PCT = Triangle(20.0, 30.0, 40.0)
CANDIDATES_PER_OPTION = 3
_GRID = np.geomspace(0.01, 100.0, 97)  # the trigger search's first pass: 10 % steps
_COMPONENTS_BUILT = ("gpus", "infrastructure", "operations")
# The money the rules' cost effects add, as a component of an option's path.
ADJUSTMENTS = "adjustments"


@dataclass(frozen=True)
class DecisionInputs:
    """Everything one v3 decision reads, derived once from answers, rules and catalog.

    ``assumptions.api_model`` is the closed API; ``assumptions``' self-host
    candidates are the like-for-like open model's configurations.
    ``open_api_model`` is the cheapest hosted offer of that open model (None:
    no provider serves it, or no open model reaches the quality tier).
    ``given`` names the answers the buyer gave (held fixed unless a range
    effect widens them). ``margin_pct`` and ``overhead_pct`` are the default
    margin and the first-year overhead, in percent, with their ranges.
    ``growth_range``, when set, is a fitted growth rate (% a month) with the
    fit's range.
    """

    workload: Workload
    assumptions: Assumptions
    open_api_model: ApiModelPrice | None = None
    excluded: frozenset[str] = frozenset()
    cost_effects: tuple[tuple[str, CostEffect], ...] = ()  # (rule code, effect)
    range_effects: tuple[RangeEffect, ...] = ()
    given: frozenset[str] = frozenset()
    margin_pct: Triangle = DEFAULT_MARGIN_PCT
    overhead_pct: Triangle = FIRST_YEAR_OVERHEAD_PCT
    volume_measured: bool = True
    growth_range: Triangle | None = None
    draws: int = DRAWS
    # True when ``assumptions`` come from :func:`prepare` already (a chooser
    # deciding many variations of one workload prepares them once).
    prepared: bool = False


@dataclass(frozen=True)
class Adjustment:
    """Money one rule adds to an option's TCO (P50 over the draws, USD)."""

    rule: str
    label: str
    usd: float

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "label": self.label, "usd": round(self.usd, 2)}


@dataclass(frozen=True)
class CostPath:
    """A candidate's adjusted cost month by month over the draws (USD).

    ``cumulative_p50`` is the month-by-month median of the cumulative adjusted
    cost: its last month *is* the adjusted P50 the decision compares (the
    table's figure), so a chart drawn from it ends where the table does.
    ``components`` splits that path's monthly increments by each component's
    mean share of the month's cost over the draws (a median has no
    components of its own), so a breakdown adds up to the line; the rules'
    cost effects are the :data:`ADJUSTMENTS` component (one-offs in the first
    month they apply, monthly amounts every month).
    """

    cumulative_p10: tuple[float, ...]
    cumulative_p50: tuple[float, ...]
    cumulative_p90: tuple[float, ...]
    components: Mapping[str, tuple[float, ...]]

    @property
    def monthly_p50(self) -> tuple[float, ...]:
        """The median path's cost in each month."""
        previous = (0.0, *self.cumulative_p50[:-1])
        return tuple(
            now - before for now, before in zip(self.cumulative_p50, previous, strict=True)
        )

    def total_to_month(self, month: int) -> float:
        """The median path's cumulative cost at the end of ``month`` (1-based)."""
        return self.cumulative_p50[min(month, len(self.cumulative_p50)) - 1]


@dataclass(frozen=True)
class OptionOutcome:
    """One candidate's costs over the draws.

    ``cumulative`` (draws, months) is the adjusted cumulative cost in each
    draw, ``component_means`` each component's mean per month; :attr:`path`
    is read from them when a result shows it (most verdicts, a flip's, never are).
    """

    option: str
    tco: Percentiles
    adjusted: Percentiles
    adjustments: tuple[Adjustment, ...]
    allowed: bool
    cumulative: NDArray[np.float64] | None = field(default=None, repr=False, compare=False)
    component_means: Mapping[str, NDArray[np.float64]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @cached_property
    def path(self) -> CostPath | None:
        """The adjusted median path (:class:`CostPath`); None without the draws."""
        if self.cumulative is None:
            return None
        return _path(self.cumulative, self.component_means)

    @property
    def adjusted_tco_usd(self) -> float:
        """The adjusted P50: the figure the decision rule compares."""
        return self.adjusted.p50


@dataclass(frozen=True)
class PlanOutcome:
    """The staged plan: start on ``start``, move to ``then`` above the trigger."""

    start: str
    then: str
    trigger_monthly_queries: float
    expected_month: int | None  # 1-based month the build-out starts (median of the draws that move)
    share_moving: float  # share of draws in which the volume reaches the trigger
    tco_usd: float  # adjusted P50
    saves_usd: float  # against staying on ``start``: adjusted P50s
    risk_usd: float  # deciding for ``then`` now: its P90 excess over the plan

    sustained_months: int = SUSTAINED_MONTHS


@dataclass(frozen=True)
class Verdict:
    """What v3 decides: the candidate to follow, how sure, and every figure behind it."""

    recommendation: str | None  # an option, or "plan"
    confidence: float
    probability_best: Mapping[str, float]
    options: Mapping[str, OptionOutcome]
    plan: PlanOutcome | None
    router_tco: Percentiles | None
    margin_pct: float
    month_36_monthly_queries: float
    growth_capped: bool
    draws: int
    rule: str = RULE_NAME
    # The share of draws in which each allowed option has the lowest TCO, effects aside.
    probability_cheapest: Mapping[str, float] = field(default_factory=dict)

    @property
    def now(self) -> str | None:
        """What to do now: the plan's start when the plan is recommended."""
        if self.recommendation == PLAN and self.plan is not None:
            return self.plan.start
        return self.recommendation

    def break_even_month(self, option: str, against: str = "api") -> int | None:
        """The first month (1-based) from which ``option``'s median path stays at or
        below ``against``'s until the horizon (the chart's crossing); None if never."""
        mine, theirs = self.options.get(option), self.options.get(against)
        if mine is None or theirs is None or mine.path is None or theirs.path is None:
            return None
        own, other = mine.path.cumulative_p50, theirs.path.cumulative_p50
        above = [index for index, (a, b) in enumerate(zip(own, other, strict=True)) if a > b]
        month = (above[-1] + 2) if above else 1
        return month if month <= len(own) else None

    def break_even_months(self, option: str, against: str = "api") -> BreakEvenMonths | None:
        """:meth:`break_even_month` read in every draw: the range over the draws, and the
        share that never breaks even within the horizon (None without both options' draws).
        """
        mine, theirs = self.options.get(option), self.options.get(against)
        if mine is None or theirs is None or mine.cumulative is None or theirs.cumulative is None:
            return None
        return break_even_months(mine.cumulative, theirs.cumulative)

    @property
    def router_saves_usd(self) -> float | None:
        """What routing simple queries to a mini model saves on the API (P50), if anything."""
        if self.router_tco is None or "api" not in self.options:
            return None
        saving = self.options["api"].tco.p50 - self.router_tco.p50
        return saving if saving > 0 else None


@dataclass(frozen=True)
class BreakEvenMonths:
    """When an option breaks even in each draw (1-based months).

    A draw breaks even in the first month from which the option's cumulative
    adjusted cost stays at or below the other's until the horizon (the
    definition of :meth:`Verdict.break_even_month`, per draw). ``months`` is
    P10/P50/P90 over the draws that do (whole months: the draws' own
    months, nearest rank), None when none does; ``share_never`` is the share
    of draws that never do within the horizon.
    """

    months: Percentiles | None
    share_never: float
    draws: int

    def to_dict(self) -> dict[str, Any]:
        months = self.months
        return {
            "p10": None if months is None else round(months.p10),
            "p50": None if months is None else round(months.p50),
            "p90": None if months is None else round(months.p90),
            "share_never": round(self.share_never, 4),
            "draws": self.draws,
        }


def break_even_months(own: NDArray[np.float64], other: NDArray[np.float64]) -> BreakEvenMonths:
    """:class:`BreakEvenMonths` of ``own`` against ``other``, both (draws, months) cumulative."""
    draws, months = own.shape
    above = own > other
    # The last month above the other, from the end; none above: month 1.
    any_above = above.any(axis=1)
    last_above = months - 1 - np.argmax(above[:, ::-1], axis=1)
    month = np.where(any_above, last_above + 2, 1)
    crosses = month <= months
    if not crosses.any():
        return BreakEvenMonths(None, 1.0, draws)
    p10, p50, p90 = (
        float(value) for value in np.percentile(month[crosses], (10, 50, 90), method="nearest")
    )
    return BreakEvenMonths(Percentiles(p10, p50, p90), 1.0 - float(crosses.mean()), draws)


def prepare(workload: Workload, assumptions: Assumptions) -> Assumptions:
    """The planner's choice and the configurations worth drawing, overhead left to v3.

    At most :data:`CANDIDATES_PER_OPTION` configurations per own option, the
    cheapest at base (within the uncertainty analysis's shortlist factor):
    the draws move costs by tens of percent, not the order of configurations
    that differ by more.
    """
    chosen = shortlisted(workload, planned(workload, assumptions))
    return replace(
        chosen,
        first_year_overhead_pct=0.0,
        self_host_candidates=chosen.self_host_candidates[:CANDIDATES_PER_OPTION],
        small_candidates=chosen.small_candidates[:CANDIDATES_PER_OPTION],
    )


@dataclass(frozen=True)
class Costed:
    """Every option costed in every draw: what a decision reads and never changes.

    It depends on the workload, the prepared assumptions, the drawn answers
    and ranges, not on which options are allowed nor on the cost effects, so
    variations of one assessment that differ only there (a gate, a rule's
    cost) share it (:class:`~advisor.scoring.chooser.Chooser` keeps them).
    """

    assumptions: Assumptions
    scenarios: Scenarios
    queries: NDArray[np.float64]  # (draws, months)
    growth_capped: bool
    overhead: NDArray[np.float64]  # (draws,), percent
    margin: NDArray[np.float64]  # (draws,), percent
    monthly: Mapping[str, NDArray[np.float64]]  # option -> (draws, months)
    # Option -> component -> its mean over the draws, per month (the paths' split).
    component_means: Mapping[str, Mapping[str, NDArray[np.float64]]]
    router: Percentiles | None

    @property
    def draws(self) -> int:
        return int(self.queries.shape[0])


def cost(inputs: DecisionInputs) -> Costed:
    """Draw the inputs and cost every option in every draw (see :class:`Costed`)."""
    workload, assumptions = inputs.workload, inputs.assumptions
    if not inputs.prepared:
        assumptions = prepare(workload, assumptions)
    draws = max(1, inputs.draws)
    scenarios, queries, growth_capped = _drawn(inputs, assumptions, draws)
    overhead = _draw(inputs.overhead_pct, "first_year_overhead_pct", draws)
    margin = _draw(inputs.margin_pct, "default_margin_pct", draws)
    parts: dict[str, dict[str, NDArray[np.float64]]] = {}
    parts["api"] = {
        "api_tokens": _api_monthly(scenarios, assumptions, queries, assumptions.api_model)
    }
    if inputs.open_api_model is not None:
        parts["open_api"] = {
            "api_tokens": _api_monthly(scenarios, assumptions, queries, inputs.open_api_model)
        }
    for option in OWN_OPTIONS:
        parts[option] = _own_costs(option, scenarios, assumptions, queries, overhead)
    router = None
    if assumptions.router_model is not None:
        router_monthly = option_costs("api_router", scenarios, assumptions, queries, None)
        router = _percentiles(router_monthly.components["api_tokens"].sum(axis=1))
    return Costed(
        assumptions=assumptions,
        scenarios=scenarios,
        queries=queries,
        growth_capped=growth_capped,
        overhead=overhead,
        margin=margin,
        monthly={option: _summed(components) for option, components in parts.items()},
        component_means={
            option: {name: series.mean(axis=0) for name, series in components.items()}
            for option, components in parts.items()
        },
        router=router,
    )


def decide(inputs: DecisionInputs, costed: Costed | None = None) -> Verdict:
    """Cost every candidate in every draw and apply the decision rule (module docstring).

    ``costed``, when given, is :func:`cost` of inputs that differ from these at
    most in the options excluded and the cost effects.
    """
    if costed is None:
        costed = cost(inputs)
    workload, assumptions = inputs.workload, costed.assumptions
    scenarios, queries, overhead = costed.scenarios, costed.queries, costed.overhead
    monthly = costed.monthly
    draws = costed.draws

    allowed = [
        option for option in CANDIDATE_ORDER if option in monthly and option not in inputs.excluded
    ]
    months = workload.horizon_months
    effects = _effect_draws(inputs.cost_effects, draws)
    tcos = {option: series.sum(axis=1) for option, series in monthly.items()}
    cumulative: dict[str, NDArray[np.float64]] = {}
    means: dict[str, Mapping[str, NDArray[np.float64]]] = {}
    for option, series in monthly.items():
        added = _effects_monthly(effects, option, draws, months)
        cumulative[option] = np.cumsum(series + added, axis=1)
        means[option] = {**costed.component_means[option], ADJUSTMENTS: added.mean(axis=0)}
    # The adjusted TCO is the cumulative path's last month: the chart ends on the table's figure.
    adjusted = {option: cumulative[option][:, -1] for option in tcos}

    # Each effect's median over the horizon, the same for every option it applies to.
    effect_medians = [float(np.median(effect.total(months))) for effect in effects]
    names = list(tcos)
    tco_ranges = _percentiles_of(names, tcos)
    adjusted_ranges = _percentiles_of(names, adjusted)

    plan = None
    if not inputs.volume_measured or _volume_spread(inputs) > UNMEASURED_VOLUME_SPREAD:
        built = _plan(
            inputs,
            assumptions,
            scenarios,
            queries,
            overhead,
            monthly,
            adjusted,
            {option: ranges.p50 for option, ranges in adjusted_ranges.items()},
            effects,
            allowed,
        )
        if built is not None:
            plan, plan_cumulative = built
            plan_adjusted = plan_cumulative[:, -1]
            cumulative[PLAN] = plan_cumulative
            tcos[PLAN] = plan_adjusted  # the path's own cost already includes its effects
            adjusted[PLAN] = plan_adjusted
            allowed.append(PLAN)
            tco_ranges[PLAN] = adjusted_ranges[PLAN] = _percentiles(plan_adjusted)
    candidates = {option: adjusted[option] for option in allowed}
    p50 = {option: adjusted_ranges[option].p50 for option in allowed}
    recommendation = winner(p50, inputs.margin_pct.base)
    if candidates:
        won = winners(candidates, costed.margin)
        probability = probability_best(list(candidates), won)
    else:
        probability = {}
    options = {
        option: OptionOutcome(
            option,
            tco_ranges[option],
            adjusted_ranges[option],
            _adjustments(effects, option, effect_medians) if option != PLAN else (),
            option in allowed,
            cumulative=cumulative[option],
            component_means=means.get(option, {}),
        )
        for option in tcos
    }
    return Verdict(
        recommendation=recommendation,
        confidence=probability.get(recommendation, 0.0) if recommendation else 0.0,
        probability_best=probability,
        options=options,
        plan=plan,
        router_tco=costed.router,
        margin_pct=inputs.margin_pct.base,
        month_36_monthly_queries=_month_36(inputs),
        growth_capped=costed.growth_capped,
        draws=draws,
        probability_cheapest=_probability_cheapest(tcos, allowed),
    )


def _probability_cheapest(
    tcos: Mapping[str, NDArray[np.float64]], allowed: Sequence[str]
) -> dict[str, float]:
    """The share of draws in which each allowed option has the lowest TCO (no effects)."""
    names = [option for option in allowed if option != PLAN]
    if not names:
        return {}
    lowest = np.array([tcos[name] for name in names]).argmin(axis=0)
    counts = np.bincount(lowest, minlength=len(names))
    return {name: float(counts[index]) / len(lowest) for index, name in enumerate(names)}


# --- draws ---------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _stream(name: str, draws: int) -> NDArray[np.float64]:
    # Seeded by name, so the same in every decision: computed once (read-only).
    quantiles: NDArray[np.float64] = np.random.default_rng(
        [SEED, zlib.crc32(name.encode())]
    ).random(draws)
    quantiles.flags.writeable = False
    return quantiles


@lru_cache(maxsize=1024)
def _draw(triangle: Triangle, name: str, draws: int) -> NDArray[np.float64]:
    values: NDArray[np.float64] = np.asarray(
        triangular_quantile(_stream(name, draws), triangle.low, triangle.base, triangle.high),
        dtype=float,
    )
    values.flags.writeable = False
    return values


def _log_factor(effect: RangeEffect, draws: int) -> NDArray[np.float64]:
    # A factor from 0.3x to 3x is symmetric in logs: as likely a third as three times.
    logs = triangular_quantile(
        _stream(f"range:{effect.target}", draws),
        math.log(effect.low_factor),
        0.0,
        math.log(effect.high_factor),
    )
    factors: NDArray[np.float64] = np.exp(np.asarray(logs, dtype=float))
    return factors


def _drawn(
    inputs: DecisionInputs, assumptions: Assumptions, draws: int
) -> tuple[Scenarios, NDArray[np.float64], bool]:
    """The drawn scenarios (continuous fleet), their queries per month, and the growth cap."""
    workload = inputs.workload
    base = Scenarios.point(workload, assumptions)
    given = inputs.given | ({"monthly_growth_pct"} if inputs.growth_range is not None else set())
    uncertain = uncertain_inputs(workload, assumptions, frozenset(given))
    drawn = draw_scenarios(base, workload, assumptions, uncertain, draws).scenarios
    if drawn.rows != draws:
        drawn = drawn.repeat(draws)
    scalars = dict(drawn.scalars)
    fields: dict[str, object] = {}
    volume = np.ones((draws, 1))
    for effect in inputs.range_effects:
        factor = _log_factor(effect, draws).reshape(draws, 1)
        if effect.target == "monthly_queries":
            volume = volume * factor
        elif effect.target in scalars:
            scalars[effect.target] = np.asarray(scalars[effect.target], dtype=float) * factor
        elif effect.target in _RANGE_FIELDS:
            name = _RANGE_FIELDS[effect.target]
            fields[name] = np.asarray(getattr(drawn, name), dtype=float) * factor
    capped = False
    if inputs.growth_range is not None:
        cap = _capped_growth(workload.horizon_months)
        growth = np.asarray(_draw(inputs.growth_range, "fitted_growth", draws))
        capped = bool(inputs.growth_range.base > cap or (growth > cap).any())
        fields["growth_pct"] = np.minimum(growth, cap).reshape(draws, 1)
    scenarios = replace(drawn, scalars=scalars, whole_replicas=False, **fields)  # type: ignore[arg-type]
    queries = np.ascontiguousarray(
        np.broadcast_to(scenarios.queries(np.ones(1)), (draws, workload.horizon_months)) * volume
    )
    return scenarios, queries, capped


# Answers a range effect may widen (besides monthly_queries and the assumptions).
_RANGE_FIELDS: Mapping[str, str] = {
    "avg_input_tokens": "avg_input_tokens",
    "avg_output_tokens": "avg_output_tokens",
    "simple_query_share_pct": "simple_share",
}


def _capped_growth(horizon_months: int) -> float:
    """The monthly growth (%) that reaches :data:`FITTED_GROWTH_CAP_MULTIPLE` at the horizon."""
    return float((FITTED_GROWTH_CAP_MULTIPLE ** (1 / max(1, horizon_months - 1)) - 1) * 100)


def swept_growth(growth_range: Triangle, horizon_months: int) -> tuple[float, float, float]:
    """A fitted growth range's (low, base, high) as the draws take it (capped at
    :data:`FITTED_GROWTH_CAP_MULTIPLE`): the range the tornado sweeps."""
    cap = _capped_growth(horizon_months)
    low, base, high = growth_range.low, growth_range.base, growth_range.high
    return min(low, cap), min(base, cap), min(high, cap)


def _volume_spread(inputs: DecisionInputs) -> float:
    spread = 1.0
    for effect in inputs.range_effects:
        if effect.target == "monthly_queries":
            spread *= effect.high_factor / effect.low_factor
    return spread


def _month_36(inputs: DecisionInputs) -> float:
    workload = inputs.workload
    growth = workload.monthly_growth_pct
    if inputs.growth_range is not None:
        growth = min(inputs.growth_range.base, _capped_growth(workload.horizon_months))
    multiple = (1 + growth / 100) ** (workload.horizon_months - 1)
    return float(workload.monthly_queries) * float(multiple)


# --- costs ---------------------------------------------------------------------------


def _api_monthly(
    scenarios: Scenarios,
    assumptions: Assumptions,
    queries: NDArray[np.float64],
    model: ApiModelPrice,
) -> NDArray[np.float64]:
    costs = option_costs("api", scenarios, replace(assumptions, api_model=model), queries, None)
    tokens: NDArray[np.float64] = np.asarray(costs.components["api_tokens"], dtype=float)
    return tokens


def _own_monthly(
    option: str,
    scenarios: Scenarios,
    assumptions: Assumptions,
    queries: NDArray[np.float64],
    overhead_pct: NDArray[np.float64],
) -> NDArray[np.float64]:
    """The cheapest configuration's monthly cost in each draw, overhead in proportion."""
    return _summed(_own_costs(option, scenarios, assumptions, queries, overhead_pct))


def _own_costs(
    option: str,
    scenarios: Scenarios,
    assumptions: Assumptions,
    queries: NDArray[np.float64],
    overhead_pct: NDArray[np.float64],
) -> dict[str, NDArray[np.float64]]:
    """The cheapest configuration's monthly components in each draw (draws, months)."""
    candidates = [
        _with_overhead(option, scenarios, assumptions, queries, profile, overhead_pct)
        for profile in assumptions.candidate_profiles(option)
    ]
    if len(candidates) == 1:
        return candidates[0]
    totals = np.array([_summed(components).sum(axis=1) for components in candidates])
    best = totals.argmin(axis=0)  # (draws,)
    rows = np.arange(queries.shape[0])
    return {
        name: np.array([components[name] for components in candidates])[best, rows]
        for name in candidates[0]
    }


def _summed(components: Mapping[str, NDArray[np.float64]]) -> NDArray[np.float64]:
    values = iter(components.values())
    total: NDArray[np.float64] = np.array(next(values), dtype=float, copy=True)
    for series in values:
        total += series
    return total


def _with_overhead(
    option: str,
    scenarios: Scenarios,
    assumptions: Assumptions,
    queries: NDArray[np.float64],
    profile: ServingProfile | None,
    overhead_pct: NDArray[np.float64],
) -> dict[str, NDArray[np.float64]]:
    """The option's components (draws, months), the first-year overhead in proportion to
    the first year's GPU, infrastructure and staff spend (``overhead_pct`` per draw)."""
    costs = option_costs(option, scenarios, assumptions, queries, profile)
    months = queries.shape[-1]
    components = {
        name: np.broadcast_to(series, queries.shape) for name, series in costs.components.items()
    }
    first_year = min(FIRST_YEAR_MONTHS, months)
    built = sum(components[name][:, :first_year].sum(axis=1) for name in _COMPONENTS_BUILT)
    overhead = np.zeros(queries.shape)
    overhead[:, :first_year] = (np.asarray(overhead_pct).reshape(-1) / 100 * built / first_year)[
        :, None
    ]
    components["overhead"] = overhead
    return components


def _path(cumulative: NDArray[np.float64], means: Mapping[str, NDArray[np.float64]]) -> CostPath:
    """The month-by-month P10/P50/P90 of ``cumulative`` (draws, months), split by the
    components' mean per month (see CostPath)."""
    p10, p50, p90 = np.percentile(cumulative, (10, 50, 90), axis=0)
    monthly = np.diff(p50, prepend=0.0)
    total = sum(means.values(), np.zeros_like(monthly))
    safe = np.where(total != 0, total, 1.0)
    split = {
        name: tuple((monthly * np.where(total != 0, mean / safe, 0.0)).tolist())
        for name, mean in means.items()
    }
    return CostPath(tuple(p10.tolist()), tuple(p50.tolist()), tuple(p90.tolist()), split)


def _percentiles_of(
    names: Sequence[str], values: Mapping[str, NDArray[np.float64]]
) -> dict[str, Percentiles]:
    """P10/P50/P90 of each named array of draws, in one call."""
    table = np.percentile(np.array([values[name] for name in names]), (10, 50, 90), axis=1)
    return {
        name: Percentiles(float(table[0, i]), float(table[1, i]), float(table[2, i]))
        for i, name in enumerate(names)
    }


def _percentiles(values: NDArray[np.float64]) -> Percentiles:
    p10, p50, p90 = (float(v) for v in np.percentile(values, (10, 50, 90)))
    return Percentiles(p10, p50, p90)


# --- cost effects --------------------------------------------------------------------


@dataclass(frozen=True)
class _DrawnEffect:
    """One cost effect in every draw: its one-off and its monthly amount (USD, (draws,))."""

    rule: str
    label: str
    options: tuple[str, ...]
    one_off: NDArray[np.float64]
    monthly: NDArray[np.float64]

    def total(self, months: int | NDArray[np.int_]) -> NDArray[np.float64]:
        result: NDArray[np.float64] = self.one_off + self.monthly * months
        return result


def _effect_draws(
    effects: Sequence[tuple[str, CostEffect]], draws: int
) -> tuple[_DrawnEffect, ...]:
    return tuple(
        _DrawnEffect(
            rule,
            effect.label,
            effect.options,
            _draw(effect.one_off_usd, f"effect:{rule}:{index}:one_off", draws),
            _draw(effect.usd_per_month, f"effect:{rule}:{index}:monthly", draws),
        )
        for index, (rule, effect) in enumerate(effects)
    )


def _effects_monthly(
    effects: Sequence[_DrawnEffect],
    option: str,
    draws: int,
    months: int,
    start: NDArray[np.int_] | None = None,
) -> NDArray[np.float64]:
    """The effects on ``option`` month by month (draws, months): each one-off in the month
    they start to apply (``start``, 0-based per draw; month 1 without), the monthly
    amounts from then on; a draw starting at ``months`` carries nothing."""
    applying = [effect for effect in effects if option in effect.options]
    if start is None:
        # From month 1: the monthly amounts every month, the one-offs in month 1.
        total = np.zeros((draws, months))
        for effect in applying:
            total += effect.monthly[:, None]
            total[:, 0] += effect.one_off
        return total
    first = np.asarray(start)
    month = np.arange(months)
    applies = month[None, :] >= first[:, None]
    opening = month[None, :] == first[:, None]
    total = np.zeros((draws, months))
    for effect in effects:
        if option in effect.options:
            total += np.where(applies, effect.monthly[:, None], 0.0)
            total += np.where(opening, effect.one_off[:, None], 0.0)
    return total


def _adjustments(
    effects: Sequence[_DrawnEffect], option: str, medians: Sequence[float]
) -> tuple[Adjustment, ...]:
    return tuple(
        Adjustment(effect.rule, effect.label, median)
        for effect, median in zip(effects, medians, strict=True)
        if option in effect.options
    )


# --- the staged plan -----------------------------------------------------------------


def _plan(
    inputs: DecisionInputs,
    assumptions: Assumptions,
    scenarios: Scenarios,
    queries: NDArray[np.float64],
    overhead: NDArray[np.float64],
    monthly: Mapping[str, NDArray[np.float64]],
    adjusted: Mapping[str, NDArray[np.float64]],
    medians: Mapping[str, float],
    effects: Sequence[_DrawnEffect],
    allowed: Sequence[str],
) -> tuple[PlanOutcome, NDArray[np.float64]] | None:
    """The plan "start on an API, move above the trigger", costed as a path in every draw.

    None when no allowed API-like start or own option exists, when the own
    option is not cheaper than the start at P50 (nothing to move to), or
    when no volume within 10,000x makes the move pay.
    """
    starts = [option for option in START_OPTIONS if option in allowed]
    owns = [option for option in OWN_OPTIONS if option in allowed]
    if not starts or not owns:
        return None

    def p50(option: str) -> float:
        return medians[option]  # as the decision reads it

    start = min(starts, key=lambda option: (p50(option), START_OPTIONS.index(option)))
    then = min(owns, key=lambda option: (p50(option), OWN_OPTIONS.index(option)))
    if p50(then) >= p50(start):
        return None
    start_model = (
        assumptions.api_model if start == "api" else inputs.open_api_model or assumptions.api_model
    )
    # The start option carries the traffic while the fleet is built and the
    # traffic moves (the hybrid's long tail stays on the closed API, its design).
    bridged = replace(assumptions, api_model=start_model) if then == "self_host" else assumptions
    trigger = _trigger(inputs, bridged, start_model, then, effects, start)
    if trigger is None:
        return None
    months = queries.shape[1]
    switch = _switch_months(queries, trigger)
    path = np.array(monthly[start], copy=True)
    for month in np.unique(switch[switch < months]):
        rows = np.flatnonzero(switch == month)
        subset = scenarios.rows_mapped(_take(rows), len(rows))
        path[rows, month:] = _own_monthly(
            then, subset, bridged, np.ascontiguousarray(queries[rows, month:]), overhead[rows]
        )
    moved = switch < months
    draws = len(switch)
    path += _effects_monthly(effects, start, draws, months)
    then_only = [
        effect for effect in effects if then in effect.options and start not in effect.options
    ]
    path += _effects_monthly(then_only, then, draws, months, start=switch)
    cumulative = np.cumsum(path, axis=1)
    total = cumulative[:, -1]
    plan_p50 = float(np.percentile(total, 50))
    outcome = PlanOutcome(
        start=start,
        then=then,
        trigger_monthly_queries=trigger,
        expected_month=int(np.median(switch[moved])) + 1 if moved.any() else None,
        share_moving=float(moved.mean()),
        tco_usd=plan_p50,
        saves_usd=p50(start) - plan_p50,
        risk_usd=max(0.0, float(np.percentile(adjusted[then] - total, 90))),
    )
    return outcome, cumulative


def _take(rows: NDArray[np.int_]) -> Callable[[NDArray[Any]], NDArray[Any]]:
    def take(values: NDArray[Any]) -> NDArray[Any]:
        return values[rows]

    return take


def _switch_months(queries: NDArray[np.float64], trigger: float) -> NDArray[np.int_]:
    """Per draw, the 0-based month the build-out starts: after the volume has stayed
    at or above ``trigger`` for :data:`SUSTAINED_MONTHS` months; ``months`` if never."""
    draws, months = queries.shape
    above = queries >= trigger
    sustained = np.ones((draws, max(0, months - SUSTAINED_MONTHS + 1)), dtype=bool)
    for lag in range(SUSTAINED_MONTHS):
        sustained &= above[:, lag : months - SUSTAINED_MONTHS + 1 + lag]
    reached = sustained.any(axis=1)
    # Sustained through month j + SUSTAINED_MONTHS - 1; the build-out starts the month after.
    first = sustained.argmax(axis=1) + SUSTAINED_MONTHS
    switch: NDArray[np.int_] = np.where(reached & (first < months), first, months)
    return switch


def _trigger(
    inputs: DecisionInputs,
    bridged: Assumptions,
    start_model: ApiModelPrice,
    then: str,
    effects: Sequence[_DrawnEffect],
    start: str,
) -> float | None:
    """The steady monthly volume above which ``then`` costs less than ``start`` (base case).

    Costed at base values with a flat volume over the horizon, effects at
    their base: a 10 % grid over four decades, then 51 points within the
    crossing's step (0.2 %). None without volume or when ``then`` is still
    dearer at 100x today's volume.
    """
    workload = inputs.workload
    if workload.monthly_queries <= 0:
        return None
    months = workload.horizon_months
    flat = replace(workload, monthly_growth_pct=0.0)
    base = replace(Scenarios.point(flat, bridged), whole_replicas=False)
    start_extra = sum(
        float(np.median(effect.total(months))) for effect in effects if start in effect.options
    )
    then_extra = sum(
        float(np.median(effect.total(months))) for effect in effects if then in effect.options
    )

    def cheaper(multipliers: NDArray[np.float64]) -> NDArray[np.bool_]:
        points = len(multipliers)
        scenarios = base.repeat(points)
        queries = np.outer(multipliers * workload.monthly_queries, np.ones(months))
        start_tco = _api_monthly(scenarios, bridged, queries, start_model).sum(axis=1)
        overhead = np.full(points, inputs.overhead_pct.base)
        then_tco = _own_monthly(then, scenarios, bridged, queries, overhead).sum(axis=1)
        result: NDArray[np.bool_] = then_tco + then_extra < start_tco + start_extra
        return result

    coarse = cheaper(_GRID)
    if not coarse[-1]:
        return None
    dearer = np.flatnonzero(~coarse)
    if dearer.size == 0:
        return float(_GRID[0] * workload.monthly_queries)
    index = int(dearer[-1])
    fine = np.geomspace(_GRID[index], _GRID[index + 1], 51)
    first = int(np.argmax(cheaper(fine)))
    return float(fine[first] * workload.monthly_queries)
