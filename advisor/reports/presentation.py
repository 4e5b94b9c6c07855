"""The report's tables and lists, as numbers, from a result snapshot.

Money, percentages and the recommendation sentence are formatted in the
templates by the result page's own filters (``advisor/assessments/
templatetags/assessments.py``: ``usd``, ``usd_precise``, ``percent``,
``option_sentence``), so the PDF shows every TCO figure exactly as the page
does. This module only selects and shapes the data. Pure (no Django): it
works on the snapshot, i.e. :meth:`advisor.advice.Advice.to_dict` (plus the
page's extras when an assessment stored it), because that is what a report
must keep showing after rulesets and prices move on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.costs.projection import (
    COMPONENTS,
    OPTIONS,
    SELF_HOSTED_OPTIONS,
    OptionProjection,
    Projection,
)
from advisor.reports.charts import OPTION_LABELS, Tornado, tornado
from advisor.snapshot import ResultSnapshot

VARIANT_LABELS: dict[str, str] = {"api_router": "API with a router"}
# The options inside a sentence.
OPTION_PHRASES: dict[str, str] = {
    "api": "the commercial API",
    "self_host": "self-hosting",
    "hybrid": "the hybrid",
}

# Short column heads for the monthly ledger (its legend spells them out).
COMPONENT_SHORT_LABELS: dict[str, str] = {
    "api_tokens": "Tokens",
    "gpus": "GPUs",
    "infrastructure": "Infra",
    "operations": "Ops",
    "overhead": "Overhead",
}
COMPONENT_LABELS: dict[str, str] = {
    "api_tokens": "API tokens",
    "gpus": "GPUs",
    "infrastructure": "Networking, storage, monitoring",
    "operations": "Operations",
    "overhead": "First-year overhead",
}


def option_label(option: str) -> str:
    return OPTION_LABELS.get(option, option)


def strongest_reasons(
    fired_rules: Sequence[Mapping[str, Any]], *, count: int = 3
) -> list[Mapping[str, Any]]:
    """The ``count`` strongest fired rules that changed a score or excluded an option.

    The engine lists fired rules strongest first; caveat-only rules (no
    effect) come last and are not reasons.
    """
    with_effect = [rule for rule in fired_rules if _has_effect(rule.get("effect") or {})]
    return (with_effect or list(fired_rules))[:count]


def _has_effect(effect: Mapping[str, Any]) -> bool:
    deltas = effect.get("score_deltas") or {}
    return bool(effect.get("excludes")) or any(delta for delta in deltas.values())


@dataclass(frozen=True)
class OptionCostRow:
    """One option (or variant) in the cost table (USD; the template formats them).

    ``tco_p10``/``tco_p90`` and ``probability_cheapest`` come from the
    uncertainty analysis (None when the snapshot has none).
    """

    option: str
    label: str
    tco_usd: float
    cost_per_1k_queries_usd: float
    break_even_month: int | None
    excluded: bool
    is_recommended: bool
    tco_p10: float | None = None
    tco_p90: float | None = None
    probability_cheapest: float | None = None
    is_variant: bool = False


def option_cost_rows(result: Mapping[str, Any], recommendation: str | None) -> list[OptionCostRow]:
    """The three options, then the "API with a router" variant, from the snapshot's costs."""
    costs = result["costs"]
    excluded = result.get("excluded") or {}
    probability = costs.get("probability_cheapest") or {}
    rows = []
    entries = [(option, costs["options"][option], False) for option in OPTIONS]
    entries += [(name, figures, True) for name, figures in (costs.get("variants") or {}).items()]
    for option, figures, is_variant in entries:
        spread = figures.get("tco_usd_range") or {}
        rows.append(
            OptionCostRow(
                option=option,
                label=VARIANT_LABELS.get(option) or option_label(option),
                tco_usd=figures["tco_usd"],
                cost_per_1k_queries_usd=figures["cost_per_1k_queries_usd"],
                break_even_month=(costs.get("break_even_month") or {}).get(option),
                excluded=option in excluded,
                is_recommended=option == recommendation,
                tco_p10=spread.get("p10"),
                tco_p90=spread.get("p90"),
                probability_cheapest=None if is_variant else probability.get(option),
                is_variant=is_variant,
            )
        )
    return rows


