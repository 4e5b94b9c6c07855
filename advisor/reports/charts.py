"""The cumulative-cost chart (an SVG image) and the tornado's geometry.

The cumulative chart is drawn from a result snapshot's stored numbers by
matplotlib's SVG backend and served as an image of its own: the result page
shows it as ``<img>`` beside its data table (``assessments:cumulative_chart``,
cached by the snapshot's fingerprint), and the PDF embeds the same bytes.
Nothing is drawn when a result is scored, and no SVG is stored in a result.
As an image the SVG is its own document: the page's Content-Security-Policy
does not apply to its ``<style>``, so matplotlib's output is served as is.
Choices and why:

- ``matplotlib.figure.Figure`` with its own canvas, never ``pyplot``: pyplot
  keeps global figure state and is not thread-safe.
- ``svg.fonttype = "none"``: text stays ``<text>`` naming the font list
  ``'DejaVu Sans', 'Arial', 'Liberation Sans', sans-serif``, not one path
  per glyph: less than half the bytes, and less than half WeasyPrint's time
  to draw it.
- Break-even points are labelled in the legend (marker and month), never
  by text next to the point: the legend stays inside the axes wherever the
  point is, and two break-evens in the same month do not overprint.
- ``svg.hashsalt`` fixed and no date metadata: the same numbers give the
  same bytes (the chart's ETag is the snapshot's fingerprint).
- rcParams are process-global, so rendering holds a lock while it applies
  them with ``rc_context``.
"""

from __future__ import annotations

import io
import math
import textwrap
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.typing import RcKeyType

from advisor.options import OPTION_LABELS, OPTIONS, SELF_HOSTED_OPTIONS
from advisor.snapshot import ResultSnapshot

__all__ = ["Tornado", "TornadoRow", "cumulative_cost_chart", "tornado"]


@dataclass(frozen=True)
class LineStyle:
    color: str
    linestyle: str


@dataclass(frozen=True)
class MarkerStyle:
    marker: str
    markersize: float


# Okabe-Ito colours (distinguishable with colour-vision deficiency), plus
# distinct line styles so the chart also reads in greyscale print.
OPTION_STYLES: dict[str, LineStyle] = {
    "api": LineStyle("#0072B2", "-"),
    "self_host": LineStyle("#D55E00", "--"),
    "hybrid": LineStyle("#009E73", "-."),
}
# Break-even markers: a shape per option as well as a colour, so the two
# still tell apart in greyscale and when they fall on the same point (the
# diamond is drawn smaller, inside the circle).
BREAK_EVEN_MARKERS: dict[str, MarkerStyle] = {
    "self_host": MarkerStyle("o", 9),
    "hybrid": MarkerStyle("D", 5.5),
}
DEFAULT_TITLE = "Cumulative cost by option"
# The image's size in CSS pixels (the figure is 7 x 3.6 inches at 72 dpi).
CHART_WIDTH = 504
CHART_HEIGHT = 259
_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "llm-deployment-advisor",
    # matplotlib measures with the first it finds (DejaVu Sans, bundled with
    # it); the SVG names them all, then the generic family.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Liberation Sans"],
    "font.size": 9,
}
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class ChartData:
    """What the cumulative chart draws: USD since month 1, per option."""

    horizon_months: int
    cumulative_usd: Mapping[str, Sequence[float]]
    break_even_month: Mapping[str, int | None]
    bands: Mapping[str, tuple[Sequence[float], Sequence[float]]]

    @classmethod
    def of(cls, snapshot: ResultSnapshot) -> ChartData:
        bands = {}
        for option in OPTIONS:
            band = snapshot.cumulative_band(option)
            if band is not None:
                bands[option] = band
        months = snapshot.costs.get("break_even_month") or {}
        return cls(
            horizon_months=snapshot.horizon_months,
            cumulative_usd={option: snapshot.cumulative_usd(option) for option in OPTIONS},
            break_even_month={option: months.get(option) for option in SELF_HOSTED_OPTIONS},
            bands=bands,
        )


