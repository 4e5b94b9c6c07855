"""The cumulative-cost chart's and the tornado's geometry, in SVG user units.

Both charts are drawn by templates (``reports/_cumulative_chart_svg.html``,
``reports/_tornado_svg.html``) from the frozen dataclasses computed here;
nothing here imports Django, so the numbers are tested without a template.

The cumulative chart is served as an image of its own: the result page shows
it as ``<img>`` beside its data table (``assessments:cumulative_chart``,
cached by the snapshot's fingerprint), and the PDF embeds the same bytes.
Nothing is drawn when a result is scored, and no SVG is stored in a result.
Choices and why:

- Few nodes, short text: WeasyPrint draws every SVG node, and every letter
  of SVG text, on its own. The grid is one ``<path>``, each line one
  ``<polyline>``, each band one ``<polygon>``: about 50 elements, where
  matplotlib's SVG of the same picture had 214 (120 ``<g>``, 23 ``<use>``).
- Break-even points are labelled in the legend (marker and month), never
  by text next to the point: the legend stays inside the plot wherever the
  point is, and two break-evens in the same month do not overprint.
- Coordinates are rounded to 0.1 unit: the same numbers give the same bytes
  (the chart's ETag is the snapshot's fingerprint), and the SVG stays small.
- Text widths are estimated from the character count at DejaVu Sans's
  widths (the widest of the fonts named): the chart has no font metrics,
  and a narrower fallback font only leaves the legend a little roomy.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any, Literal

from advisor import wording
from advisor.options import OPTION_LABELS, SELF_HOSTED_OPTIONS
from advisor.snapshot import ResultSnapshot

__all__ = [
    "CHART_SIZES",
    "DESKTOP",
    "PHONE",
    "ChartSize",
    "CumulativeChart",
    "Tornado",
    "TornadoRow",
    "cumulative_chart",
    "tornado",
]


@dataclass(frozen=True)
class LineStyle:
    color: str
    dasharray: str  # SVG stroke-dasharray; "" is a solid line


MarkerShape = Literal["circle", "diamond"]


@dataclass(frozen=True)
class MarkerStyle:
    shape: MarkerShape
    radius: float  # the circle's radius, the diamond's half diagonal


# Okabe-Ito colours (distinguishable with colour-vision deficiency), plus
# distinct dash patterns so the chart also reads in greyscale print: solid,
# dashed and dash-dot, matplotlib's "-", "--" and "-." at a 2-unit line.
OPTION_STYLES: dict[str, LineStyle] = {
    "api": LineStyle("#0072B2", ""),
    "self_host": LineStyle("#D55E00", "7.4 3.2"),
    "hybrid": LineStyle("#009E73", "12.8 3.2 2 3.2"),
    # Decision model v3's hosted open model: Okabe-Ito's reddish purple, dotted.
    "open_api": LineStyle("#CC79A7", "2 2.4"),
}
# Break-even markers: a shape per option as well as a colour, so the two
# still tell apart in greyscale and when they fall on the same point (the
# diamond is drawn smaller, inside the circle).
BREAK_EVEN_MARKERS: dict[str, MarkerStyle] = {
    "self_host": MarkerStyle("circle", 4.5),
    "hybrid": MarkerStyle("diamond", 3.9),
}
DEFAULT_TITLE = "Cumulative cost by option"
# The image's size in CSS pixels: the result page's <img> says width=504 height=259.
CHART_WIDTH = 504
CHART_HEIGHT = 259
FONT_SIZE = 9
TITLE_FONT_SIZE = 11
# Average advance of DejaVu Sans per em, from its metrics: 0.51 to 0.56 for
# the legend's labels, 0.62 to 0.71 for the tick labels ("$5M" the widest).
TEXT_EM = 0.57
DIGITS_EM = 0.72
# Room left of the tick labels for the rotated "Cumulative cost (USD)".
Y_LABEL_SPACE = 20
# Wider than a break-even marker's radius (4.5, and its outline): a marker in
# month 1 sits on the axis and would touch the "$0" beside it.
TICK_LABEL_GAP = 8
PLOT_RIGHT = CHART_WIDTH - 12  # the last month's marker is drawn whole (desktop)
PLOT_BOTTOM = CHART_HEIGHT - 32  # below it: the month labels, then "Month" (desktop)
PLOT_TOP = 10
PLOT_TOP_WITH_TITLE = 26
# At most this many intervals on the y axis (steps of 1, 2, 2.5 or 5 x 10^k
# give 4 to 7 of them: 5 to 8 ticks), and on the x axis (round months).
MOST_Y_INTERVALS = 7
MOST_X_TICKS = 7
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
LEGEND_INSET = 6
LEGEND_PADDING = 4
LEGEND_ROW = 13
LEGEND_SAMPLE = 22
LEGEND_GAP = 5
# How near a line may pass the legend's box: a break-even marker on it (4.5
# units and half its outline) stays off the box too.
LEGEND_CLEARANCE = 6


@dataclass(frozen=True)
class ChartSize:
    """The chart's viewBox and font, in SVG user units (one CSS pixel at the shown width).

    A phone shows the chart about 360 px wide: the desktop drawing scaled to
    that puts its 9-unit labels at 6 px. The phone's drawing is narrower with
    a larger font, and its legend under the plot, where it hides no line.
    """

    width: int
    height: int  # the plot's block (plot, month labels, "Month"); a legend below adds to it
    font_size: int
    legend_below: bool = False

    @property
    def scale(self) -> float:
        """Spacing around text grows with the font: 1 at the desktop's 9 units."""
        return self.font_size / FONT_SIZE