def confidence_sentence(result: Mapping[str, Any]) -> str:
    """What the confidence figure means, in the buyer's words."""
    costs = result.get("costs") or {}
    basis = costs.get("uncertainty")
    recommendation = result.get("recommendation")
    if not basis or recommendation is None:
        return ""
    excluded = result.get("excluded") or {}
    share = f"{float(result.get('confidence') or 0):.0%}"
    label = option_label(recommendation)
    if len(excluded) == len(OPTIONS) - 1:
        api = costs["options"]["api"]["tco_usd"]
        ratio = costs["options"][recommendation]["tco_usd"] / api if api else None
        premium = (
            f", at about {ratio:.1f} times the API's cost over {costs['horizon_months']} months"
            if ratio and recommendation != "api"
            else ""
        )
        return (
            f"Your compliance answers leave only {label} in every plausible world; what remains "
            f"uncertain is its cost{premium}."
        )
    worlds = basis.get("decision_draws") or basis["draws"]
    checks = len(basis.get("open_checks") or ())
    whichever = (
        ""
        if not checks
        else " whichever way the open check turns out"
        if checks == 1
        else f" whichever way the {checks} open checks turn out"
    )
    return (
        f"In {share} of {worlds} plausible price and volume worlds (drawn from the ranges of "
        "the assumptions and of the answers you left at their defaults), "
        f"{OPTION_PHRASES.get(recommendation, label)} stays the best choice{whichever}."
    )


def break_even_range_sentences(costs: Mapping[str, Any]) -> list[str]:
    """Break-even volumes as ranges (P10-P90), from the uncertainty analysis."""
    ranges = costs.get("break_even_monthly_queries")
    if ranges is None:
        return []
    sentences = []
    for option in SELF_HOSTED_OPTIONS:
        spread = ranges.get(option)
        label = option_label(option)
        if spread is None:
            sentences.append(f"{label} does not break even with the API in most plausible worlds.")
            continue
        high = spread["p90"]
        high_text = "beyond reach" if high is None else f"{_queries(high)}"
        sentences.append(
            f"{label} breaks even from about {_queries(spread['p50'])} queries a month "
            f"(P10 to P90: {_queries(spread['p10'])} to {high_text})."
        )
    return sentences


def cost_tornado(result: Mapping[str, Any]) -> Tornado | None:
    """The tornado of self-hosting's TCO ratio to the API, from the snapshot."""
    costs = result.get("costs") or {}
    api = costs.get("options", {}).get("api", {}).get("tco_usd")
    self_host = costs.get("options", {}).get("self_host", {}).get("tco_usd")
    ratio = self_host / api if api and self_host is not None else None
    return tornado(costs.get("sensitivity") or [], ratio)


@dataclass(frozen=True)
class UncertaintyView:
    """What the page and the PDF show of the costs and their uncertainty, from one snapshot."""

    cost_rows: list[OptionCostRow]
    confidence_sentence: str
    break_even_ranges: list[str]
    tornado: Tornado | None
    assumption_changes: list[str]


def uncertainty_view(result: Mapping[str, Any]) -> UncertaintyView:
    costs = result.get("costs") or {}
    return UncertaintyView(
        cost_rows=option_cost_rows(result, result.get("recommendation")),
        confidence_sentence=confidence_sentence(result),
        break_even_ranges=break_even_range_sentences(costs),
        tornado=cost_tornado(result),
        assumption_changes=[
            str(change.get("text", ""))
            for change in result.get("what_would_change") or []
            if change.get("kind") == "assumption"
        ],
    )


def _queries(value: float) -> str:
    """A volume at three significant figures: "13.6M", "850K"."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def break_even_multiplier_sentences(result: Mapping[str, Any]) -> list[str]:
    """ "What would change this answer", on the volume side (``ResultSnapshot.break_even``).

    One wording and one threshold for page, PDF and CLI: the snapshot's.
    """
    return [row.text for row in ResultSnapshot.from_dict(result).break_even]


@dataclass(frozen=True)
class MonthlyCostRow:
    """A month, a year's subtotal or the horizon's total: USD in the table's column order."""

    label: str
    values: tuple[float, ...]
    kind: str  # "month", "subtotal" or "total"


@dataclass(frozen=True)
class ColumnGroup:
    """An option's columns: its non-zero components, then its total."""

    option: str
    label: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class MonthlyCostTable:
    groups: tuple[ColumnGroup, ...]
    rows: tuple[MonthlyCostRow, ...]

    @property
    def column_count(self) -> int:
        return sum(len(group.columns) for group in self.groups)