def cumulative_cost_chart(snapshot: ResultSnapshot, *, title: str = DEFAULT_TITLE) -> str:
    """The chart as a standalone SVG document (an image: its alt text is the page's).

    Series are ``<g id="series-<option>">``, P10-P90 bands ``<g
    id="band-<option>">``, break-even markers ``<g id="break-even-<option>">``.
    """
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        figure = _draw(ChartData.of(snapshot), title)
        buffer = io.StringIO()
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _draw(data: ChartData, title: str) -> Figure:
    figure = Figure(figsize=(7.0, 3.6))
    axes = figure.add_subplot()
    months = range(1, data.horizon_months + 1)
    for option in OPTIONS:
        band = data.bands.get(option)
        if band is not None and len(band[0]) == data.horizon_months:
            shade = axes.fill_between(
                months,
                band[0],
                band[1],
                color=OPTION_STYLES[option].color,
                alpha=0.12,
                linewidth=0,
                label="_nolegend_",  # the caption explains the shading
            )
            shade.set_gid(f"band-{option}")
    for option in OPTIONS:
        (line,) = axes.plot(
            months,
            data.cumulative_usd[option],
            label=OPTION_LABELS[option],
            linewidth=2,
            color=OPTION_STYLES[option].color,
            linestyle=OPTION_STYLES[option].linestyle,
        )
        line.set_gid(f"series-{option}")
    for option in SELF_HOSTED_OPTIONS:
        month = data.break_even_month.get(option)
        if month is None:
            continue
        cost = data.cumulative_usd[option][month - 1]
        (marker,) = axes.plot(
            [month],
            [cost],
            markerfacecolor="white",
            markeredgewidth=2,
            color=OPTION_STYLES[option].color,
            linestyle="none",
            clip_on=False,  # a point in the first or last month is drawn whole
            # Labelled in the legend, not next to the point: a label by the
            # point had to dodge the axes' edges, the lines and the other
            # option's label, and did not always.
            label=f"{OPTION_LABELS[option]} breaks even: month {month}",
            marker=BREAK_EVEN_MARKERS[option].marker,
            markersize=BREAK_EVEN_MARKERS[option].markersize,
        )
        marker.set_gid(f"break-even-{option}")
    # parse_math=False: a "$" pair in a caller's title is text, not TeX.
    axes.set_title(title, parse_math=False)
    axes.set_xlabel("Month")
    axes.set_ylabel("Cumulative cost (USD)")
    axes.set_xlim(1, data.horizon_months)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _axis_usd(value)))
    axes.grid(True, color="#dddddd", linewidth=0.6)
    # Upper left: cumulative costs start low, so that corner is the emptiest.
    # A near-opaque background keeps the entries legible if a line crosses.
    axes.legend(loc="upper left", frameon=True, framealpha=0.85, edgecolor="none")
    figure.tight_layout()
    return figure


@dataclass(frozen=True)
class TornadoRow:
    """One bar: an input's low and high ends as self-hosting's TCO ratio to the API."""

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
        """The label on at most two lines, each with its baseline (SVG units)."""
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


TORNADO_ROW_HEIGHT = 26
TORNADO_PLOT_WIDTH = 390
# Characters of an 11 px label that fit left of the plot (222 units); a longer
# label wraps onto a second line, 12 units below the first, within its row.
TORNADO_LABEL_CHARS = 34
TORNADO_LINE_GAP = 12


def tornado(sensitivity: Sequence[Mapping[str, Any]], base_ratio: float | None) -> Tornado | None:
    """The tornado of self-hosting's TCO / the API's TCO, widest input first."""
    rows = [
        row
        for row in sensitivity
        if (row.get("ratio_self_host_to_api") or {}).get("low") is not None
        and row["ratio_self_host_to_api"].get("high") is not None
        # An input that moves only the hybrid's or the router's cost has no bar here.
        and abs(row["ratio_self_host_to_api"]["high"] - row["ratio_self_host_to_api"]["low"])
        > 0.001
    ]
    if not rows or base_ratio is None:
        return None
    values = [base_ratio, 1.0]
    for row in rows:
        values += [row["ratio_self_host_to_api"]["low"], row["ratio_self_host_to_api"]["high"]]
    lowest, highest = min(values), max(values)
    span = (highest - lowest) or 1.0
    lowest, highest = lowest - span * 0.05, highest + span * 0.05

    def x(value: float) -> float:
        return round((value - lowest) / (highest - lowest) * TORNADO_PLOT_WIDTH, 1)

    drawn = []
    for index, row in enumerate(rows):
        low, high = row["ratio_self_host_to_api"]["low"], row["ratio_self_host_to_api"]["high"]
        left, right = x(min(low, high)), x(max(low, high))
        drawn.append(
            TornadoRow(
                label=str(row["label"]),
                range_text=_range_text(row),
                low_ratio=low,
                high_ratio=high,
                bar_x=left,
                bar_width=max(right - left, 1.0),  # a bar too thin to see is still drawn
                text_y=index * TORNADO_ROW_HEIGHT + 16,
                bar_y=index * TORNADO_ROW_HEIGHT + 5,
            )
        )
    step = _tick_step(highest - lowest)
    ticks = []
    value = math.ceil(lowest / step) * step
    while value <= highest:
        ticks.append((x(value), f"{value:.2f}".rstrip("0").rstrip(".") + "x"))
        value += step
    plot_height = len(drawn) * TORNADO_ROW_HEIGHT
    return Tornado(
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


def _label_lines(label: str, baseline: float) -> tuple[tuple[float, str], ...]:
    """The label whole on one line, or on two centred on the bar (the second cut with "…")."""
    lines = textwrap.wrap(label, TORNADO_LABEL_CHARS)
    if len(lines) <= 1:
        return ((baseline, label),)
    second = textwrap.shorten(" ".join(lines[1:]), TORNADO_LABEL_CHARS, placeholder="…")
    half = TORNADO_LINE_GAP / 2
    return ((baseline - half, lines[0]), (baseline + half, second))


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
    """Money as the chart's axis writes it: "$4.5M", "$850K" (ticks are round numbers)."""
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:,.1f}M"
    if abs(value) >= 1_000:
        return f"${value / 1_000:,.0f}K"
    return f"${value:,.0f}"