DESKTOP = ChartSize(CHART_WIDTH, CHART_HEIGHT, FONT_SIZE)
# 12-unit labels in 360 units: at least 11 px from 330 px wide (a 360-px phone's column).
PHONE = ChartSize(360, 280, 12, legend_below=True)
CHART_SIZES: dict[str, ChartSize] = {"desktop": DESKTOP, "phone": PHONE}


@dataclass(frozen=True)
class ChartData:
    """What the cumulative chart draws: USD since month 1, per option."""

    horizon_months: int
    cumulative_usd: Mapping[str, Sequence[float]]
    break_even_month: Mapping[str, int | None]
    bands: Mapping[str, tuple[Sequence[float], Sequence[float]]]
    description: str = ""

    @classmethod
    def of(cls, snapshot: ResultSnapshot) -> ChartData:
        bands = {}
        for option in snapshot.charted_options:
            band = snapshot.cumulative_band(option)
            if band is not None:
                bands[option] = band
        months = snapshot.costs.break_even_month
        return cls(
            horizon_months=snapshot.horizon_months,
            cumulative_usd={
                option: snapshot.cumulative_usd(option) for option in snapshot.charted_options
            },
            break_even_month={option: months.get(option) for option in SELF_HOSTED_OPTIONS},
            bands=bands,
            description=snapshot.chart_description,
        )


@dataclass(frozen=True)
class Tick:
    value: float  # a month, or USD
    at: float  # the x (month ticks) or y (USD ticks) of its grid line
    label: str
    label_at: float  # the label's x (centred) or baseline y (a third of an em below)


@dataclass(frozen=True)
class PlotArea:
    """The axes' rectangle inside the chart's viewBox."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return round(self.right - self.left, 1)

    @property
    def height(self) -> float:
        return round(self.bottom - self.top, 1)

    @property
    def centre_x(self) -> float:
        return round((self.left + self.right) / 2, 1)

    @property
    def centre_y(self) -> float:
        return round((self.top + self.bottom) / 2, 1)


@dataclass(frozen=True)
class Marker:
    """A break-even marker, on the plot or in the legend."""

    shape: MarkerShape
    x: float
    y: float
    radius: float
    color: str

    @property
    def diamond_points(self) -> str:
        r = self.radius
        return _points(
            ((self.x, self.y - r), (self.x + r, self.y), (self.x, self.y + r), (self.x - r, self.y))
        )


@dataclass(frozen=True)
class Series:
    """One option's expected cumulative cost: a polyline, month 1 to the horizon."""

    option: str
    color: str
    dasharray: str
    points: tuple[tuple[float, float], ...]

    @property
    def points_text(self) -> str:
        return _points(self.points)


@dataclass(frozen=True)
class Band:
    """One option's P10-P90 cumulative cost: P90 left to right, then P10 back."""

    option: str
    color: str
    points: tuple[tuple[float, float], ...]

    @property
    def points_text(self) -> str:
        return _points(self.points)


@dataclass(frozen=True)
class BreakEven:
    option: str
    month: int
    cumulative_usd: float
    marker: Marker