def monthly_cost_table(costs: Mapping[str, Any]) -> MonthlyCostTable:
    """Every month of every option by component, a subtotal per year and the total.

    One table for the three options (a landscape page) rather than one per
    option: WeasyPrint's cost grows with the number of table rows, and the
    months are shared. Components that are zero in every month are left out,
    and an option with a single component shows only its total.
    """
    groups: list[ColumnGroup] = []
    series: list[list[float]] = []
    for option in OPTIONS:
        figures = costs["options"][option]
        components = figures.get("components") or {}
        shown = [name for name in COMPONENTS if any(components.get(name, ()))]
        if len(shown) < 2:
            shown = []
        series.extend([float(value) for value in components[name]] for name in shown)
        series.append([float(value) for value in figures["monthly_usd"]])
        columns = (*(COMPONENT_SHORT_LABELS.get(name, name) for name in shown), "Total")
        groups.append(ColumnGroup(option, option_label(option), columns))
    months = len(series[0])
    rows: list[MonthlyCostRow] = []
    for index in range(months):
        month = index + 1
        rows.append(MonthlyCostRow(f"{month}", tuple(values[index] for values in series), "month"))
        if month % 12 == 0 or month == months:
            first = index // 12 * 12
            rows.append(
                MonthlyCostRow(
                    f"{first + 1}\u2013{month}",
                    tuple(sum(values[first:month]) for values in series),
                    "subtotal",
                )
            )
    rows.append(MonthlyCostRow("Total", tuple(sum(values) for values in series), "total"))
    return MonthlyCostTable(tuple(groups), tuple(rows))


def _running_sums(values: Sequence[float]) -> list[float]:
    sums, running = [], 0.0
    for value in values:
        running += value
        sums.append(running)
    return sums


def projection_from_dict(costs: Mapping[str, Any]) -> Projection:
    """The chart's input rebuilt from a stored snapshot's ``costs`` (figures in cents).

    The chart is drawn from the snapshot, never re-projected: a report must
    show the figures the assessment was scored with, not today's prices.
    """
    options = {}
    for option in OPTIONS:
        figures = costs["options"][option]
        monthly = tuple(float(value) for value in figures["monthly_usd"])
        options[option] = OptionProjection(
            option=option,
            monthly_usd=monthly,
            components={
                name: tuple(float(value) for value in series)
                for name, series in (figures.get("components") or {}).items()
            },
            cumulative_usd=tuple(
                float(value) for value in figures.get("cumulative_usd") or _running_sums(monthly)
            ),
            tco_usd=float(figures["tco_usd"]),
            cost_per_1k_queries_usd=float(figures["cost_per_1k_queries_usd"]),
            replicas_per_month=tuple(figures.get("replicas_per_month") or ()),
        )
    return Projection(
        horizon_months=int(costs["horizon_months"]),
        options=options,
        break_even_month={
            option: (costs.get("break_even_month") or {}).get(option)
            for option in SELF_HOSTED_OPTIONS
        },
        break_even_volume_multiplier={
            option: (costs.get("break_even_volume_multiplier") or {}).get(option)
            for option in SELF_HOSTED_OPTIONS
        },
    )


@dataclass(frozen=True)
class Ledger:
    """A table as aligned monospace lines: ``header`` lines, then (kind, line) rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]


def ledger(table: MonthlyCostTable, format_value: Callable[[float], str]) -> Ledger:
    """The monthly table as text lines with right-aligned columns.

    WeasyPrint spends about a millisecond per table cell; 40 rows of 12
    figures as a <table> cost more than half a second, as 45 lines of text
    a twentieth of that. The figures are formatted by ``format_value`` (the
    result page's ``usd`` filter), so they read the same as everywhere else.
    """
    cells = [[format_value(value) for value in row.values] for row in table.rows]
    heads = [column for group in table.groups for column in group.columns]
    widths = [
        max(len(head), *(len(row[index]) for row in cells)) for index, head in enumerate(heads)
    ]
    label_width = max(len("Months 25\u201336"), *(len(_ledger_label(row)) for row in table.rows))
    gap = "  "
    group_cells, position = [], 0
    for group in table.groups:
        span = sum(widths[position : position + len(group.columns)])
        span += len(gap) * (len(group.columns) - 1)
        group_cells.append(group.label.center(span, " "))
        position += len(group.columns)
    header = (
        " " * label_width + gap + (gap + "  ").join(group_cells),
        "Month".ljust(label_width)
        + gap
        + _join_groups(
            table, [head.rjust(width) for head, width in zip(heads, widths, strict=True)], gap
        ),
    )
    rows = tuple(
        (
            row.kind,
            _ledger_label(row).ljust(label_width)
            + gap
            + _join_groups(
                table, [cell.rjust(width) for cell, width in zip(line, widths, strict=True)], gap
            ),
        )
        for row, line in zip(table.rows, cells, strict=True)
    )
    return Ledger(header, rows)


def _ledger_label(row: MonthlyCostRow) -> str:
    return f"Months {row.label}" if row.kind == "subtotal" else row.label


def _join_groups(table: MonthlyCostTable, cells: list[str], gap: str) -> str:
    """Cells joined by ``gap``, with a wider ``|`` separator between options."""
    parts, position = [], 0
    for group in table.groups:
        parts.append(gap.join(cells[position : position + len(group.columns)]))
        position += len(group.columns)
    return (gap + "  ").join(parts)
