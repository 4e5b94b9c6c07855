"""The result snapshot: one typed object that every surface renders.

An assessment's result is scored once (``advisor.assessments.results.
build_snapshot``) and stored as :meth:`ResultSnapshot.to_dict`; the result
page, the PDF report, ``manage.py evaluate`` (JSON and text) and the CSV
export all read a :class:`ResultSnapshot` and nothing else, so they cannot
drift apart. Pure (no Django): it holds numbers and words, never markup.

:meth:`ResultSnapshot.from_dict` reads every stored shape: the current one
(``snapshot_version`` 2) and the dict stored before it (``Advice.to_dict()``
plus a ``page`` section holding the chart's SVG, its table and the answer
flips). Figures the page derives (the chart's table, the break-even
sentences) are computed from the stored numbers, never stored twice.

Readers take the typed snapshot; the JSON form exists only at the edges:
:meth:`ResultSnapshot.to_dict` to store or print it, ``from_dict`` to read it back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from advisor import wording
from advisor.options import OPTION_LABELS, OPTIONS, SELF_HOSTED_OPTIONS, V3_OPTIONS

SNAPSHOT_VERSION = 2
CHART_TABLE_STEP_MONTHS = 6
# The break-even search looks this far above today's volume (costs.projection).
BREAK_EVEN_SEARCH_LIMIT = "10,000 times"


@dataclass(frozen=True)
class FiredRule:
    code: str
    title: str
    rationale: str
    effect: Mapping[str, Any]
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "rationale": self.rationale,
            "effect": dict(self.effect),
            "source": self.source,
        }


@dataclass(frozen=True)
class Caveat:
    code: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text}


@dataclass(frozen=True)
class Change:
    """One thing that would change the recommendation (design.md, "Uncertainty").

    ``kind`` is "answer" (one answer changed: ``value`` is the new answer)
    or "assumption" (an assumption beyond ``value`` in its plausible range).
    ``recommendation`` is what would then be recommended (None: every option
    ruled out); ``text`` says it in the buyer's words.
    """

    kind: str
    key: str
    value: Any
    recommendation: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "value": self.value,
            "recommendation": self.recommendation,
            "text": self.text,
        }

    @property
    def recommendation_label(self) -> str:
        if self.recommendation is None:
            return "every option ruled out"
        return OPTION_LABELS.get(self.recommendation, self.recommendation)


@dataclass(frozen=True)
class SkippedRule:
    code: str
    title: str
    error: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "error": self.error}


@dataclass(frozen=True)
class AssumptionRow:
    """One row of the dated, sourced assumptions table.

    ``as_of`` is kept as an ISO date string, the form the snapshot stores and
    every surface shows; a :class:`~datetime.date` (what the scorer has) is
    turned into one.
    """

    label: str
    value: str
    unit: str
    source: str
    as_of: str | date | None
    # The public page, where the source has one; a package source names its version instead.
    source_url: str = ""
    # The advisor's own figure (its reason is in ``source``), with its plausible range.
    judgement: bool = False
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.as_of, date):
            object.__setattr__(self, "as_of", self.as_of.isoformat())

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "as_of": self.as_of,
            "source_url": self.source_url,
            "judgement": self.judgement,
            "range": None if self.low is None or self.high is None else [self.low, self.high],
        }


@dataclass(frozen=True)
class PlanSummary:
    """Decision model v3's staged plan: start on ``start``, move to ``then`` above the trigger."""

    start: str
    then: str
    trigger_monthly_queries: float
    sustained_months: int
    expected_month: int | None
    tco_usd: float
    saves_usd: float
    risk_usd: float
    share_moving: float
    recommended: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "then": self.then,
            "trigger_monthly_queries": self.trigger_monthly_queries,
            "sustained_months": self.sustained_months,
            "expected_month": self.expected_month,
            "tco_usd": self.tco_usd,
            "saves_usd": self.saves_usd,
            "risk_usd": self.risk_usd,
            "share_moving": self.share_moving,
            "recommended": self.recommended,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanSummary:
        month = data.get("expected_month")
        return cls(
            start=str(data["start"]),
            then=str(data["then"]),
            trigger_monthly_queries=float(data["trigger_monthly_queries"]),
            sustained_months=int(data.get("sustained_months") or 3),
            expected_month=None if month is None else int(month),
            tco_usd=float(data["tco_usd"]),
            saves_usd=float(data.get("saves_usd") or 0),
            risk_usd=float(data.get("risk_usd") or 0),
            share_moving=float(data.get("share_moving") or 0),
            recommended=bool(data.get("recommended")),
        )