@dataclass(frozen=True)
class LegendEntry:
    """A line sample or a marker, then its label (baseline at ``text_y``)."""

    label: str
    text_x: float
    text_y: float
    color: str
    dasharray: str
    sample_x1: float
    sample_x2: float
    sample_y: float
    marker: Marker | None  # None: a line sample


@dataclass(frozen=True)
class Legend:
    x: float
    y: float
    width: float
    height: float
    entries: tuple[LegendEntry, ...]


@dataclass(frozen=True)
class CumulativeChart:
    """The cumulative chart's geometry, drawn by ``reports/_cumulative_chart_svg.html``."""

    title: str  # the SVG's <title>: its name when opened on its own
    drawn_title: str | None  # drawn above the plot; None when the page heads it already
    description: str
    plot: PlotArea
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    bands: tuple[Band, ...]
    series: tuple[Series, ...]
    break_evens: tuple[BreakEven, ...]
    legend: Legend
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    font_size: int = FONT_SIZE
    title_font_size: int = TITLE_FONT_SIZE

    @property
    def grid_path(self) -> str:
        """Every grid line in one path: one node for WeasyPrint to draw, not a dozen."""
        plot = self.plot
        vertical = "".join(
            f"M{_n(tick.at)} {_n(plot.top)}V{_n(plot.bottom)}" for tick in self.x_ticks
        )
        horizontal = "".join(
            f"M{_n(plot.left)} {_n(tick.at)}H{_n(plot.right)}" for tick in self.y_ticks
        )
        return vertical + horizontal

    @property
    def _scale(self) -> float:
        return self.font_size / FONT_SIZE

    @property
    def y_tick_label_x(self) -> float:
        return round(self.plot.left - TICK_LABEL_GAP, 1)

    @property
    def x_tick_label_y(self) -> float:
        return round(self.plot.bottom + 12 * self._scale, 1)

    @property
    def x_label_y(self) -> float:
        return round(self.plot.bottom + 26 * self._scale, 1)

    @property
    def y_label_x(self) -> float:
        # The rotated label's baseline: its letters rise to the left of it.
        return round((Y_LABEL_SPACE - 8) * self._scale, 1)

    @property
    def title_y(self) -> float:
        return PLOT_TOP_WITH_TITLE - 10


def cumulative_chart(
    snapshot: ResultSnapshot, *, title: str | None = None, size: ChartSize = DESKTOP
) -> CumulativeChart:
    """The cumulative-cost chart of ``snapshot``; ``title`` is drawn above the plot if given.

    Both surfaces head the chart already (the page's "Costs over 36 months",
    the PDF's "Cumulative cost over 36 months"), so by default the title is
    only the SVG's ``<title>``, and the plot has its height.
    """
    return chart_geometry(ChartData.of(snapshot), title=title, size=size)


