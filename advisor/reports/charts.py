"""The cumulative-cost chart, as inline SVG for the result page and the PDF.

Rendered server-side by matplotlib's SVG backend: no JavaScript, no network,
the same markup in the browser and in WeasyPrint. Choices and why:

- ``matplotlib.figure.Figure`` with its own canvas, never ``pyplot``: pyplot
  keeps global figure state and is not thread-safe.
- ``svg.fonttype = "path"``: glyphs become paths, so the chart needs no
  font at display time (WeasyPrint may only load fonts from static/).
  Text is therefore not selectable; the ``<title>``/``<desc>`` and the data
  table of :func:`cumulative_cost_table` are the text alternative.
- ``svg.hashsalt`` fixed and no date metadata: the same projection gives the
  same bytes (reports are snapshotted and compared).
- rcParams are process-global, so rendering holds a lock while it applies
  them with ``rc_context``.
- The XML prolog and DOCTYPE are stripped so the SVG can be inlined in HTML.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from html import escape

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from advisor.costs.projection import OPTIONS, Projection

OPTION_LABELS: dict[str, str] = {
    "api": "Commercial API",
    "self_host": "Self-hosted",
    "hybrid": "Hybrid",
}
# Okabe-Ito colours (distinguishable with colour-vision deficiency), plus
# distinct line styles so the chart also reads in greyscale print.
OPTION_STYLES: dict[str, dict[str, str]] = {
    "api": {"color": "#0072B2", "linestyle": "-"},
    "self_host": {"color": "#D55E00", "linestyle": "--"},
    "hybrid": {"color": "#009E73", "linestyle": "-."},
}
DEFAULT_TITLE = "Cumulative cost by option"
_RC = {
    "svg.fonttype": "path",
    "svg.hashsalt": "llm-deployment-advisor",
    "font.family": "DejaVu Sans",  # bundled with matplotlib: same glyphs everywhere
    "font.size": 9,
}
_RENDER_LOCK = threading.Lock()
_SVG_START = re.compile(r"<svg\b[^>]*>")
# matplotlib's RDF block: namespaced elements that mean nothing inline in HTML.
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


@dataclass(frozen=True)
class CumulativeCostRow:
    """One month of the chart's data table (USD, cumulative since month 1)."""

    month: int
    api_usd: float
    self_host_usd: float
    hybrid_usd: float


def cumulative_cost_table(
    projection: Projection, *, step_months: int = 1
) -> list[CumulativeCostRow]:
    """The chart's data as rows, every ``step_months`` months and always the last one."""
    months = list(range(step_months, projection.horizon_months + 1, step_months))
    if not months or months[-1] != projection.horizon_months:
        months.append(projection.horizon_months)
    cumulative = {option: projection.options[option].cumulative_usd for option in OPTIONS}
    return [
        CumulativeCostRow(
            month=month,
            api_usd=cumulative["api"][month - 1],
            self_host_usd=cumulative["self_host"][month - 1],
            hybrid_usd=cumulative["hybrid"][month - 1],
        )
        for month in months
    ]


def chart_description(projection: Projection) -> str:
    """One paragraph saying what the chart shows: totals and break-even months."""
    horizon = projection.horizon_months
    totals = "; ".join(
        f"{OPTION_LABELS[option]} {_usd(projection.options[option].tco_usd)}" for option in OPTIONS
    )
    break_evens = []
    for option in ("self_host", "hybrid"):
        month = projection.break_even_month[option]
        label = OPTION_LABELS[option]
        break_evens.append(
            f"{label} breaks even with the API in month {month}"
            if month is not None
            else f"{label} does not break even with the API within {horizon} months"
        )
    return f"Total cost over {horizon} months: {totals}. " + "; ".join(break_evens) + "."


def cumulative_cost_chart_svg(
    projection: Projection,
    *,
    title: str = DEFAULT_TITLE,
    element_id: str = "cumulative-cost-chart",
) -> str:
    """Inline SVG of cumulative cost per option, break-even points marked.

    Series are ``<g id="series-<option>">``, markers ``<g
    id="break-even-<option>">``; the root carries ``role="img"`` and is
    labelled by its ``<title>`` and ``<desc>``.
    """
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        figure = _draw(projection, title)
        buffer = io.StringIO()
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return _accessible(buffer.getvalue(), title, chart_description(projection), element_id)


def _draw(projection: Projection, title: str) -> Figure:
    figure = Figure(figsize=(7.0, 3.6))
    axes = figure.add_subplot()
    months = range(1, projection.horizon_months + 1)
    for option in OPTIONS:
        (line,) = axes.plot(
            months,
            projection.options[option].cumulative_usd,
            label=OPTION_LABELS[option],
            linewidth=2,
            **OPTION_STYLES[option],
        )
        line.set_gid(f"series-{option}")
    for option in ("self_host", "hybrid"):
        month = projection.break_even_month[option]
        if month is None:
            continue
        cost = projection.options[option].cumulative_usd[month - 1]
        (marker,) = axes.plot(
            [month],
            [cost],
            marker="o",
            markersize=8,
            markerfacecolor="white",
            markeredgewidth=2,
            color=OPTION_STYLES[option]["color"],
            linestyle="none",
        )
        marker.set_gid(f"break-even-{option}")
        axes.annotate(
            f"{OPTION_LABELS[option]} breaks even, month {month}",
            (month, cost),
            # Self-hosting's label above-left, the hybrid's below-right, so
            # two break-evens in nearby months do not overprint.
            xytext=(8, -16) if option == "hybrid" else (-8, 10),
            horizontalalignment="left" if option == "hybrid" else "right",
            textcoords="offset points",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"},
        )
    axes.set_title(title)
    axes.set_xlabel("Month")
    axes.set_ylabel("Cumulative cost (USD)")
    axes.set_xlim(1, projection.horizon_months)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _usd(value)))
    axes.grid(True, color="#dddddd", linewidth=0.6)
    axes.legend(loc="upper left", frameon=False)
    figure.tight_layout()
    return figure


def _accessible(svg: str, title: str, description: str, element_id: str) -> str:
    svg = _METADATA.sub("", svg[svg.index("<svg") :])  # drop prolog, DOCTYPE, RDF
    start = _SVG_START.search(svg)
    assert start is not None  # matplotlib always writes a root <svg>
    root = start.group(0)
    labelled = root[:-1] + (
        f' id="{escape(element_id)}" role="img"'
        f' aria-labelledby="{escape(element_id)}-title {escape(element_id)}-desc">'
    )
    return (
        labelled
        + f'<title id="{escape(element_id)}-title">{escape(title)}</title>'
        + f'<desc id="{escape(element_id)}-desc">{escape(description)}</desc>'
        + svg[start.end() :]
    )


def _usd(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:,.1f}M"
    if abs(value) >= 1_000:
        return f"${value / 1_000:,.0f}K"
    return f"${value:,.0f}"