@dataclass(frozen=True)
class ConditionalAdvice:
    """What the advice would be with one answer of an open follow-up (v3)."""

    check: str
    value: str
    recommendation: str | None
    confidence: float
    prompt: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "prompt": self.prompt,
            "if": self.value,
            "recommendation": self.recommendation,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class DecisionRule:
    """How a v3 result was decided: the cheapest adjusted TCO, the default within a margin."""

    rule: str
    default: str
    margin_pct: float

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "default": self.default, "margin_pct": self.margin_pct}


@dataclass(frozen=True)
class RouterSaving:
    """What routing easy queries to a smaller API model would save (decision model v3)."""

    saves_usd: float
    tco_usd: float

    def to_dict(self) -> dict[str, float]:
        return {"saves_usd": self.saves_usd, "tco_usd": self.tco_usd}


@dataclass(frozen=True)
class RulesetRef:
    name: str
    version: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


@dataclass(frozen=True)
class ChartRow:
    """One row of the chart's data table: cumulative USD since month 1."""

    month: int
    api_usd: float
    self_host_usd: float
    hybrid_usd: float
    # Decision model v3's hosted open model, when the result costs it.
    open_api_usd: float | None = None

    @property
    def usd_by_option(self) -> tuple[float, ...]:
        """The row's figures in the chart's option order, the table's columns."""
        by_option = {
            "api": self.api_usd,
            "open_api": self.open_api_usd,
            "self_host": self.self_host_usd,
            "hybrid": self.hybrid_usd,
        }
        return tuple(
            float(value) for option in V3_OPTIONS if (value := by_option[option]) is not None
        )


@dataclass(frozen=True)
class BreakEven:
    """At what volume a self-hosted option would cost what the API does."""

    option: str
    label: str
    multiplier: float | None  # of today's volume; None: not within the search
    monthly_queries: int | None
    text: str


def breaks_even_today(multiplier: float | None) -> bool:
    """Whether an option costs no more than the API at today's volume.

    The one threshold every surface uses: a multiplier of exactly 1 means
    the two cost the same, which is breaking even.
    """
    return multiplier is not None and multiplier <= 1


def break_even_sentence(
    label: str, multiplier: float | None, monthly_queries: int | None, horizon_months: int
) -> str:
    """The volume side of "what would change this answer", for one option."""
    if multiplier is None:
        return (
            f"{label} would not break even with the API over {horizon_months} months "
            f"at any volume up to {BREAK_EVEN_SEARCH_LIMIT} today's."
        )
    volume = f"about {wording.volume(monthly_queries)} queries a month" if monthly_queries else ""
    if breaks_even_today(multiplier):
        since = f" (it would break even from {volume})" if volume else ""
        return (
            f"{label} already costs no more than the API over {horizon_months} months "
            f"at today's volume{since}."
        )
    at = (
        f"{volume} ({multiplier:,.1f} times today's volume)"
        if volume
        else f"about {multiplier:,.1f} times today's monthly volume"
    )
    return f"{label} would break even with the API over {horizon_months} months at {at}."


# --- the costs, typed ------------------------------------------------------------
#
# ``to_dict`` is the "costs" object of the command-line contract and of the stored
# result; ``from_dict`` reads it back, from any stored shape (older results lack the
# uncertainty and v3 keys: those are None or empty). A key a reader does not model
# (``components``, the tornado's swings) keeps its JSON form.


def _floats(values: Any) -> tuple[float, ...]:
    return tuple(float(value) for value in values or ())


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Percentiles:
    """A P10 / P50 / P90 range in USD as a result stores it (None: beyond reach)."""

    p10: float | None
    p50: float | None
    p90: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {"p10": self.p10, "p50": self.p50, "p90": self.p90}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Percentiles | None:
        if not isinstance(data, Mapping):
            return None
        return cls(
            _optional_float(data.get("p10")),
            _optional_float(data.get("p50")),
            _optional_float(data.get("p90")),
        )


@dataclass(frozen=True)
class Band:
    """The P10 and P90 cumulative cost, month by month."""

    p10: tuple[float, ...]
    p90: tuple[float, ...]

    def to_dict(self) -> dict[str, list[float]]:
        return {"p10": list(self.p10), "p90": list(self.p90)}