def chart_geometry(
    data: ChartData, *, title: str | None = None, size: ChartSize = DESKTOP
) -> CumulativeChart:
    """The chart of ``data``: x is months 1 to the horizon, y is 0 to a round USD maximum."""
    horizon = max(data.horizon_months, 1)
    curves = {option: list(values)[:horizon] for option, values in data.cumulative_usd.items()}
    bands = {
        option: (list(low), list(high))
        for option, (low, high) in data.bands.items()
        if option in curves and len(low) == len(high) == len(curves[option])
    }
    values = [value for curve in curves.values() for value in curve]
    values += [value for band in bands.values() for side in band for value in side]
    y_ticks_usd = _usd_ticks(min(values, default=0.0), max(values, default=0.0))
    labels = [_axis_usd(value) for value in y_ticks_usd]
    font = size.font_size
    left = (
        Y_LABEL_SPACE * size.scale
        + max(len(label) for label in labels) * font * DIGITS_EM
        + TICK_LABEL_GAP
    )
    plot = PlotArea(
        left=round(left, 1),
        top=PLOT_TOP_WITH_TITLE if title else PLOT_TOP,
        right=size.width - 12,  # the last month's marker is drawn whole
        bottom=round(size.height - 32 * size.scale, 1),  # then the month labels, "Month"
    )
    low_usd, high_usd = y_ticks_usd[0], y_ticks_usd[-1]

    def x(month: float) -> float:
        return round(plot.left + (month - 1) / max(horizon - 1, 1) * (plot.right - plot.left), 1)

    def y(usd: float) -> float:
        return round(
            plot.bottom - (usd - low_usd) / (high_usd - low_usd) * (plot.bottom - plot.top), 1
        )

    def polyline(curve: Sequence[float]) -> tuple[tuple[float, float], ...]:
        return tuple((x(month), y(usd)) for month, usd in enumerate(curve, start=1))

    series = tuple(
        Series(
            option,
            OPTION_STYLES[option].color,
            OPTION_STYLES[option].dasharray,
            polyline(curves[option]),
        )
        for option in curves
    )
    break_evens = []
    for option in SELF_HOSTED_OPTIONS:
        month = data.break_even_month.get(option)
        if month is None or not 1 <= month <= len(curves[option]):
            continue
        usd = curves[option][month - 1]
        style = BREAK_EVEN_MARKERS[option]
        marker = Marker(style.shape, x(month), y(usd), style.radius, OPTION_STYLES[option].color)
        break_evens.append(BreakEven(option, month, usd, marker))
    legend = _legend(plot, series, break_evens, size)
    height = size.height
    if size.legend_below:
        height = math.ceil(legend.y + legend.height + LEGEND_INSET)
    return CumulativeChart(
        title=title or DEFAULT_TITLE,
        drawn_title=title or None,
        description=data.description,
        plot=plot,
        x_ticks=tuple(
            Tick(month, x(month), str(month), x(month)) for month in _month_ticks(horizon)
        ),
        y_ticks=tuple(
            Tick(usd, y(usd), label, round(y(usd) + font * 0.35, 1))
            for usd, label in zip(y_ticks_usd, labels, strict=True)
        ),
        bands=tuple(
            Band(option, OPTION_STYLES[option].color, polyline(high) + polyline(low)[::-1])
            for option, (low, high) in bands.items()
        ),
        series=series,
        break_evens=tuple(break_evens),
        legend=legend,
        width=size.width,
        height=height,
        font_size=font,
    )


def _usd_ticks(lowest: float, highest: float) -> list[float]:
    """Round USD ticks from 0 (or below, for a negative cost) to cover ``highest``."""
    lowest, highest = min(lowest, 0.0), max(highest, 0.0)
    if highest == lowest:  # nothing to scale (every cost $0): a $0-$1 axis
        highest = lowest + 1.0
    span = highest - lowest
    magnitude = 10 ** math.floor(math.log10(span / MOST_Y_INTERVALS))
    # The smallest round step that needs at most MOST_Y_INTERVALS intervals;
    # each is at most twice the one before (which needed more than 7), so it
    # needs more than 3.5: at least 4.
    step = next(
        multiple * magnitude
        for multiple in (1, 2, 2.5, 5, 10)
        if span / (multiple * magnitude) <= MOST_Y_INTERVALS + 1e-9
    )
    first = math.floor(lowest / step + 1e-9)
    last = max(math.ceil(highest / step - 1e-9), first + 1)
    return [index * step for index in range(first, last + 1)]


