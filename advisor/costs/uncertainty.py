"""Uncertainty: how sure the cost comparison is, and what would change it.

Pure (numpy, no Django). Every assumption has a low, base and high value
(its sources' spread, ``Assumptions.ranges`` and each GPU's price range);
every workload answer the buyer left at its default is uncertain over the
range in :data:`DEFAULT_ANSWER_RANGES`; answers the buyer gave (or that were
measured from a usage export) are taken as given.

The analysis
    *Monte Carlo.* :data:`DRAWS` seeded draws (the same answers always give
    the same figures), each value from a triangular distribution over
    low/base/high, so narrowing every range to its base gives the point
    projection exactly. All draws are costed in one vectorised pass of the
    projection's own arithmetic (``projection.option_costs``), with the
    capacity planner picking the cheapest GPU configuration in each draw.
    Per option: P10/P50/P90 TCO, the P10-P90 band of cumulative cost, and
    the probability it is the cheapest of the options still allowed.
    *Break-even volume* of self-hosting and the hybrid, P10/P50/P90 over the
    first :data:`DECISION_DRAWS` draws (None where the option never breaks
    even within 10,000x).
    *Confidence.* With a ``decide`` function (the rules engine), the share of
    those draws in which the whole decision (rules and costs) picks the same
    option as the base case. "Unknown" compliance follow-ups are drawn over
    yes/no, so an unchecked fact lowers it; exclusions by a compliance gate
    hold in every draw.
    *Sensitivity.* One at a time: each uncertain input at its low and its
    high, everything else at base (one vectorised pass for all of them),
    sorted by the largest swing of any option's TCO: the tornado (with
    self-hosting's TCO ratio to the API at each end).
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from advisor.costs.assumptions import INTEGER_ASSUMPTIONS, SCALAR_ASSUMPTIONS, Assumptions, Workload
from advisor.costs.break_even import break_even_multipliers
from advisor.costs.monthly import Scenarios, option_costs, planned, triangular_quantile
from advisor.costs.prices import ApiModelPrice, ServingProfile
from advisor.options import OPTIONS, SELF_HOSTED_OPTIONS, SHORT_OPTION_PHRASES

DRAWS = 500
DECISION_DRAWS = 60
# Break-even volumes over those draws: two passes of 13 points, a precision
# of about 8 % (the point projection's own solve is exact to 4 digits).
BREAK_EVEN_GRIDS = (13, 13)
# The planner compares, in each draw, the configurations within this factor
# of the cheapest at base: the others cannot plausibly win.
PLANNER_SHORTLIST = 1.5
SEED = 20_261_201
TORNADO_ROWS = 8
LOAD_PATTERN_WEIGHTS: Mapping[str, float] = {
    # An unknown pattern: the advisor's judgement of how often each shape occurs.
    "steady": 0.3,
    "business_hours": 0.5,
    "spiky": 0.2,
}
# The answers an open follow-up ("unknown") can turn out to have.
FOLLOW_UP_OUTCOMES = ("yes", "no")


@dataclass(frozen=True)
class AnswerRange:
    """The plausible range of a workload answer the buyer left at its default."""

    key: str
    label: str
    low: float
    base: float
    high: float
    unit: str
    reason: str


# The questions' defaults are a best guess; these ranges say how far the
# truth may plausibly lie from them (the advisor's judgement, with reasons).
DEFAULT_ANSWER_RANGES: tuple[AnswerRange, ...] = (
    AnswerRange(
        "cached_input_share_pct",
        "Share of input tokens served from the prompt cache",
        0,
        0,
        50,
        "%",
        "a repeated system prompt or shared documents make half the input cacheable",
    ),
    AnswerRange(
        "batch_share_pct",
        "Share of queries that can wait for a batch API",
        0,
        0,
        20,
        "%",
        "reports and back-office jobs are often a fifth of an interactive workload",
    ),
    AnswerRange(
        "simple_query_share_pct",
        "Share of simple, high-volume queries",
        30,
        50,
        70,
        "%",
        "classification and extraction make up between a third and two thirds of typical traffic",
    ),
    AnswerRange(
        "avg_input_tokens",
        "Input tokens per query",
        500,
        1500,
        4000,
        "tokens",
        "chat turns are shorter, retrieval-augmented prompts longer",
    ),
    AnswerRange(
        "avg_output_tokens",
        "Output tokens per query",
        150,
        400,
        800,
        "tokens",
        "short answers to long summaries",
    ),
    AnswerRange(
        "monthly_growth_pct",
        "Monthly volume growth",
        -2,
        0,
        5,
        "% per month",
        "flat is the default; young products grow, mature ones shrink",
    ),
)

_SCENARIO_ANSWERS = {
    # answer key -> (Scenarios field, scale from the answer's unit)
    "cached_input_share_pct": ("cached_share", 0.01),
    "batch_share_pct": ("batch_share", 0.01),
    "simple_query_share_pct": ("simple_share", 0.01),
    "avg_input_tokens": ("avg_input_tokens", 1.0),
    "avg_output_tokens": ("avg_output_tokens", 1.0),
    "monthly_growth_pct": ("growth_pct", 1.0),
}

# Scores many draws at once: their answers and derived figures in, recommendations out.
Decide = Callable[[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]], list[str | None]]


@dataclass(frozen=True)
class Percentiles:
    p10: float
    p50: float
    p90: float

    def to_dict(self) -> dict[str, float | None]:
        # JSON has no infinity: a percentile beyond reach (no break-even) is null.
        return {
            name: round(value, 2) if math.isfinite(value) else None
            for name, value in (("p10", self.p10), ("p50", self.p50), ("p90", self.p90))
        }


@dataclass(frozen=True)
class Swing:
    """One row of the tornado: an input at its low and its high, all else at base."""

    key: str
    label: str
    unit: str
    low: float
    base: float
    high: float
    tco_usd: Mapping[str, tuple[float, float]]  # option -> (at low, at high)
    ratio: tuple[float | None, float | None]  # self-host / API TCO at low, at high
    # Every option's TCO with all inputs at base, from the same sweep: what an end
    # moves an option's cost by is its TCO there minus this (the v3 tornado's bars).
    base_tco_usd: Mapping[str, float] = field(default_factory=dict, compare=False)

    @property
    def width(self) -> float:
        """The largest swing of any option's TCO, USD: the tornado's sort key."""
        return max(abs(high - low) for low, high in self.tco_usd.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "assumption": self.key,
            "label": self.label,
            "unit": self.unit,
            "low": self.low,
            "base": self.base,
            "high": self.high,
            "tco_usd": {
                option: {"low": round(low, 2), "high": round(high, 2)}
                for option, (low, high) in self.tco_usd.items()
            },
            "ratio_self_host_to_api": {
                "low": None if self.ratio[0] is None else round(self.ratio[0], 4),
                "high": None if self.ratio[1] is None else round(self.ratio[1], 4),
            },
        }


@dataclass(frozen=True)
class Crossing:
    """An input whose plausible range crosses the decision."""

    key: str
    label: str
    unit: str
    value: float
    direction: str  # "below" or "above"
    recommendation: str | None
    base: float | None = None  # the value the answer or assumption has today

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "assumption",
            "key": self.key,
            "value": self.value,
            "recommendation": self.recommendation,
            "text": self.text,
        }

    @property
    def text(self) -> str:
        option = SHORT_OPTION_PHRASES.get(self.recommendation or "", "no option")
        label = _lower_first(self.label)
        if self.base is None:
            value = _fmt(self.value, self.unit)
            return f"If {label} were {self.direction} {value}, {option} would win."
        value, today = _fmt_apart(self.value, self.base, self.unit)
        if value == today:
            # The decision turns right beside today's value: naming a threshold
            # that reads as the current value would suggest no change at all.
            return (
                f"If {label} were even slightly {self.direction} today's {today}, "
                f"{option} would win."
            )
        return f"If {label} were {self.direction} {value} (today {today}), {option} would win."


@dataclass(frozen=True)
class CheckedOutcome:
    """One way the open checks could turn out, and how firm the advice would then be."""

    answers: Mapping[str, str]  # check -> "yes" or "no"
    recommendation: str | None  # the choice of most draws under this outcome
    confidence: float  # the share of draws that make that choice

    def to_dict(self) -> dict[str, Any]:
        return {
            "answers": dict(self.answers),
            "recommendation": self.recommendation,
            "confidence": round(self.confidence, 4),
        }


# None (every option ruled out) is not in it: it sorts after the options.
_OPTION_ORDER: dict[str | None, int] = {option: index for index, option in enumerate(OPTIONS)}


@dataclass(frozen=True)
class Uncertainty:
    draws: int
    tco_range: Mapping[str, Percentiles]
    cumulative_band: Mapping[str, tuple[tuple[float, ...], tuple[float, ...]]]
    probability_cheapest: Mapping[str, float]
    break_even_monthly_queries: Mapping[str, Percentiles | None]
    sensitivity: tuple[Swing, ...]
    confidence: float | None
    crossings: tuple[Crossing, ...]
    uncertain_answers: tuple[str, ...]
    decision_draws: int = DECISION_DRAWS
    # Follow-ups answered "unknown": a draw keeps the decision only if it
    # does so whichever way each of them turns out.
    open_checks: tuple[str, ...] = ()
    # With the checks answered: each combination of outcomes, its choice and confidence.
    if_checked: tuple[CheckedOutcome, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "tco_usd_range": {option: value.to_dict() for option, value in self.tco_range.items()},
            "cumulative_usd_band": {
                option: {"p10": [round(v, 2) for v in low], "p90": [round(v, 2) for v in high]}
                for option, (low, high) in self.cumulative_band.items()
            },
            "probability_cheapest": {
                option: round(value, 4) for option, value in self.probability_cheapest.items()
            },
            "break_even_monthly_queries": {
                option: None if value is None else value.to_dict()
                for option, value in self.break_even_monthly_queries.items()
            },
            "sensitivity": [swing.to_dict() for swing in self.sensitivity[:TORNADO_ROWS]],
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "decision_draws": self.decision_draws,
            "uncertain_answers": list(self.uncertain_answers),
            "open_checks": list(self.open_checks),
            "if_checked": [outcome.to_dict() for outcome in self.if_checked],
        }


def analyse(
    workload: Workload,
    assumptions: Assumptions,
    *,
    given: frozenset[str],
    answers: Mapping[str, Any] | None = None,
    excluded: frozenset[str] = frozenset(),
    recommendation: str | None = None,
    decide: Decide | None = None,
    open_checks: Sequence[str] = (),
    draws: int = DRAWS,
) -> Uncertainty:
    """The Monte Carlo, the sensitivity and the confidence for one assessment.

    ``given`` names the answers the buyer gave (held fixed); ``excluded`` the
    options a rule ruled out (never cheapest, in no draw); ``decide`` scores a
    draw's answers and derived figures with the rules and returns its
    recommendation (``recommendation`` is the base case's). ``open_checks``
    names the follow-ups the buyer answered "unknown" (the engine's open
    questions): a draw counts towards the confidence only if it keeps the
    decision whichever way each check turns out, so an open check never
    makes the advice look surer than knowing the answer would.
    """
    answers = dict(answers or {})
    assumptions = shortlisted(workload, planned(workload, assumptions))
    base = Scenarios.point(workload, assumptions)
    uncertain = uncertain_inputs(workload, assumptions, given)
    drawn = draw_scenarios(base, workload, assumptions, uncertain, draws)
    tcos, cumulative, _profiles_used = _costs(drawn.scenarios, assumptions)
    allowed = [option for option in OPTIONS if option not in excluded]
    tco_range = {
        name: Percentiles(*(float(v) for v in np.percentile(values, (10, 50, 90))))
        for name, values in tcos.items()
    }
    band = {
        option: (
            tuple(np.percentile(cumulative[option], 10, axis=0).tolist()),
            tuple(np.percentile(cumulative[option], 90, axis=0).tolist()),
        )
        for option in OPTIONS
    }
    probability = _probability_cheapest(tcos, allowed)
    subset = min(DECISION_DRAWS, draws)
    sub = _rows(drawn.scenarios, subset)
    multipliers = {
        option: break_even_multipliers(option, sub, assumptions, BREAK_EVEN_GRIDS)
        for option in SELF_HOSTED_OPTIONS
    }
    break_even = {
        option: _volume_percentiles(values * workload.monthly_queries)
        if workload.monthly_queries
        else None
        for option, values in multipliers.items()
    }
    confidence = None
    if_checked: tuple[CheckedOutcome, ...] = ()
    if decide is not None and recommendation is not None:
        confidence, if_checked = _confidence(
            decide, recommendation, answers, drawn, tcos, cumulative, multipliers, subset,
            tuple(open_checks),
        )  # fmt: skip
    elif recommendation is None:
        confidence = 0.0 if decide is not None else None
    sensitivity = _sensitivity(base, workload, assumptions, uncertain)
    crossings = _crossings(
        sensitivity, base, workload, assumptions, uncertain, answers, allowed, recommendation,
        decide,
    )  # fmt: skip
    return Uncertainty(
        draws=draws,
        tco_range=tco_range,
        cumulative_band=band,
        probability_cheapest=probability,
        break_even_monthly_queries=break_even,
        sensitivity=sensitivity,
        confidence=confidence,
        crossings=crossings,
        uncertain_answers=tuple(item.key for item in uncertain if item.kind == "answer"),
        decision_draws=subset,
        open_checks=tuple(open_checks),
        if_checked=if_checked,
    )


def shortlisted(workload: Workload, assumptions: Assumptions) -> Assumptions:
    """The planner's candidates within :data:`PLANNER_SHORTLIST` of the cheapest at base,
    cheapest first."""
    base = Scenarios.point(workload, assumptions)
    queries = base.queries(np.ones(1))

    def shortlist(
        option: str, candidates: tuple[ServingProfile, ...]
    ) -> tuple[ServingProfile, ...]:
        if len(candidates) < 2:
            return candidates
        tcos = [
            float(monthly_totals(option, base, assumptions, queries, profile).sum())
            for profile in candidates
        ]
        best = min(tcos)
        # Cheapest first (a stable sort: equal costs keep the catalog's order).
        ranked = sorted(zip(candidates, tcos, strict=True), key=lambda pair: pair[1])
        return tuple(profile for profile, tco in ranked if tco <= best * PLANNER_SHORTLIST)

    return replace(
        assumptions,
        self_host_candidates=shortlist("self_host", assumptions.self_host_candidates),
        small_candidates=shortlist("hybrid", assumptions.small_candidates),
    )


# --- inputs -------------------------------------------------------------------------


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input: where it lives in the scenarios and its range."""

    kind: str  # "scalar", "gpu", "answer" or "load_pattern"
    key: str
    label: str
    unit: str
    low: float
    base: float
    high: float


def uncertain_inputs(
    workload: Workload, assumptions: Assumptions, given: frozenset[str]
) -> tuple[UncertainInput, ...]:
    inputs: list[UncertainInput] = []
    for spec in SCALAR_ASSUMPTIONS:
        if spec.name in given or spec.name not in assumptions.ranges:
            continue
        low, high = assumptions.ranges[spec.name]
        base = float(getattr(assumptions, spec.name))
        if low == high == base:
            continue
        if spec.name.startswith("peak_factor_") and spec.name != (
            f"peak_factor_{workload.load_pattern}"
        ):
            continue  # only the pattern in use (or drawn) matters
        label = spec.label_for(api_bridge=workload.api_bridge)
        inputs.append(UncertainInput("scalar", spec.name, label, spec.unit, low, base, high))
    gpu = assumptions.self_host_model.gpu
    gpu_low, gpu_high = gpu.usd_per_hour_low, gpu.usd_per_hour_high
    if (
        "gpu_price" not in given
        and gpu_low is not None
        and gpu_high is not None
        and gpu_low < gpu_high
    ):
        inputs.append(
            UncertainInput(
                "gpu",
                "gpu_price",
                "GPU price per hour",
                "USD/hour",
                gpu_low,
                gpu.usd_per_hour,
                gpu_high,
            )
        )
    for answer in DEFAULT_ANSWER_RANGES:
        if answer.key not in given:
            base = float(getattr(workload, answer.key))
            inputs.append(
                UncertainInput(
                    "answer", answer.key, answer.label, answer.unit, answer.low, base, answer.high
                )
            )
    if "load_pattern" not in given or workload.load_pattern == "unknown":
        inputs.append(UncertainInput("load_pattern", "load_pattern", "Load pattern", "", 0, 0, 0))
    return tuple(inputs)


@dataclass(frozen=True)
class Drawn:
    scenarios: Scenarios
    values: Mapping[str, NDArray[Any]]  # input key -> drawn values (rows,)


def draw_scenarios(
    base: Scenarios,
    workload: Workload,
    assumptions: Assumptions,
    inputs: Sequence[UncertainInput],
    draws: int,
) -> Drawn:
    values: dict[str, NDArray[Any]] = {}
    for item in inputs:
        # A stream per input: fixing one input leaves every other's draws as they were.
        quantiles = _quantiles(item.key, draws)
        if item.kind == "load_pattern":
            patterns = list(LOAD_PATTERN_WEIGHTS)
            weights = np.array([LOAD_PATTERN_WEIGHTS[name] for name in patterns])
            values[item.key] = np.array(patterns)[
                np.searchsorted(np.cumsum(weights) / weights.sum(), quantiles, side="right")
            ]
        elif item.kind == "gpu":
            values[item.key] = quantiles
        else:
            values[item.key] = _triangular(item.key, item.low, item.base, item.high, draws)
    return Drawn(_apply(base, assumptions, values, draws), values)


# Seeded streams and their values depend only on the input's name, range and the
# number of draws: every decision and variation of an assessment draws the same,
# so they are computed once (read-only).
@lru_cache(maxsize=512)
def _quantiles(key: str, draws: int) -> NDArray[np.float64]:
    quantiles: NDArray[np.float64] = np.random.default_rng([SEED, zlib.crc32(key.encode())]).random(
        draws
    )
    quantiles.flags.writeable = False
    return quantiles


@lru_cache(maxsize=2048)
def _triangular(key: str, low: float, base: float, high: float, draws: int) -> NDArray[Any]:
    drawn = np.asarray(triangular_quantile(_quantiles(key, draws), low, base, high), dtype=float)
    if key in INTEGER_ASSUMPTIONS or key.startswith("avg_"):
        drawn = np.round(drawn)
    drawn.flags.writeable = False
    return drawn


def _apply(
    base: Scenarios, assumptions: Assumptions, values: Mapping[str, NDArray[Any]], rows: int
) -> Scenarios:
    """``base`` with the drawn (or swept) values in place, one row per value."""

    def column(array: ArrayLike) -> NDArray[np.float64]:
        return np.asarray(array, dtype=float).reshape(rows, 1)

    scalars = dict(base.scalars)
    fields: dict[str, Any] = {}
    for key, drawn in values.items():
        if key in scalars:
            scalars[key] = column(drawn)
        elif key in _SCENARIO_ANSWERS:
            name, scale = _SCENARIO_ANSWERS[key]
            fields[name] = column(np.asarray(drawn, dtype=float) * scale)
        elif key == "gpu_price":
            fields["gpu_quantile"] = column(drawn)
    patterns = values.get("load_pattern")
    if patterns is not None:
        peak = np.empty(rows)
        for pattern in LOAD_PATTERN_WEIGHTS:
            factor = scalars.get(f"peak_factor_{pattern}", assumptions.peak_factor(pattern))
            factor = np.broadcast_to(np.asarray(factor, dtype=float).reshape(-1), (rows,))
            peak = np.where(patterns == pattern, factor, peak)
        fields["peak_factor"] = column(peak)
    elif "peak_factor" not in fields:
        pattern_key = next((key for key in values if key.startswith("peak_factor_")), None)
        if pattern_key is not None:
            fields["peak_factor"] = column(values[pattern_key])
    # Every field is now a (rows, 1) array or a float: the arithmetic broadcasts both.
    return replace(base, scalars=scalars, rows=rows, **fields)


def _rows(scenarios: Scenarios, count: int) -> Scenarios:
    """The first ``count`` scenarios."""
    return scenarios.rows_mapped(lambda rows: rows[:count], count)


# --- costs ----------------------------------------------------------------------------


def _costs(
    scenarios: Scenarios, assumptions: Assumptions
) -> tuple[dict[str, NDArray[Any]], dict[str, NDArray[Any]], dict[str, NDArray[Any]]]:
    """TCO per option and variant (rows,), cumulative cost (rows, months), chosen profile index."""
    queries = np.broadcast_to(scenarios.queries(np.ones(1)), (scenarios.rows, scenarios.months))
    queries = np.ascontiguousarray(queries)
    tcos: dict[str, NDArray[Any]] = {}
    cumulative: dict[str, NDArray[Any]] = {}
    chosen: dict[str, NDArray[Any]] = {}
    variants = ("api_router",) if assumptions.router_model is not None else ()
    for option in (*OPTIONS, *variants):
        profiles = assumptions.candidate_profiles(option)
        monthly = np.array(
            [
                monthly_totals(option, scenarios, assumptions, queries, profile)
                for profile in profiles
            ]
        )  # (profiles, rows, months)
        totals = monthly.sum(axis=2)
        best = totals.argmin(axis=0)
        chosen[option] = best
        rows = np.arange(scenarios.rows)
        tcos[option] = totals[best, rows]
        cumulative[option] = np.cumsum(monthly[best, rows], axis=1)
    return tcos, cumulative, chosen


def monthly_totals(
    option: str,
    scenarios: Scenarios,
    assumptions: Assumptions,
    queries: NDArray[Any],
    profile: ServingProfile | None,
) -> NDArray[Any]:
    components = option_costs(option, scenarios, assumptions, queries, profile).components
    total = np.zeros_like(queries)
    for series in components.values():
        total = total + series
    return total


def _probability_cheapest(
    tcos: Mapping[str, NDArray[Any]], allowed: Sequence[str]
) -> dict[str, float]:
    if not allowed:
        return {}
    stacked = np.array([tcos[option] for option in allowed])
    winners = stacked.argmin(axis=0)  # ties go to the first (the API before the others)
    counts = np.bincount(winners, minlength=len(allowed))
    return {option: float(counts[i]) / stacked.shape[1] for i, option in enumerate(allowed)}


def _volume_percentiles(volumes: NDArray[Any]) -> Percentiles | None:
    """P10/P50/P90 of break-even volumes; a draw with none counts as beyond reach."""
    finite = np.where(np.isnan(volumes), np.inf, volumes)
    # Between two draws beyond reach numpy interpolates inf - inf (NaN, with a
    # warning); a NaN percentile is beyond reach too, as the checks below read it.
    with np.errstate(invalid="ignore"):
        p10, p50, p90 = np.percentile(finite, (10, 50, 90))
    if not np.isfinite(p50):
        return None
    return Percentiles(float(p10), float(p50), float(p90) if np.isfinite(p90) else float("inf"))


# --- confidence -----------------------------------------------------------------------


def _confidence(
    decide: Decide,
    recommendation: str,
    answers: Mapping[str, Any],
    drawn: Drawn,
    tcos: Mapping[str, NDArray[Any]],
    cumulative: Mapping[str, NDArray[Any]],
    multipliers: Mapping[str, NDArray[Any]],
    count: int,
    open_checks: tuple[str, ...],
) -> tuple[float, tuple[CheckedOutcome, ...]]:
    """The share of draws that keep ``recommendation`` under every outcome of the checks.

    With open checks, also each outcome's own choice (that of most draws) and
    the share of draws making it: how firm the advice becomes once checked.
    """
    outcomes = [
        dict(zip(open_checks, values, strict=True))
        for values in itertools.product(FOLLOW_UP_OUTCOMES, repeat=len(open_checks))
    ]
    variants, figures_list = [], []
    for row in range(count):
        variant = dict(answers)
        for key, values in drawn.values.items():
            if key == "load_pattern" or key in _SCENARIO_ANSWERS:
                value = values[row].item()
                variant[key] = int(value) if key.startswith("avg_") else value
        figures = _figures(row, tcos, cumulative, multipliers)
        for outcome in outcomes:
            variants.append({**variant, **outcome})
            figures_list.append(figures)
    decisions = decide(variants, figures_list)
    per_draw = len(outcomes)
    kept = sum(
        all(decision == recommendation for decision in decisions[start : start + per_draw])
        for start in range(0, len(decisions), per_draw)
    )
    if not open_checks:
        return kept / count, ()
    checked = []
    for index, outcome in enumerate(outcomes):
        chosen = Counter(decisions[index::per_draw])
        # Most draws' choice; ties go to the earlier option, so the result is stable.
        choice, share = max(
            chosen.items(), key=lambda item: (item[1], -_OPTION_ORDER.get(item[0], len(OPTIONS)))
        )
        checked.append(CheckedOutcome(outcome, choice, share / count))
    return kept / count, tuple(checked)


def _figures(
    row: int,
    tcos: Mapping[str, NDArray[Any]],
    cumulative: Mapping[str, NDArray[Any]],
    multipliers: Mapping[str, NDArray[Any]],
) -> dict[str, Any]:
    api = float(tcos["api"][row])
    figures: dict[str, Any] = {}
    for option in OPTIONS:
        figures[f"tco_{option}_usd"] = float(tcos[option][row])
    figures["tco_api_router_usd"] = float(tcos["api_router"][row]) if "api_router" in tcos else None
    api_cumulative = cumulative["api"][row]
    for option in SELF_HOSTED_OPTIONS:
        figures[f"tco_ratio_{option}"] = float(tcos[option][row]) / api if api > 0 else None
        above = np.flatnonzero(cumulative[option][row] > api_cumulative)
        month = int(above[-1]) + 2 if above.size else 1
        figures[f"break_even_month_{option}"] = month if month <= len(api_cumulative) else None
        value = float(multipliers[option][row])
        figures[f"break_even_volume_multiplier_{option}"] = None if np.isnan(value) else value
    return figures


# --- sensitivity ----------------------------------------------------------------------


def _sensitivity(
    base: Scenarios,
    workload: Workload,
    assumptions: Assumptions,
    inputs: Sequence[UncertainInput],
    api_models: Mapping[str, ApiModelPrice] | None = None,
    limit: int | None = TORNADO_ROWS,
) -> tuple[Swing, ...]:
    """Each input at its low and its high (two rows each), then one row all at base.

    ``api_models`` names further per-token options (v3's hosted open model),
    each costed as the API is, with its own model, on the same rows. The
    ``limit`` widest swings (all with None: v3's tornado picks its own rows).
    """
    swept = [item for item in inputs if item.kind != "load_pattern"]
    if not swept:
        return ()
    rows = 2 * len(swept) + 1
    values: dict[str, NDArray[Any]] = {}
    for index, item in enumerate(swept):
        column = np.full(rows, item.base if item.kind != "gpu" else 0.5, dtype=float)
        if item.kind == "gpu":
            column[:] = _gpu_base_quantile(assumptions)
            column[2 * index], column[2 * index + 1] = 0.0, 1.0
        else:
            column[2 * index], column[2 * index + 1] = item.low, item.high
        values[item.key] = column
    scenarios = _apply(base, assumptions, values, rows)
    tcos, _, _ = _costs(scenarios, assumptions)
    if api_models:
        queries = np.ascontiguousarray(
            np.broadcast_to(scenarios.queries(np.ones(1)), (scenarios.rows, scenarios.months))
        )
        for name, model in api_models.items():
            priced = replace(assumptions, api_model=model)
            tcos[name] = monthly_totals("api", scenarios, priced, queries, None).sum(axis=1)
    options = (*OPTIONS, *(api_models or {}))
    at_base = {option: float(tcos[option][rows - 1]) for option in options}
    swings = []
    for index, item in enumerate(swept):
        low_row, high_row = 2 * index, 2 * index + 1
        ratios = tuple(
            float(tcos["self_host"][row]) / float(tcos["api"][row])
            if tcos["api"][row] > 0
            else None
            for row in (low_row, high_row)
        )
        swings.append(
            Swing(
                key=item.key,
                label=item.label,
                unit=item.unit,
                low=item.low,
                base=item.base,
                high=item.high,
                tco_usd={
                    option: (float(tcos[option][low_row]), float(tcos[option][high_row]))
                    for option in options
                },
                ratio=(ratios[0], ratios[1]),
                base_tco_usd=at_base,
            )
        )
    swings.sort(key=lambda swing: swing.width, reverse=True)
    return tuple(swing for swing in swings if swing.width > 0)[:limit]


def sensitivity_only(
    workload: Workload,
    assumptions: Assumptions,
    *,
    given: frozenset[str],
    planned_already: bool = False,
    api_models: Mapping[str, ApiModelPrice] | None = None,
    fitted: Mapping[str, tuple[float, float, float]] | None = None,
) -> tuple[tuple[Swing, ...], tuple[str, ...]]:
    """The one-at-a-time sensitivity (the tornado) and the answers drawn, without the
    Monte Carlo: decision model v3 draws its own (advisor.scoring) and reads the ranges,
    the bands and the chances from it, so nothing is drawn twice. ``planned_already``:
    ``assumptions`` went through the planner and its shortlist (v3's ``prepare``).
    ``api_models``: further per-token options to cost on the same sweep (see _sensitivity).
    ``fitted``: answers measured with a range of their own, ``(low, base, high)`` as the
    draws take them (v3: a growth rate fitted from a short usage history), swept over it
    though given; they are not among the answers drawn (those left at their defaults).
    Every input that moves a cost, widest first (the stored JSON keeps the widest
    :data:`TORNADO_ROWS`)."""
    if not planned_already:
        assumptions = shortlisted(workload, planned(workload, assumptions))
    base = Scenarios.point(workload, assumptions)
    uncertain = uncertain_inputs(workload, assumptions, given | frozenset(fitted or ()))
    answers = tuple(item.key for item in uncertain if item.kind == "answer")
    uncertain += tuple(_fitted_inputs(fitted or {}))
    swings = _sensitivity(base, workload, assumptions, uncertain, api_models, limit=None)
    return swings, answers


def _fitted_inputs(fitted: Mapping[str, tuple[float, float, float]]) -> list[UncertainInput]:
    """The fitted answers as sweep inputs, labelled as fitted: the row's range is the fit's,
    not the default range a reader may know from other results."""
    labels = {answer.key: answer for answer in DEFAULT_ANSWER_RANGES}
    return [
        UncertainInput(
            "answer",
            key,
            f"{labels[key].label} (fitted from usage)",
            labels[key].unit,
            low,
            base,
            high,
        )
        for key, (low, base, high) in fitted.items()
    ]


def _gpu_base_quantile(assumptions: Assumptions) -> float:
    # The catalog price is the median of its range (see triangular_quantile).
    return 0.5


def _crossings(
    sensitivity: Sequence[Swing],
    base: Scenarios,
    workload: Workload,
    assumptions: Assumptions,
    inputs: Sequence[UncertainInput],
    answers: Mapping[str, Any],
    allowed: Sequence[str],
    recommendation: str | None,
    decide: Decide | None,
) -> tuple[Crossing, ...]:
    """The one or two inputs whose plausible range crosses the decision.

    Each of the widest tornado rows is swept over its range (41 points, one
    vectorised costing); where the decision at an end of the range differs
    from the base case, the first value that changes it is found by bisection.
    Without ``decide``, the decision is the cheapest allowed option.
    """
    if len(allowed) < 2 or recommendation is None:
        return ()
    by_key = {item.key: item for item in inputs}
    found: list[Crossing] = []
    for swing in sensitivity[:4]:
        found.extend(
            _crossings_of(
                by_key[swing.key], base, assumptions, answers, allowed, recommendation, decide
            )
        )
        if len(found) >= 2:
            break
    return tuple(found[:2])


def _crossings_of(
    item: UncertainInput,
    base: Scenarios,
    assumptions: Assumptions,
    answers: Mapping[str, Any],
    allowed: Sequence[str],
    recommendation: str,
    decide: Decide | None,
) -> list[Crossing]:
    points = 41
    if item.kind == "gpu":
        sweep = np.linspace(0.0, 1.0, points)
        gpu = assumptions.self_host_model.gpu
        shown = np.asarray(
            triangular_quantile(
                sweep, gpu.usd_per_hour_low, gpu.usd_per_hour, gpu.usd_per_hour_high
            )
        )
    else:
        sweep = shown = np.linspace(item.low, item.high, points)
    scenarios = _apply(base, assumptions, {item.key: sweep}, points)
    tcos, cumulative, _ = _costs(scenarios, assumptions)
    decisions: dict[int, str | None] = {}

    def decision_at(index: int) -> str | None:
        if index in decisions:
            return decisions[index]
        if decide is None:
            decisions[index] = min(allowed, key=lambda option: tcos[option][index])
            return decisions[index]
        row = _slice(scenarios, index)
        multipliers = {
            option: break_even_multipliers(option, row, assumptions, BREAK_EVEN_GRIDS)
            for option in SELF_HOSTED_OPTIONS
        }
        figures = _figures(
            0,
            {name: values[index : index + 1] for name, values in tcos.items()},
            {name: values[index : index + 1] for name, values in cumulative.items()},
            multipliers,
        )
        variant = dict(answers)
        if item.kind == "answer":
            value = float(sweep[index])
            variant[item.key] = round(value) if item.key.startswith("avg_") else value
        decisions[index] = decide([variant], [figures])[0]
        return decisions[index]

    found = []
    base_index = int(np.argmin(np.abs(shown - item.base)))
    for direction, end in (("below", 0), ("above", points - 1)):
        if end == base_index or decision_at(end) == recommendation:
            continue
        keeps, changes = base_index, end
        while abs(changes - keeps) > 1:
            middle = (keeps + changes) // 2
            if decision_at(middle) == recommendation:
                keeps = middle
            else:
                changes = middle
        found.append(
            Crossing(
                key=item.key,
                label=item.label,
                unit=item.unit,
                value=float(shown[changes]),
                direction=direction,
                recommendation=decision_at(changes),
                base=float(item.base),
            )
        )
    return found


def _slice(scenarios: Scenarios, index: int) -> Scenarios:
    """The one scenario at ``index``, as a one-row Scenarios."""
    return scenarios.rows_mapped(lambda rows: rows[index : index + 1], 1)


def _lower_first(label: str) -> str:
    # "GPU price per hour" keeps its acronym; "Monthly volume growth" does not.
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def _fmt_apart(value: float, base: float, unit: str) -> tuple[str, str]:
    """``value`` and ``base`` formatted, with decimals added until they read apart (two at most)."""
    shown, today = _fmt(value, unit), _fmt(base, unit)
    for decimals in (1, 2):
        if shown != today:
            break
        shown, today = _fmt(value, unit, decimals), _fmt(base, unit, decimals)
    return shown, today


def _fmt(value: float, unit: str, decimals: int | None = None) -> str:
    """A value with its unit; ``decimals`` overrides the usual precision."""
    if unit.startswith("USD"):
        suffix = unit.removeprefix("USD").strip()
        places = decimals if decimals is not None else (2 if abs(value) < 100 else 0)
        number = f"${value:,.{places}f}"
        return f"{number}{suffix.replace('/', ' per ', 1) if suffix else ''}".replace("  ", " ")
    if unit in ("%", "% per month", "%/year"):
        return f"{value:,.{decimals or 0}f}{unit.replace('%/year', '% a year')}"
    places = decimals if decimals is not None else (0 if abs(value) >= 10 else 2)
    return f"{value:,.{places}f} {unit}".strip()
