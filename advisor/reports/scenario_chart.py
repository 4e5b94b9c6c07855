"""The scenarios' chart: each scenario's recommended option, cumulative cost by month.

One line per scenario (the assessment as answered, then each variant), the
cumulative cost of what that scenario recommends: the money each "what if"
would have the buyer spend. Drawn like the cumulative chart
(:mod:`advisor.reports.charts`: its axes, ticks and legend placement) by
``reports/_scenario_chart_svg.html``; pure, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advisor import wording
from advisor.assessments.comparison import Comparison
from advisor.reports import charts
from advisor.reports.charts import LineStyle, PlotArea, Series, Tick

# The assessment in black, the variants in Okabe-Ito colours the option
# lines do not use, each with its own dash pattern (greyscale print).
SCENARIO_STYLES: tuple[LineStyle, ...] = (
    LineStyle("#000000", ""),
    LineStyle("#CC79A7", "7.4 3.2"),
    LineStyle("#E69F00", "12.8 3.2 2 3.2"),
    LineStyle("#56B4E9", "2 2.4"),
    LineStyle("#0072B2", "10 2.4 2 2.4 2 2.4"),
)
LEGEND_LABEL_CHARS = 72  # the plot's width at 9 px (the legend is under it)


@dataclass(frozen=True)
class ScenarioChart:
    title: str
    description: str
    plot: PlotArea
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    legend: charts.Legend
    width: int = charts.CHART_WIDTH
    height: int = charts.CHART_HEIGHT
    font_size: int = charts.FONT_SIZE
    # "wide" or "phone": the page shows one drawing per screen width (CSS picks).
    size_name: str = "wide"

    @property
    def grid_path(self) -> str:
        vertical = "".join(
            f"M{charts._n(tick.at)} {charts._n(self.plot.top)}V{charts._n(self.plot.bottom)}"
            for tick in self.x_ticks
        )
        horizontal = "".join(
            f"M{charts._n(self.plot.left)} {charts._n(tick.at)}H{charts._n(self.plot.right)}"
            for tick in self.y_ticks
        )
        return vertical + horizontal

    @property
    def y_tick_label_x(self) -> float:
        return round(self.plot.left - charts.TICK_LABEL_GAP, 1)

    @property
    def _scale(self) -> float:
        return self.font_size / charts.FONT_SIZE

    @property
    def x_tick_label_y(self) -> float:
        return round(self.plot.bottom + 12 * self._scale, 1)

    @property
    def x_label_y(self) -> float:
        return round(self.plot.bottom + 26 * self._scale, 1)

    @property
    def id_suffix(self) -> str:
        """Its SVG ids' suffix: two drawings on one page must not share an id."""
        return "" if self.size_name == "wide" else f"-{self.size_name}"