def _month_ticks(horizon: int) -> range:
    """Round months (6, 12 ... 36 for 36 months): at most MOST_X_TICKS of them."""
    step = next((step for step in MONTH_STEPS if horizon // step <= MOST_X_TICKS), MONTH_STEPS[-1])
    return range(step, horizon + 1, step)


def _legend(
    plot: PlotArea,
    series: Sequence[Series],
    break_evens: Sequence[BreakEven],
    size: ChartSize = DESKTOP,
) -> Legend:
    """The options and the break-evens, in the emptiest corner: upper left if it is free.

    Cumulative costs start low, so the upper left is nearly always free of
    lines; if a line crosses it, the first corner no line crosses, and the
    upper left with its near-opaque background if none is free.
    """
    # (label, colour, dash pattern, the marker it repeats or None for a line sample)
    rows: list[tuple[str, str, str, Marker | None]] = [
        (OPTION_LABELS[line.option], line.color, line.dasharray, None) for line in series
    ]
    rows += [
        (
            f"{OPTION_LABELS[point.option]} breaks even: month {point.month}",
            point.marker.color,
            "",
            point.marker,
        )
        for point in break_evens
    ]
    font, row_height = size.font_size, LEGEND_ROW * size.scale
    text_width = max(len(row[0]) for row in rows) * font * TEXT_EM
    width = round(2 * LEGEND_PADDING + LEGEND_SAMPLE + LEGEND_GAP + text_width, 1)
    height = round(2 * LEGEND_PADDING + row_height * len(rows), 1)
    below = (LEGEND_INSET, plot.bottom + 26 * size.scale + font * 0.6)
    corners = (
        (plot.left + LEGEND_INSET, plot.top + LEGEND_INSET),
        (plot.right - LEGEND_INSET - width, plot.bottom - LEGEND_INSET - height),
        (plot.right - LEGEND_INSET - width, plot.top + LEGEND_INSET),
        (plot.left + LEGEND_INSET, plot.bottom - LEGEND_INSET - height),
    )
    left, top = (
        below
        if size.legend_below
        else next(
            (
                (left, top)
                for left, top in corners
                if not any(
                    _crosses(line.points, (left, top, left + width, top + height))
                    for line in series
                )
            ),
            corners[0],
        )
    )
    sample_x1 = round(left + LEGEND_PADDING, 1)
    sample_x2 = round(sample_x1 + LEGEND_SAMPLE, 1)
    entries = []
    for index, (label, color, dasharray, marker) in enumerate(rows):
        centre = round(top + LEGEND_PADDING + row_height * (index + 0.5), 1)
        entries.append(
            LegendEntry(
                label=label,
                text_x=round(sample_x2 + LEGEND_GAP, 1),
                # A baseline 0.35 em below the row's middle centres the letters on it.
                text_y=round(centre + font * 0.35, 1),
                color=color,
                dasharray=dasharray,
                sample_x1=sample_x1,
                sample_x2=sample_x2,
                sample_y=centre,
                marker=(
                    None
                    if marker is None
                    else replace(marker, x=round((sample_x1 + sample_x2) / 2, 1), y=centre)
                ),
            )
        )
    return Legend(round(left, 1), round(top, 1), width, height, tuple(entries))


def _crosses(points: Sequence[tuple[float, float]], box: tuple[float, float, float, float]) -> bool:
    """Whether a polyline (x increasing) passes through ``box``, widened by the clearance."""
    left, top, right, bottom = (
        box[0] - LEGEND_CLEARANCE,
        box[1] - LEGEND_CLEARANCE,
        box[2] + LEGEND_CLEARANCE,
        box[3] + LEGEND_CLEARANCE,
    )
    for (x0, y0), (x1, y1) in pairwise(points):
        start, end = max(x0, left), min(x1, right)
        if start > end:
            continue
        slope = (y1 - y0) / (x1 - x0) if x1 != x0 else 0.0
        ys = (y0 + (start - x0) * slope, y0 + (end - x0) * slope)
        if max(ys) >= top and min(ys) <= bottom:
            return True
    if len(points) == 1:
        x0, y0 = points[0]
        return left <= x0 <= right and top <= y0 <= bottom
    return False


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _n(value: float) -> str:
    """A coordinate as written in the SVG: at most one decimal, no "-0"."""
    return f"{round(value, 1) + 0.0:g}"


@dataclass(frozen=True)
class TornadoRow:
    """One bar: an input's low and high ends as the measured option's cost ratio."""

    label: str
    range_text: str
    low_ratio: float
    high_ratio: float
    bar_x: float  # SVG user units within the plot area
    bar_width: float
    text_y: float
    bar_y: float

    @property
    def label_lines(self) -> tuple[tuple[float, str], ...]:
        """The whole label, wrapped, each line with its baseline (SVG units)."""
        return _label_lines(self.label, self.text_y)


@dataclass(frozen=True)
class Tornado:
    """A tornado chart's geometry in SVG units, drawn by ``reports/_tornado.html``."""

    rows: tuple[TornadoRow, ...]
    base_ratio: float
    base_x: float
    parity_x: float | None  # where the ratio is 1 (self-hosting costs what the API does)
    parity_anchor: str  # its label's text-anchor, so the label stays inside the chart
    ticks: tuple[tuple[float, str], ...]
    plot_height: float
    tick_label_y: float
    parity_label_y: float
    view_height: float
    # What is measured against what (sentences' phrases, e.g. "a hosted open model").
    # The legacy tornado (results stored before v3 measured the recommendation) is
    # self-hosting against the API, worded as it was then.
    option: str = "self-hosting"
    against: str = "the API"
    legacy: bool = True
    # Said after the caption when the recommendation costs more than the runner-up.
    note: str = ""

    @property
    def title(self) -> str:
        if self.legacy:
            return "What moves self-hosting's cost against the API"
        return f"What moves the cost of {self.option} against {self.against}"

    @property
    def reading(self) -> str:
        """How to read the ratio: what 1x means (every sentence about the chart ends so)."""
        if self.legacy:
            return "below 1x self-hosting is cheaper"
        verb = "stays" if self.base_ratio < 1 else "would be"
        return f"below 1x {self.option} {verb} cheaper than {self.against}"

    @property
    def description(self) -> str:
        """The SVG's description (the chart's text alternative)."""
        if self.legacy:
            return (
                "Self-hosting's total cost as a multiple of the API's, with each input at the "
                "low and the high end of its range and everything else at its base value; "
                "below 1 self-hosting is cheaper. The table below the chart has the same figures."
            )
        return (
            f"{self.measure}, with each input at the low and the high end of its range and "
            f"everything else at its base value; {self.reading}. The table below the chart "
            "has the same figures."
        )

    @property
    def image_alt(self) -> str:
        """The PDF's ``<img>`` alternative: its figures are on another page."""
        if self.legacy:
            return (
                "What moves self-hosting's cost against the API: self-hosting's total cost as a "
                "multiple of the API's, with each input at the low and the high end of its range "
                "and everything else at its base value; below 1x self-hosting is cheaper. The "
                "figures are in the table on the \u201cCosts per year\u201d page."
            )
        return (
            f"{self.title}: {_lower_first(self.measure)}, with each input at the low and the "
            f"high end of its range and everything else at its base value; {self.reading}. "
            "The figures are in the table on the \u201cCosts per year\u201d page."
        )

    @property
    def measure(self) -> str:
        """``The cost of X relative to Y over the horizon`` (no full stop)."""
        return f"The cost of {self.option} relative to {self.against} over the horizon"

    @property
    def parity_label(self) -> str:
        return "1x: the API's cost" if self.legacy else f"1x: the cost of {self.against}"

    @property
    def caption(self) -> str:
        base = f"{self.base_ratio:.2f}x"
        if self.legacy:
            return (
                f"Self-hosting's cost over the horizon as a multiple of the API's: {base} with "
                "every input at its base (the black line), and the bars with each input at the "
                "ends of its range."
            )
        return " ".join(
            part
            for part in (
                f"{self.measure}: {base} with every input at its base (the black line), and "
                f"the bars with each input at the ends of its range; {self.reading}.",
                self.note,
            )
            if part
        )

    @property
    def table_caption(self) -> str:
        """The data table's caption (the result page's and the PDF's figures)."""
        base = f"{self.base_ratio:.2f}x"
        if self.legacy:
            return (
                f"Self-hosting's cost as a multiple of the API's ({base} with every input at "
                "its base) at each end of an input's range."
            )
        return (
            f"The cost of {self.option} as a multiple of that of {self.against} ({base} with "
            f"every input at its base) at each end of an input's range; {self.reading}."
        )

    @property
    def list_label(self) -> str:
        if self.legacy:
            return "What moves self-hosting's cost, as a list"
        return f"What moves the cost of {self.option}, as a list"

    def row_sentence(self, row: TornadoRow) -> str:
        """``self-hosting at 0.41x to 0.52x the API's cost`` (after the row's label)."""
        ends = f"{row.low_ratio:.2f}x to {row.high_ratio:.2f}x"
        if self.legacy:
            return f"self-hosting at {ends} the API's cost"
        return f"{self.option} at {ends} the cost of {self.against}"

    @property
    def row_sentences(self) -> tuple[tuple[TornadoRow, str], ...]:
        return tuple((row, self.row_sentence(row)) for row in self.rows)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


TORNADO_ROW_HEIGHT = 26
TORNADO_PLOT_WIDTH = 390
# Characters of an 11 px label that fit left of the plot (222 units); a longer
# label wraps onto further lines, 12 units apart, and is never cut short: a
# row whose label takes three lines is one line taller.
TORNADO_LABEL_CHARS = 34
TORNADO_LINE_GAP = 12


LEGACY_RATIO_KEY = "ratio_self_host_to_api"


def tornado(
    sensitivity: Sequence[Mapping[str, Any]],
    base_ratio: float | None,
    *,
    ratio_key: str = LEGACY_RATIO_KEY,
    option: str | None = None,
    against: str | None = None,
    note: str = "",
) -> Tornado | None:
    """The tornado of one option's cost as a multiple of another's, widest input first.

    Without ``option`` and ``against`` (phrases), the legacy tornado: self-hosting's
    TCO / the API's, from each row's ``ratio_self_host_to_api``; with them, each
    row's ``ratio_key`` (decision model v3: the recommendation / the runner-up).
    """
    rows = [
        row
        for row in sensitivity
        if (row.get(ratio_key) or {}).get("low") is not None
        and row[ratio_key].get("high") is not None
        # An input that moves neither option's cost (or both alike) has no bar here.
        and abs(row[ratio_key]["high"] - row[ratio_key]["low"]) > 0.001
    ]
    if not rows or base_ratio is None:
        return None
    values = [base_ratio, 1.0]
    for row in rows:
        values += [row[ratio_key]["low"], row[ratio_key]["high"]]
    lowest, highest = min(values), max(values)
    span = (highest - lowest) or 1.0
    lowest, highest = lowest - span * 0.05, highest + span * 0.05

    def x(value: float) -> float:
        return round((value - lowest) / (highest - lowest) * TORNADO_PLOT_WIDTH, 1)

    drawn = []
    top = 0
    for row in rows:
        low, high = row[ratio_key]["low"], row[ratio_key]["high"]
        left, right = x(min(low, high)), x(max(low, high))
        extra = max(0, len(textwrap.wrap(str(row["label"]), TORNADO_LABEL_CHARS)) - 2)
        half_extra = extra * TORNADO_LINE_GAP / 2
        drawn.append(
            TornadoRow(
                label=str(row["label"]),
                range_text=_range_text(row),
                low_ratio=low,
                high_ratio=high,
                bar_x=left,
                bar_width=max(right - left, 1.0),  # a bar too thin to see is still drawn
                text_y=top + half_extra + 16,
                bar_y=top + half_extra + 5,
            )
        )
        top += TORNADO_ROW_HEIGHT + extra * TORNADO_LINE_GAP
    step = _tick_step(highest - lowest)
    ticks = []
    value = math.ceil(lowest / step) * step
    while value <= highest:
        ticks.append((x(value), f"{value:.2f}".rstrip("0").rstrip(".") + "x"))
        value += step
    plot_height = top
    drawn_tornado = Tornado(
        rows=tuple(drawn),
        base_ratio=base_ratio,
        base_x=x(base_ratio),
        parity_x=x(1.0),
        parity_anchor="end" if x(1.0) > TORNADO_PLOT_WIDTH * 0.6 else "start",
        ticks=tuple(ticks),
        plot_height=plot_height,
        tick_label_y=plot_height + 14,
        parity_label_y=plot_height + 28,
        view_height=plot_height + 44,
    )
    if option is None or against is None:
        return drawn_tornado
    return replace(drawn_tornado, option=option, against=against, legacy=False, note=note)


def _label_lines(label: str, baseline: float) -> tuple[tuple[float, str], ...]:
    """The label whole, on as many lines as it needs, centred on the bar."""
    lines = textwrap.wrap(label, TORNADO_LABEL_CHARS)
    if len(lines) <= 1:
        return ((baseline, label),)
    first = baseline - TORNADO_LINE_GAP * (len(lines) - 1) / 2
    return tuple(
        (round(first + index * TORNADO_LINE_GAP, 1), line) for index, line in enumerate(lines)
    )


def _range_text(row: Mapping[str, Any]) -> str:
    unit = row.get("unit", "")
    return f"{_number(row['low'])} to {_number(row['high'])} {unit}".strip()


def _tick_step(span: float) -> float:
    for step in (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0):
        if span / step <= 6:
            return step
    return 10.0


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _axis_usd(value: float) -> str:
    """Money as the chart's axis writes it: "$10M", "$2.5M", "$850K", "$0".

    No trailing ".0": a round tick reads "$10M". The ticks are round numbers,
    so two decimals of the unit are always enough ("$1.25K", a 250-dollar step).
    """
    for unit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= unit:
            return f"${wording.count_text(value / unit)}{suffix}"
    return f"${wording.count_text(value)}"
