"""Scenarios side by side: each variant's outcome, and the comparison table every surface shows.

Pure (no Django). A variant is scored by the assessment's own pipeline
(``advisor.assessments.scenarios``); what the comparison needs from that
result is kept as a :class:`ScenarioOutcome` (a few kilobytes, where the
full result is some 36), read from the typed result by
:func:`outcome_of`, the one place that knows what a comparison takes from it. When the
decision model's result gains an adjusted TCO or a staged plan, this is
the function that reads them; the page, the PDF and the CSV render the
:class:`Comparison` and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from advisor import wording
from advisor.costs.assumptions import COSTED_ON_ROLES
from advisor.options import OPTION_LABELS
from advisor.snapshot import AssumptionRow, OptionCosts, PlanSummary, ResultSnapshot

MAX_VARIANTS = 4
BASE_NAME = "As answered"


@dataclass(frozen=True)
class ScenarioOutcome:
    """What one scenario's result says, in the comparison's terms (USD, months)."""

    recommendation: str | None
    confidence: float
    horizon_months: int
    tco_usd: Mapping[str, float]  # per option, adjusted when ``adjusted``
    adjusted: bool
    break_even_month: Mapping[str, int | None]
    cumulative_usd: Mapping[str, tuple[float, ...]]
    plan: str = ""
    # The model (and GPUs) each option is costed on: the capacity planner picks
    # the cheapest configuration for each scenario's own answers, as the wizard
    # would for them, so a variant can be costed on another than the result.
    costed_on: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "recommendation": self.recommendation,
            "confidence": self.confidence,
            "horizon_months": self.horizon_months,
            "tco_usd": dict(self.tco_usd),
            "adjusted": self.adjusted,
            "break_even_month": dict(self.break_even_month),
            "cumulative_usd": {
                option: list(curve) for option, curve in self.cumulative_usd.items()
            },
            "plan": self.plan,
            "costed_on": dict(self.costed_on),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScenarioOutcome:
        return cls(
            recommendation=data.get("recommendation"),
            confidence=float(data.get("confidence") or 0),
            horizon_months=int(data.get("horizon_months") or 36),
            tco_usd={option: float(usd) for option, usd in (data.get("tco_usd") or {}).items()},
            adjusted=bool(data.get("adjusted")),
            break_even_month=dict(data.get("break_even_month") or {}),
            cumulative_usd={
                option: tuple(float(usd) for usd in curve)
                for option, curve in (data.get("cumulative_usd") or {}).items()
            },
            plan=str(data.get("plan") or ""),
            costed_on=dict(data.get("costed_on") or {}),
        )

    @property
    def recommended_curve(self) -> tuple[float, ...]:
        """The cumulative cost of what this scenario recommends (the API's when none is)."""
        option = self.recommendation or "api"
        return self.cumulative_usd.get(option, self.cumulative_usd.get("api", ()))


def outcome_of(result: ResultSnapshot) -> ScenarioOutcome:
    """A result as the comparison reads it (a stored one through ``ResultSnapshot.from_dict``)."""
    options = result.costs.options
    # The risk-adjusted totals when the decision model gives every option one, else the
    # plain projection's: never a mix.
    adjusted = bool(options) and all(
        figures.adjusted_tco_usd is not None for figures in options.values()
    )
    return ScenarioOutcome(
        recommendation=result.recommendation,
        confidence=result.confidence,
        horizon_months=result.horizon_months,
        tco_usd={
            option: figures.compared_tco_usd if adjusted else figures.tco_usd
            for option, figures in options.items()
        },
        adjusted=adjusted,
        break_even_month=dict(result.costs.break_even_month),
        cumulative_usd={option: _cumulative(figures) for option, figures in options.items()},
        plan=_plan_text(result.plan),
        costed_on=_costed_on(result.assumptions, options),
    )


def _costed_on(rows: Sequence[AssumptionRow], options: Mapping[str, OptionCosts]) -> dict[str, str]:
    """Each costed option's model, as the result's "assumptions used" table names it."""
    found = {}
    for option, role in COSTED_ON_ROLES.items():
        prefix = f"{role}: "
        for row in rows:
            if option in options and row.label.startswith(prefix):
                found[option] = row.label[len(prefix) :]
                break
    return found


def _cumulative(figures: OptionCosts) -> tuple[float, ...]:
    if figures.cumulative_usd:
        return figures.cumulative_usd
    return tuple(accumulate(figures.monthly_usd))


def _plan_text(plan: PlanSummary | None) -> str:
    """A staged plan in a few words (decision model v3), or "" without one."""
    if plan is None:
        return ""
    start = OPTION_LABELS.get(plan.start, plan.start)
    then = str(OPTION_LABELS.get(plan.then, plan.then)).lower()
    trigger = wording.volume(plan.trigger_monthly_queries)
    chosen = "recommended" if plan.recommended else "not recommended"
    return f"{start}, then {then} above {trigger} a month ({chosen})"


@dataclass(frozen=True)
class ScenarioColumn:
    """One column: the assessment as answered, or a variant (``variant_id``)."""

    name: str
    changes: tuple[str, ...]  # "Monthly queries: 90,000,000", in the questionnaire's words
    outcome: ScenarioOutcome | None
    variant_id: int | None = None
    problem: str = ""

    @property
    def is_variant(self) -> bool:
        return self.variant_id is not None


@dataclass(frozen=True)
class Cell:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    cells: tuple[Cell, ...]
    key: str  # a stable name for tests and CSS: "recommendation", "tco-api"


@dataclass(frozen=True)
class Comparison:
    """The assessment and its variants, one column each; rows are what the surfaces show."""

    columns: tuple[ScenarioColumn, ...]
    option_labels: Mapping[str, str] = field(default_factory=lambda: OPTION_LABELS)

    @property
    def variants(self) -> tuple[ScenarioColumn, ...]:
        return tuple(column for column in self.columns if column.is_variant)

    @property
    def options(self) -> tuple[str, ...]:
        """Every option any column costs, in the order the results list them."""
        seen: dict[str, None] = {}
        for column in self.columns:
            if column.outcome is not None:
                seen.update(dict.fromkeys(column.outcome.tco_usd))
        return tuple(seen)

    @property
    def horizon_months(self) -> int:
        horizons = {column.outcome.horizon_months for column in self.columns if column.outcome}
        return horizons.pop() if len(horizons) == 1 else 0

    @property
    def adjusted(self) -> bool:
        return any(column.outcome.adjusted for column in self.columns if column.outcome)

    @property
    def rows(self) -> tuple[ComparisonRow, ...]:
        rows = [
            self._row("recommendation", "Recommendation", self._recommendation),
            self._row("confidence", "Confidence", _confidence),
        ]
        total = "Adjusted total" if self.adjusted else "Total"
        horizon = f" over {self.horizon_months} months" if self.horizon_months else ""
        for option in self.options:
            label = self.option_labels.get(option, option)
            rows.append(
                self._row(
                    f"tco-{option}",
                    f"{total}{horizon}: {label}",
                    lambda outcome, option=option: _tco(outcome, option),
                )
            )
        for option in self._configurations_that_differ:
            label = self.option_labels.get(option, option)
            rows.append(
                self._row(
                    f"costed-on-{option}",
                    f"{label} costed on",
                    lambda outcome, option=option: Cell(
                        outcome.costed_on.get(option, "Not recorded")
                        if option in outcome.tco_usd
                        else "Not costed"
                    ),
                )
            )
        for option in self._break_even_options:
            label = self.option_labels.get(option, option)
            rows.append(
                self._row(
                    f"break-even-{option}",
                    f"{label} breaks even with the API",
                    lambda outcome, option=option: Cell(_break_even(outcome, option)),
                )
            )
        if any(column.outcome and column.outcome.plan for column in self.columns):
            rows.append(self._row("plan", "Plan", lambda outcome: Cell(outcome.plan or "None")))
        return tuple(rows)

    @property
    def _configurations_that_differ(self) -> tuple[str, ...]:
        """The options whose model or GPUs are not the same in every scored column."""
        outcomes = [column.outcome for column in self.columns if column.outcome is not None]
        return tuple(
            option
            for option in COSTED_ON_ROLES
            # A variant stored before its configuration was kept has none: not a difference.
            if len(
                {outcome.costed_on[option] for outcome in outcomes if option in outcome.costed_on}
            )
            > 1
        )

    @property
    def _break_even_options(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for column in self.columns:
            if column.outcome is not None:
                seen.update(dict.fromkeys(column.outcome.break_even_month))
        return tuple(seen)

    def _recommendation(self, outcome: ScenarioOutcome) -> Cell:
        if outcome.recommendation is None:
            return Cell("Every option ruled out", strong=True)
        return Cell(self.option_labels.get(outcome.recommendation, outcome.recommendation), True)

    def _row(self, key: str, label: str, cell: Any) -> ComparisonRow:
        return ComparisonRow(
            label=label,
            cells=tuple(
                cell(column.outcome) if column.outcome is not None else Cell("Not scored")
                for column in self.columns
            ),
            key=key,
        )


def _confidence(outcome: ScenarioOutcome) -> Cell:
    return Cell(f"{outcome.confidence:.0%}")


def _tco(outcome: ScenarioOutcome, option: str) -> Cell:
    usd = outcome.tco_usd.get(option)
    if usd is None:
        return Cell("Not costed")
    return Cell(wording.usd_short(usd), strong=option == outcome.recommendation)


def _break_even(outcome: ScenarioOutcome, option: str) -> str:
    if option not in outcome.break_even_month:
        return "Not costed"
    month = outcome.break_even_month[option]
    if month is None:
        return f"Not within {outcome.horizon_months} months"
    return f"Month {month}"


def comparison_of(base: ScenarioOutcome | None, variants: Sequence[ScenarioColumn]) -> Comparison:
    """The assessment's own result first, then its variants in the order they were added."""
    return Comparison(columns=(ScenarioColumn(BASE_NAME, (), base), *variants))