@dataclass(frozen=True)
class Adjustment:
    """One rule's cost effect on an option, the median over the horizon (decision model v3)."""

    rule: str
    label: str
    usd: float

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "label": self.label, "usd": self.usd}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Adjustment:
        return cls(str(data.get("rule", "")), str(data.get("label", "")), float(data["usd"]))


@dataclass(frozen=True)
class OptionCosts:
    """One option's (or variant's) figures: the projection's, and the verdict's under v3.

    ``monthly_usd`` and ``cumulative_usd`` are what the chart and the tables show:
    under v3 the adjusted median path. The ``adjusted_*`` figures, the P50, the
    adjustments, ``allowed`` and ``model`` are v3's (None otherwise); the ranges
    and the band come with the uncertainty figures.
    """

    tco_usd: float
    monthly_usd: tuple[float, ...]
    cost_per_1k_queries_usd: float
    cumulative_usd: tuple[float, ...] = ()
    components: Mapping[str, tuple[float, ...]] | None = None
    replicas_per_month: tuple[int, ...] | None = None
    profile: str | None = None
    tco_usd_range: Percentiles | None = None
    cumulative_usd_band: Band | None = None
    adjusted_tco_usd: float | None = None
    adjusted_cost_per_1k_queries_usd: float | None = None
    adjusted_tco_usd_range: Percentiles | None = None
    tco_usd_p50: float | None = None
    adjustments: tuple[Adjustment, ...] | None = None
    allowed: bool | None = None
    model: str | None = None

    @property
    def compared_tco_usd(self) -> float:
        """The total the result compares: adjusted under v3 (the chart's end)."""
        return self.tco_usd if self.adjusted_tco_usd is None else self.adjusted_tco_usd

    @property
    def shown_cost_per_1k_queries_usd(self) -> float:
        """The cost per 1,000 queries beside :attr:`compared_tco_usd`."""
        adjusted = self.adjusted_cost_per_1k_queries_usd
        return self.cost_per_1k_queries_usd if adjusted is None else adjusted

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "tco_usd": self.tco_usd,
            "monthly_usd": list(self.monthly_usd),
            "cost_per_1k_queries_usd": self.cost_per_1k_queries_usd,
        }
        if self.cumulative_usd:
            data["cumulative_usd"] = list(self.cumulative_usd)
        if self.components is not None:
            data["components"] = {name: list(series) for name, series in self.components.items()}
        if self.replicas_per_month is not None:
            data["replicas_per_month"] = list(self.replicas_per_month)
        optional: dict[str, Any] = {
            "profile": self.profile,
            "tco_usd_range": None if self.tco_usd_range is None else self.tco_usd_range.to_dict(),
            "cumulative_usd_band": (
                None if self.cumulative_usd_band is None else self.cumulative_usd_band.to_dict()
            ),
            "adjusted_tco_usd": self.adjusted_tco_usd,
            "adjusted_cost_per_1k_queries_usd": self.adjusted_cost_per_1k_queries_usd,
            "adjusted_tco_usd_range": (
                None
                if self.adjusted_tco_usd_range is None
                else self.adjusted_tco_usd_range.to_dict()
            ),
            "tco_usd_p50": self.tco_usd_p50,
            "adjustments": (
                None if self.adjustments is None else [item.to_dict() for item in self.adjustments]
            ),
            "allowed": self.allowed,
            "model": self.model,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OptionCosts:
        band = data.get("cumulative_usd_band")
        components = data.get("components")
        replicas = data.get("replicas_per_month")
        adjustments = data.get("adjustments")
        allowed = data.get("allowed")
        model = data.get("model")
        return cls(
            tco_usd=float(data["tco_usd"]),
            monthly_usd=_floats(data.get("monthly_usd")),
            cost_per_1k_queries_usd=float(data.get("cost_per_1k_queries_usd") or 0),
            cumulative_usd=_floats(data.get("cumulative_usd")),
            components=(
                {str(name): _floats(series) for name, series in components.items()}
                if isinstance(components, Mapping)
                else None
            ),
            replicas_per_month=None if replicas is None else tuple(int(n) for n in replicas),
            profile=None if data.get("profile") is None else str(data["profile"]),
            tco_usd_range=Percentiles.from_dict(data.get("tco_usd_range")),
            cumulative_usd_band=(
                Band(_floats(band.get("p10")), _floats(band.get("p90")))
                if isinstance(band, Mapping) and "p10" in band and "p90" in band
                else None
            ),
            adjusted_tco_usd=_optional_float(data.get("adjusted_tco_usd")),
            adjusted_cost_per_1k_queries_usd=_optional_float(
                data.get("adjusted_cost_per_1k_queries_usd")
            ),
            adjusted_tco_usd_range=Percentiles.from_dict(data.get("adjusted_tco_usd_range")),
            tco_usd_p50=_optional_float(data.get("tco_usd_p50")),
            adjustments=(
                None
                if adjustments is None
                else tuple(Adjustment.from_dict(item) for item in adjustments)
            ),
            allowed=None if allowed is None else bool(allowed),
            model=None if model is None else str(model),
        )


@dataclass(frozen=True)
class UncertaintyBasis:
    """What the uncertainty figures were drawn over (design.md, "Uncertainty")."""

    draws: int
    decision_draws: int | None = None
    uncertain_answers: tuple[str, ...] = ()
    open_checks: tuple[str, ...] = ()
    # What each answer of an open check would decide (their JSON form).
    if_checked: tuple[Mapping[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "draws": self.draws,
            "decision_draws": self.decision_draws,
            "uncertain_answers": list(self.uncertain_answers),
            "open_checks": list(self.open_checks),
            "if_checked": list(self.if_checked),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UncertaintyBasis:
        decision_draws = data.get("decision_draws")
        return cls(
            draws=int(data.get("draws") or 0),
            decision_draws=None if decision_draws is None else int(decision_draws),
            uncertain_answers=tuple(str(key) for key in data.get("uncertain_answers") or ()),
            open_checks=tuple(str(key) for key in data.get("open_checks") or ()),
            if_checked=tuple(data.get("if_checked") or ()),
        )


@dataclass(frozen=True)
class Costs:
    """A result's cost figures: the projection, the uncertainty figures and v3's verdict.

    ``sensitivity`` (the tornado's swings), ``tornado`` (v3: the recommendation
    against the runner-up, advisor.scoring.tornado), ``break_even_month_range``
    and ``volume_crossings`` keep their JSON form; everything else is typed.
    """

    horizon_months: int
    options: Mapping[str, OptionCosts]
    break_even_month: Mapping[str, int | None]
    break_even_volume_multiplier: Mapping[str, float | None]
    variants: Mapping[str, OptionCosts] = field(default_factory=dict)
    gpu_pricing: str | None = None
    # With the uncertainty figures:
    probability_cheapest: Mapping[str, float] | None = None
    sensitivity: tuple[Mapping[str, Any], ...] | None = None
    break_even_monthly_queries: Mapping[str, Percentiles | None] | None = None
    uncertainty: UncertaintyBasis | None = None
    # Decision model v3's verdict:
    probability_best: Mapping[str, float] | None = None
    month_36_monthly_queries: int | None = None
    decision_draws: int | None = None
    volume_crossings: tuple[Mapping[str, Any], ...] | None = None
    break_even_month_range: Mapping[str, Mapping[str, Any] | None] | None = None
    tornado: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"horizon_months": self.horizon_months}
        data["options"] = {option: costs.to_dict() for option, costs in self.options.items()}
        data["variants"] = {name: costs.to_dict() for name, costs in self.variants.items()}
        data["break_even_month"] = dict(self.break_even_month)
        data["break_even_volume_multiplier"] = dict(self.break_even_volume_multiplier)
        queries = self.break_even_monthly_queries
        optional: dict[str, Any] = {
            "gpu_pricing": self.gpu_pricing,
            "probability_cheapest": _plain(self.probability_cheapest),
            "sensitivity": None if self.sensitivity is None else list(self.sensitivity),
            "break_even_monthly_queries": (
                None
                if queries is None
                else {
                    option: None if value is None else value.to_dict()
                    for option, value in queries.items()
                }
            ),
            "uncertainty": None if self.uncertainty is None else self.uncertainty.to_dict(),
            "probability_best": _plain(self.probability_best),
            "month_36_monthly_queries": self.month_36_monthly_queries,
            "decision_draws": self.decision_draws,
            "volume_crossings": (
                None if self.volume_crossings is None else list(self.volume_crossings)
            ),
            "break_even_month_range": _plain_json(self.break_even_month_range),
            "tornado": _plain_json(self.tornado),
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Costs:
        if isinstance(data, Costs):
            return data
        queries = data.get("break_even_monthly_queries")
        uncertainty = data.get("uncertainty")
        sensitivity = data.get("sensitivity")
        crossings = data.get("volume_crossings")
        month_36 = data.get("month_36_monthly_queries")
        draws = data.get("decision_draws")
        return cls(
            horizon_months=int(data.get("horizon_months") or 36),
            options={
                str(option): OptionCosts.from_dict(figures)
                for option, figures in (data.get("options") or {}).items()
            },
            variants={
                str(name): OptionCosts.from_dict(figures)
                for name, figures in (data.get("variants") or {}).items()
            },
            break_even_month=dict(data.get("break_even_month") or {}),
            break_even_volume_multiplier=dict(data.get("break_even_volume_multiplier") or {}),
            gpu_pricing=None if data.get("gpu_pricing") is None else str(data["gpu_pricing"]),
            probability_cheapest=_floats_by_name(data.get("probability_cheapest")),
            sensitivity=None if sensitivity is None else tuple(sensitivity),
            break_even_monthly_queries=(
                {str(option): Percentiles.from_dict(value) for option, value in queries.items()}
                if isinstance(queries, Mapping)
                else None
            ),
            uncertainty=(
                UncertaintyBasis.from_dict(uncertainty)
                if isinstance(uncertainty, Mapping)
                else None
            ),
            probability_best=_floats_by_name(data.get("probability_best")),
            month_36_monthly_queries=None if month_36 is None else int(month_36),
            decision_draws=None if draws is None else int(draws),
            volume_crossings=None if crossings is None else tuple(crossings),
            break_even_month_range=_json_mapping(data.get("break_even_month_range")),
            tornado=_json_mapping(data.get("tornado")),
        )


def _plain(values: Mapping[str, float] | None) -> dict[str, float] | None:
    return None if values is None else dict(values)


def _plain_json(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if values is None else dict(values)


def _json_mapping(values: Any) -> dict[str, Any] | None:
    """A JSON object kept as it is stored (None when absent or not an object)."""
    return dict(values) if isinstance(values, Mapping) else None


def _floats_by_name(values: Any) -> dict[str, float] | None:
    if not isinstance(values, Mapping):
        return None
    return {str(name): float(value) for name, value in values.items()}


@dataclass(frozen=True)
class MeasuredFigure:
    """One answer measured from a usage export, as the result shows it."""

    key: str
    prompt: str
    value: Any
    answer: str  # the value in the questionnaire's words
    provenance: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "prompt": self.prompt,
            "value": self.value,
            "answer": self.answer,
            "provenance": self.provenance,
        }


@dataclass(frozen=True)
class MeasuredAnswers:
    """Which answers were measured from a usage export, from what and over what period.

    Kept in the result (not read live from the assessment) so the page and the
    PDF keep saying what the result was scored on.
    """

    label: str
    keys: tuple[str, ...]
    source_label: str = ""
    period: str = ""
    gaps: tuple[str, ...] = ()
    figures: tuple[MeasuredFigure, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "keys": list(self.keys),
            "source_label": self.source_label,
            "period": self.period,
            "gaps": list(self.gaps),
            "figures": [figure.to_dict() for figure in self.figures],
        }

    @classmethod
    def from_dict(cls, data: Any) -> MeasuredAnswers | None:
        if not isinstance(data, Mapping):
            return None
        return cls(
            label=str(data.get("label", "")),
            keys=tuple(str(key) for key in data.get("keys") or ()),
            source_label=str(data.get("source_label") or ""),
            period=str(data.get("period") or ""),
            gaps=tuple(str(gap) for gap in data.get("gaps") or ()),
            figures=tuple(
                MeasuredFigure(
                    key=str(item.get("key", "")),
                    prompt=str(item.get("prompt", "")),
                    value=item.get("value"),
                    answer=str(item.get("answer", "")),
                    provenance=str(item.get("provenance") or ""),
                )
                for item in data.get("figures") or ()
            ),
        )


@dataclass(frozen=True, eq=True)
class ResultSnapshot:
    """Everything a result shows, as scored (attribute names are the stored keys).

    ``costs`` holds the cost model's figures (USD to the cent), with the
    uncertainty figures when they ran and the verdict's under v3, typed; its
    ``to_dict`` is the command-line contract's "costs" object.
    ``reasons``, ``decision``, ``cheaper_options`` and ``open_questions`` are
    the decision model v2's (None and empty for older results).
    """

    recommendation: str | None
    confidence: float
    scores: Mapping[str, float]
    excluded: Mapping[str, tuple[str, ...]]
    fired_rules: tuple[FiredRule, ...]
    caveats: tuple[Caveat, ...]
    costs: Costs
    ruleset: RulesetRef
    what_would_change: tuple[Change, ...] = ()
    reasons: Mapping[str, tuple[str, ...]] | None = None
    decision: tuple[Mapping[str, Any], ...] = ()
    cheaper_options: tuple[Mapping[str, Any], ...] = ()
    open_questions: tuple[Mapping[str, Any], ...] = ()
    excluded_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    skipped_rules: tuple[SkippedRule, ...] = ()
    assumptions: tuple[AssumptionRow, ...] = ()
    notes: tuple[str, ...] = ()
    answers: Mapping[str, Any] = field(default_factory=dict)
    # The answers the buyer gave (the rest are defaults); None when not known.
    given_answers: tuple[str, ...] | None = None
    # Which answers were measured from a usage export (assessments.services).
    measured: MeasuredAnswers | None = None
    computed_at: str = ""
    version: int = SNAPSHOT_VERSION
    # Decision model v3 (design.md): None and empty for results decided by score points.
    decision_rule: DecisionRule | None = None
    plan: PlanSummary | None = None
    conditional: tuple[ConditionalAdvice, ...] = ()
    router: RouterSaving | None = None

    # --- storage -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The stored JSON, a superset of the command-line contract."""
        data: dict[str, Any] = {
            "snapshot_version": self.version,
            "recommendation": self.recommendation,
            "confidence": self.confidence,
            "scores": dict(self.scores),
            "excluded": {option: list(reasons) for option, reasons in self.excluded.items()},
            "fired_rules": [rule.to_dict() for rule in self.fired_rules],
            "caveats": [caveat.to_dict() for caveat in self.caveats],
            "costs": self.costs.to_dict(),
            "ruleset": self.ruleset.to_dict(),
            "what_would_change": [change.to_dict() for change in self.what_would_change],
        }
        if self.reasons is not None:
            data["reasons"] = {side: list(codes) for side, codes in self.reasons.items()}
        data.update(
            {
                "decision": [dict(step) for step in self.decision],
                "cheaper_options": [dict(item) for item in self.cheaper_options],
                "open_questions": [dict(item) for item in self.open_questions],
                "excluded_by": {option: list(codes) for option, codes in self.excluded_by.items()},
                "skipped_rules": [rule.to_dict() for rule in self.skipped_rules],
                "assumptions": [row.to_dict() for row in self.assumptions],
                "notes": list(self.notes),
                "answers": dict(self.answers),
                "given_answers": (None if self.given_answers is None else list(self.given_answers)),
            }
        )
        if self.measured is not None:
            data["measured"] = self.measured.to_dict()
        if self.decision_rule is not None:
            data["decision_rule"] = self.decision_rule.to_dict()
            data["plan"] = None if self.plan is None else self.plan.to_dict()
            data["conditional"] = [branch.to_dict() for branch in self.conditional]
            data["router"] = None if self.router is None else self.router.to_dict()
        data["computed_at"] = self.computed_at
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ResultSnapshot:
        """Any stored result: this version's, or the dict stored before it.

        The previous shape kept the answer flips in ``page.flips``
        (``{"key", "change", "recommendation"}``) and the assumption
        crossings in ``what_would_change``; its stored chart SVG is ignored
        (charts are drawn from the numbers).
        """
        if isinstance(data, ResultSnapshot):
            return data
        page = data.get("page") or {}
        changes = [_change(item) for item in data.get("what_would_change") or ()]
        if "snapshot_version" not in data:
            flips = [_old_flip(item) for item in page.get("flips") or ()]
            changes = flips + changes
        reasons = data.get("reasons")
        return cls(
            version=SNAPSHOT_VERSION,
            recommendation=data.get("recommendation"),
            confidence=float(data.get("confidence") or 0),
            scores=dict(data.get("scores") or {}),
            excluded={
                option: tuple(reasons) for option, reasons in (data.get("excluded") or {}).items()
            },
            fired_rules=tuple(
                FiredRule(
                    code=str(rule.get("code", "")),
                    title=str(rule.get("title", "")),
                    rationale=str(rule.get("rationale", "")),
                    effect=dict(rule.get("effect") or {}),
                    source=str(rule.get("source") or ""),
                )
                for rule in data.get("fired_rules") or ()
            ),
            caveats=tuple(
                Caveat(str(caveat.get("code", "")), str(caveat.get("text", "")))
                for caveat in data.get("caveats") or ()
            ),
            costs=Costs.from_dict(data.get("costs") or {}),
            ruleset=RulesetRef(
                str((data.get("ruleset") or {}).get("name", "")),
                str((data.get("ruleset") or {}).get("version", "")),
            ),
            what_would_change=tuple(changes),
            reasons=(
                {side: tuple(codes or ()) for side, codes in reasons.items()}
                if isinstance(reasons, Mapping)
                else None
            ),
            decision=tuple(data.get("decision") or ()),
            cheaper_options=tuple(data.get("cheaper_options") or ()),
            open_questions=tuple(data.get("open_questions") or ()),
            excluded_by={
                option: tuple(codes) for option, codes in (data.get("excluded_by") or {}).items()
            },
            skipped_rules=tuple(
                SkippedRule(
                    str(rule.get("code", "")),
                    str(rule.get("title", "")),
                    str(rule.get("error", "")),
                )
                for rule in data.get("skipped_rules") or ()
            ),
            assumptions=tuple(
                AssumptionRow(
                    label=str(row.get("label", "")),
                    value=str(row.get("value", "")),
                    unit=str(row.get("unit", "")),
                    source=str(row.get("source", "")),
                    as_of=row.get("as_of"),
                    source_url=str(row.get("source_url") or ""),
                    judgement=bool(row.get("judgement", False)),
                    low=(row.get("range") or (None, None))[0],
                    high=(row.get("range") or (None, None))[1],
                )
                for row in data.get("assumptions") or ()
            ),
            notes=tuple(str(note) for note in data.get("notes") or ()),
            answers=dict(data.get("answers") or {}),
            given_answers=(
                None
                if data.get("given_answers") is None
                else tuple(str(key) for key in data["given_answers"])
            ),
            measured=MeasuredAnswers.from_dict(data.get("measured")),
            computed_at=str(data.get("computed_at") or page.get("computed_at") or ""),
            **_v3_parts(data),
        )

    @cached_property
    def fingerprint(self) -> str:
        """A digest of the result's content, ignoring when it was computed.

        The one digest of a result: the chart images are cached under it, and the
        re-scoring preview carries it, so "accept" stores exactly the result the
        consultant looked at (prices or rules changed in between: the digest differs).
        """
        material = self.to_dict()
        material.pop("computed_at", None)
        canonical = json.dumps(material, sort_keys=True, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()

    # --- what the surfaces show, derived from the stored numbers -----------------

    @property
    def option_labels(self) -> dict[str, str]:
        return OPTION_LABELS

    @property
    def charted_options(self) -> tuple[str, ...]:
        """The options the chart draws: the three projected, and the hosted open model (v3)."""
        return _charted(self.costs.options)

    @property
    def chart_labels(self) -> dict[str, str]:
        """The chart table's columns, in :attr:`charted_options` order."""
        return {option: OPTION_LABELS[option] for option in self.charted_options}

    @property
    def recommendation_label(self) -> str:
        return OPTION_LABELS.get(self.recommendation or "", "None")

    @property
    def horizon_months(self) -> int:
        return self.costs.horizon_months

    def tco_usd(self, option: str) -> float:
        """The option's total as the result compares it: adjusted under v3 (the chart's end)."""
        return self.costs.options[option].compared_tco_usd

    @property
    def answer_changes(self) -> tuple[Change, ...]:
        """Single answers that would flip the recommendation."""
        return tuple(change for change in self.what_would_change if change.kind == "answer")

    @property
    def assumption_changes(self) -> tuple[Change, ...]:
        """Assumptions whose plausible range crosses the decision."""
        return tuple(change for change in self.what_would_change if change.kind == "assumption")

    @property
    def break_even(self) -> tuple[BreakEven, ...]:
        """Each self-hosted option's break-even volume, with its sentence."""
        multipliers = self.costs.break_even_volume_multiplier
        volume = self.answers.get("monthly_queries")
        rows = []
        for option in SELF_HOSTED_OPTIONS:
            multiplier = multipliers.get(option)
            queries = (
                round(multiplier * volume)
                if multiplier is not None and isinstance(volume, (int, float)) and volume
                else None
            )
            label = OPTION_LABELS[option]
            rows.append(
                BreakEven(
                    option,
                    label,
                    multiplier,
                    queries,
                    break_even_sentence(label, multiplier, queries, self.horizon_months),
                )
            )
        return tuple(rows)

    @property
    def chart_table_step_months(self) -> int:
        """How many months apart :attr:`chart_table`'s rows are (its caption says so)."""
        return CHART_TABLE_STEP_MONTHS

    @property
    def chart_table(self) -> tuple[ChartRow, ...]:
        """The chart's data every six months, and always the last month."""
        cumulative = {option: self.cumulative_usd(option) for option in self.charted_options}
        horizon = len(cumulative["api"])
        months = list(range(CHART_TABLE_STEP_MONTHS, horizon + 1, CHART_TABLE_STEP_MONTHS))
        if not months or months[-1] != horizon:
            months.append(horizon)
        return tuple(
            ChartRow(
                month,
                cumulative["api"][month - 1],
                cumulative["self_host"][month - 1],
                cumulative["hybrid"][month - 1],
                cumulative["open_api"][month - 1] if "open_api" in cumulative else None,
            )
            for month in months
            if month >= 1
        )

    def cumulative_usd(self, option: str) -> list[float]:
        figures = self.costs.options[option]
        if figures.cumulative_usd:
            return list(figures.cumulative_usd)
        return _running_sums(figures.monthly_usd)

    def cumulative_band(self, option: str) -> tuple[list[float], list[float]] | None:
        """P10 and P90 cumulative cost per month, when the uncertainty analysis ran."""
        band = self.costs.options[option].cumulative_usd_band
        if band is None:
            return None
        return list(band.p10), list(band.p90)

    @property
    def chart_description(self) -> str:
        """What the cost chart shows, in one paragraph (its alt text and caption)."""
        horizon = self.horizon_months
        totals = "; ".join(
            f"{OPTION_LABELS[option]} {wording.usd_short(self.tco_usd(option))}"
            for option in self.charted_options
        )
        months = self.costs.break_even_month
        break_evens = []
        for option in SELF_HOSTED_OPTIONS:
            month = months.get(option)
            label = OPTION_LABELS[option]
            break_evens.append(
                f"{label} breaks even with the API in month {month}"
                if month is not None
                else f"{label} does not break even with the API within {horizon} months"
            )
        # Decision model v3's lines are the adjusted median paths: they end on the table's totals.
        lead = (
            f"Total cost over {horizon} months, with the costs the rules add "
            "(medians of the plausible worlds, as in the table)"
            if self.decision_rule is not None
            else f"Total cost over {horizon} months"
        )
        return f"{lead}: {totals}. " + "; ".join(break_evens) + "."


def charted_options(costs: Costs) -> tuple[str, ...]:
    """:attr:`ResultSnapshot.charted_options` of a result's costs."""
    return _charted(costs.options)


def _charted(options: Collection[str]) -> tuple[str, ...]:
    """The options projected month by month: the three, and the hosted open model (v3)."""
    return tuple(option for option in V3_OPTIONS if option in OPTIONS or option in options)


def answer_change(key: str, value: Any, description: str, recommendation: str | None) -> Change:
    """An answer flip as a :class:`Change` (the value as JSON keeps it)."""
    return Change("answer", key, _jsonable(value), recommendation, description)


def _change(item: Mapping[str, Any]) -> Change:
    return Change(
        kind=str(item.get("kind", "assumption")),
        key=str(item.get("key", "")),
        value=item.get("value"),
        recommendation=item.get("recommendation"),
        text=str(item.get("text", "")),
    )


def _old_flip(item: Mapping[str, Any]) -> Change:
    # The old page stored the description, not the value it tried.
    return Change(
        "answer", str(item.get("key", "")), None, item.get("recommendation"), str(item["change"])
    )


def _v3_parts(data: Mapping[str, Any]) -> dict[str, Any]:
    rule = data.get("decision_rule")
    if not isinstance(rule, Mapping):
        return {}
    plan = data.get("plan")
    router = data.get("router")
    return {
        "decision_rule": DecisionRule(
            str(rule.get("rule", "")), str(rule.get("default", "api")), float(rule["margin_pct"])
        ),
        "plan": PlanSummary.from_dict(plan) if isinstance(plan, Mapping) else None,
        "conditional": tuple(
            ConditionalAdvice(
                str(item["check"]),
                str(item["if"]),
                item.get("recommendation"),
                float(item.get("confidence") or 0),
                str(item.get("prompt") or ""),
            )
            for item in data.get("conditional") or ()
        ),
        "router": (
            RouterSaving(float(router["saves_usd"]), float(router["tco_usd"]))
            if isinstance(router, Mapping)
            else None
        ),
    }


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, (tuple, list)) else value


def _running_sums(values: Sequence[float]) -> list[float]:
    sums, running = [], 0.0
    for value in values:
        running += value
        sums.append(running)
    return sums