def scenario_chart(
    comparison: Comparison, *, size: charts.ChartSize = charts.DESKTOP
) -> ScenarioChart | None:
    """The chart of ``comparison``'s scored scenarios; None when fewer than two are scored."""
    scored = [
        (column.name, column.outcome.recommendation, curve)
        for column in comparison.columns
        if column.outcome is not None and (curve := column.outcome.recommended_curve)
    ]
    if len(scored) < 2:
        return None
    font, scale = size.font_size, size.scale
    horizon = max(len(curve) for _name, _option, curve in scored)
    y_ticks_usd = charts._usd_ticks(0.0, max(max(curve) for _name, _option, curve in scored))
    labels = [charts._axis_usd(value) for value in y_ticks_usd]
    left = (
        charts.Y_LABEL_SPACE * scale
        + max(len(label) for label in labels) * font * charts.DIGITS_EM
        + charts.TICK_LABEL_GAP
    )
    plot = PlotArea(
        round(left, 1), charts.PLOT_TOP, size.width - 12, round(size.height - 32 * scale, 1)
    )
    # As many characters as the legend's row holds at this font (72 at the desktop's).
    room = (plot.right - plot.left - charts.LEGEND_SAMPLE - charts.LEGEND_GAP) / (
        font * charts.TEXT_EM
    )
    lines = [
        (_label(name, comparison.option_labels, option, min(LEGEND_LABEL_CHARS, int(room))), curve)
        for name, option, curve in scored
    ]
    low, high = y_ticks_usd[0], y_ticks_usd[-1]

    def x(month: float) -> float:
        return round(plot.left + (month - 1) / max(horizon - 1, 1) * plot.width, 1)

    def y(usd: float) -> float:
        return round(plot.bottom - (usd - low) / (high - low) * plot.height, 1)

    series = tuple(
        Series(
            option=f"scenario-{index}",
            color=SCENARIO_STYLES[index % len(SCENARIO_STYLES)].color,
            dasharray=SCENARIO_STYLES[index % len(SCENARIO_STYLES)].dasharray,
            points=tuple((x(month), y(usd)) for month, usd in enumerate(curve, start=1)),
        )
        for index, (_label_text, curve) in enumerate(lines)
    )
    return ScenarioChart(
        title="Cumulative cost of each scenario's recommendation",
        description=_description(lines, horizon),
        plot=plot,
        x_ticks=tuple(
            Tick(month, x(month), str(month), x(month)) for month in charts._month_ticks(horizon)
        ),
        y_ticks=tuple(
            Tick(usd, y(usd), label, round(y(usd) + font * 0.35, 1))
            for usd, label in zip(y_ticks_usd, labels, strict=True)
        ),
        series=series,
        legend=_legend_below(plot, series, [text for text, _curve in lines], size),
        height=_height_with_legend(plot, len(series), size),
        width=size.width,
        font_size=font,
        size_name="wide" if size == charts.DESKTOP else "phone",
    )


# The legend goes under the plot, one row per scenario: five long labels fill
# any corner of the plot, and a line would pass under them.
LEGEND_TOP_GAP = 36  # below the plot: the month labels and "Month" first


def _height_with_legend(plot: PlotArea, rows: int, size: charts.ChartSize) -> int:
    return int(plot.bottom + (LEGEND_TOP_GAP + rows * charts.LEGEND_ROW) * size.scale + 4)


def _legend_below(
    plot: PlotArea, series: Sequence[Series], labels: Sequence[str], size: charts.ChartSize
) -> charts.Legend:
    row = charts.LEGEND_ROW * size.scale
    sample_x1 = round(plot.left, 1)
    sample_x2 = round(sample_x1 + charts.LEGEND_SAMPLE, 1)
    top = plot.bottom + LEGEND_TOP_GAP * size.scale
    entries = []
    for index, (line, label) in enumerate(zip(series, labels, strict=True)):
        centre = round(top + row * (index + 0.5), 1)
        entries.append(
            charts.LegendEntry(
                label=label,
                text_x=round(sample_x2 + charts.LEGEND_GAP, 1),
                text_y=round(centre + size.font_size * 0.35, 1),
                color=line.color,
                dasharray=line.dasharray,
                sample_x1=sample_x1,
                sample_x2=sample_x2,
                sample_y=centre,
                marker=None,
            )
        )
    width = round(plot.right - plot.left, 1)
    return charts.Legend(
        sample_x1, round(top, 1), width, round(row * len(labels), 1), tuple(entries)
    )


def _label(
    name: str,
    labels: Mapping[str, str],
    recommendation: str | None,
    limit: int = LEGEND_LABEL_CHARS,
) -> str:
    what = labels.get(recommendation or "", "every option ruled out (API shown)")
    text = f"{name}: {what}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _description(lines: Sequence[tuple[str, Sequence[float]]], horizon: int) -> str:
    totals = "; ".join(f"{label} {wording.usd_short(curve[-1])}" for label, curve in lines)
    return f"Cumulative cost over {horizon} months of what each scenario recommends: {totals}."
