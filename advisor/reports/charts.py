"""The cumulative-cost chart, as inline SVG for the result page and the PDF.

Rendered server-side by matplotlib's SVG backend: no JavaScript, no network,
the same markup in the browser and in WeasyPrint. Choices and why:

- ``matplotlib.figure.Figure`` with its own canvas, never ``pyplot``: pyplot
  keeps global figure state and is not thread-safe.
- ``svg.fonttype = "none"``: text stays ``<text>`` naming the font list
  ``'DejaVu Sans', 'Arial', 'Liberation Sans', sans-serif``, not one path
  per glyph: less than half the bytes, and less than half WeasyPrint's time
  to draw it. matplotlib lays the text out with DejaVu Sans (bundled with
  it, and on the server through fonts-dejavu-core, which WeasyPrint finds
  with fontconfig); a browser without it falls back to Arial, which is
  narrower, so labels never outgrow the space laid out for them.
- CSP-safe: the page's Content-Security-Policy has no ``'unsafe-inline'``
  for styles, which blocks ``style`` attributes and ``<style>`` elements in
  inline SVG. matplotlib writes both, so the output is parsed (defusedxml)
  and every declaration rewritten as the equivalent presentation attribute
  (``fill``, ``stroke``, ``font-family``...), which CSP does not touch.
  A declaration with no presentation attribute raises rather than being
  dropped silently.
- Break-even points are labelled in the legend (marker and month), never
  by text next to the point: the legend stays inside the axes wherever the
  point is, and two break-evens in the same month do not overprint.
- ``svg.hashsalt`` fixed and no date metadata: the same projection gives the
  same bytes (reports are snapshotted and compared).
- rcParams are process-global, so rendering holds a lock while it applies
  them with ``rc_context``.
- The XML prolog, DOCTYPE, RDF metadata, comments and indentation are
  dropped so the SVG can be inlined in HTML.
"""

from __future__ import annotations

import io
import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, tostring

import matplotlib
from defusedxml.ElementTree import fromstring
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
# Break-even markers: a shape per option as well as a colour, so the two
# still tell apart in greyscale and when they fall on the same point (the
# diamond is drawn smaller, inside the circle).
BREAK_EVEN_MARKERS: dict[str, dict[str, str | float]] = {
    "self_host": {"marker": "o", "markersize": 9},
    "hybrid": {"marker": "D", "markersize": 5.5},
}
DEFAULT_TITLE = "Cumulative cost by option"
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "llm-deployment-advisor",
    # matplotlib measures with the first it finds (DejaVu Sans, bundled with
    # it); the SVG names them all, then the generic family.
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Liberation Sans"],
    "font.size": 9,
}
_RENDER_LOCK = threading.Lock()

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
# CSS properties that SVG also accepts as presentation attributes (SVG 1.1
# and SVG 2), i.e. every one matplotlib's SVG backend writes and then some.
_PRESENTATION_ATTRIBUTES = frozenset(
    {
        "alignment-baseline",
        "baseline-shift",
        "clip-path",
        "clip-rule",
        "color",
        "color-interpolation",
        "color-interpolation-filters",
        "direction",
        "display",
        "dominant-baseline",
        "fill",
        "fill-opacity",
        "fill-rule",
        "filter",
        "flood-color",
        "flood-opacity",
        "font-family",
        "font-size",
        "font-size-adjust",
        "font-stretch",
        "font-style",
        "font-variant",
        "font-weight",
        "image-rendering",
        "letter-spacing",
        "lighting-color",
        "marker-end",
        "marker-mid",
        "marker-start",
        "mask",
        "opacity",
        "overflow",
        "paint-order",
        "pointer-events",
        "shape-rendering",
        "stop-color",
        "stop-opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "text-decoration",
        "text-rendering",
        "unicode-bidi",
        "visibility",
        "word-spacing",
        "writing-mode",
    }
)
# Where a rule of matplotlib's ``<style>`` (``*{stroke-linejoin: round; ...}``)
# is written out: on every shape, and on text that has a stroke. On
# containers the rule only mattered through inheritance, and every element
# it could affect now has its own value.
_SHAPES = frozenset({"path", "rect", "circle", "ellipse", "line", "polyline", "polygon"})
_TEXT_CONTENT = frozenset({"text", "tspan", "textPath", "title", "desc"})
_CSS_RULE = re.compile(r"\s*([^{}]+?)\s*\{([^{}]*)\}")
_FONT_KEYWORDS = {
    "italic": "font-style",
    "oblique": "font-style",
    "small-caps": "font-variant",
    "bold": "font-weight",
    "bolder": "font-weight",
    "lighter": "font-weight",
    **dict.fromkeys(
        (
            f"{degree}{width}"
            for degree in ("ultra-", "extra-", "semi-", "")
            for width in ("condensed", "expanded")
        ),
        "font-stretch",
    ),
}
# [style] [variant] [weight] [stretch] size[/line-height] family, family...
_FONT_SHORTHAND = re.compile(
    r"^(?P<prefix>(?:\S+\s+)*?)"
    r"(?P<size>[\d.]+(?:px|pt|pc|em|rem|ex|%|mm|cm|in))(?:/\S+)?"
    r"\s+(?P<family>.+)$"
)


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
    bands: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
) -> str:
    """Inline SVG of cumulative cost per option, break-even points marked.

    ``bands`` (option -> P10 and P90 cumulative cost per month) are shaded
    around each line (``<g id="band-<option>">``).

    Series are ``<g id="series-<option>">``, markers ``<g
    id="break-even-<option>">``; the root carries ``role="img"`` and is
    labelled by its ``<title>`` and ``<desc>``.
    """
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        figure = _draw(projection, title, bands or {})
        buffer = io.StringIO()
        FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return _accessible(buffer.getvalue(), title, chart_description(projection), element_id)


def _draw(
    projection: Projection,
    title: str,
    bands: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
) -> Figure:
    bands = bands or {}
    figure = Figure(figsize=(7.0, 3.6))
    axes = figure.add_subplot()
    months = range(1, projection.horizon_months + 1)
    for option in OPTIONS:
        band = bands.get(option)
        if band is not None and len(band[0]) == projection.horizon_months:
            shade = axes.fill_between(
                months,
                band[0],
                band[1],
                color=OPTION_STYLES[option]["color"],
                alpha=0.12,
                linewidth=0,
                label="_nolegend_",  # the caption explains the shading
            )
            shade.set_gid(f"band-{option}")
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
            markerfacecolor="white",
            markeredgewidth=2,
            color=OPTION_STYLES[option]["color"],
            linestyle="none",
            clip_on=False,  # a point in the first or last month is drawn whole
            # Labelled in the legend, not next to the point: a label by the
            # point had to dodge the axes' edges, the lines and the other
            # option's label, and did not always.
            label=f"{OPTION_LABELS[option]} breaks even: month {month}",
            **BREAK_EVEN_MARKERS[option],
        )
        marker.set_gid(f"break-even-{option}")
    # parse_math=False: a "$" pair in a caller's title is text, not TeX.
    axes.set_title(title, parse_math=False)
    axes.set_xlabel("Month")
    axes.set_ylabel("Cumulative cost (USD)")
    axes.set_xlim(1, projection.horizon_months)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _usd(value)))
    axes.grid(True, color="#dddddd", linewidth=0.6)
    # Upper left: cumulative costs start low, so that corner is the emptiest.
    # A near-opaque background keeps the entries legible if a line crosses.
    axes.legend(loc="upper left", frameon=True, framealpha=0.85, edgecolor="none")
    figure.tight_layout()
    return figure


def _accessible(svg: str, title: str, description: str, element_id: str) -> str:
    """matplotlib's SVG made inlinable, CSP-safe and labelled by ``<title>``/``<desc>``."""
    root = fromstring(svg.encode())
    parents = {child: parent for parent in root.iter() for child in parent}
    # The RDF block: namespaced elements that mean nothing inline in HTML.
    for metadata in list(root.iter(f"{{{_SVG_NS}}}metadata")):
        parents[metadata].remove(metadata)
    _strip_namespaces(root)
    sheet = _take_style_sheets(root, parents)
    for element in root.iter():
        declared = _declarations(element.attrib.pop("style", ""))
        if element.tag in _SHAPES or "stroke" in declared:
            # A rule beats a presentation attribute, an inline style beats both.
            declared = {**sheet, **declared}
        for prop, value in declared.items():
            element.set(prop, value)
        if "d" in element.attrib:
            # The parser turned the path data's newlines into spaces.
            element.set("d", " ".join(element.attrib["d"].split()))
    _strip_indentation(root)

    root.attrib = {
        # Written by hand, as _strip_namespaces explains.
        "xmlns": _SVG_NS,
        "xmlns:xlink": _XLINK_NS,
        **root.attrib,
        "id": element_id,
        "role": "img",
        "aria-labelledby": f"{element_id}-title {element_id}-desc",
    }
    title_element = Element("title", id=f"{element_id}-title")
    title_element.text = title
    desc_element = Element("desc", id=f"{element_id}-desc")
    desc_element.text = description
    root[0:0] = [title_element, desc_element]
    return tostring(root, encoding="unicode")


def _strip_namespaces(root: Element) -> None:
    """SVG names unqualified, xlink ones as plain ``xlink:...`` names.

    ElementTree would otherwise invent ``ns0:`` prefixes, and an HTML parser
    reading inline SVG only knows ``xlink:href`` spelt that way.
    """
    prefixes = {f"{{{_SVG_NS}}}": "", f"{{{_XLINK_NS}}}": "xlink:"}
    for element in root.iter():
        element.tag = _unqualified(element.tag, prefixes, attribute=False)
        element.attrib = {
            _unqualified(name, prefixes, attribute=True): value
            for name, value in element.attrib.items()
        }


def _unqualified(name: str, prefixes: dict[str, str], *, attribute: bool) -> str:
    if not name.startswith("{"):
        return name
    namespace, local = name[: name.index("}") + 1], name[name.index("}") + 1 :]
    if namespace in prefixes and (attribute or prefixes[namespace] == ""):
        return prefixes[namespace] + local
    raise ValueError(f"unexpected namespaced name in chart SVG: {name}")


def _take_style_sheets(root: Element, parents: dict[Element, Element]) -> dict[str, str]:
    """Remove every ``<style>``; return its declarations (matplotlib writes ``*{...}``)."""
    sheet: dict[str, str] = {}
    for style in list(root.iter("style")):
        css = style.text or ""
        rules = list(_CSS_RULE.finditer(css))
        if "".join(rule.group(0) for rule in rules).strip() != css.strip():
            raise ValueError(f"unexpected CSS in chart SVG: {css!r}")
        for rule in rules:
            if rule.group(1) != "*":
                raise ValueError(f"unexpected CSS selector in chart SVG: {rule.group(1)!r}")
            sheet.update(_declarations(rule.group(2)))
        defs = parents[style]
        defs.remove(style)
        if defs.tag == "defs" and len(defs) == 0:
            parents[defs].remove(defs)
    return sheet


def _declarations(css: str) -> dict[str, str]:
    """``"fill: none; stroke: #000"`` as presentation attributes (``font`` expanded)."""
    declared: dict[str, str] = {}
    for declaration in _split_outside_quotes(css, ";"):
        if not declaration.strip():
            continue
        prop, colon, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip()
        if not colon or not prop or not value:
            raise ValueError(f"malformed CSS declaration in chart SVG: {declaration!r}")
        if prop == "font":
            declared.update(_font_shorthand(value))
        elif prop in _PRESENTATION_ATTRIBUTES:
            declared[prop] = value
        else:
            raise ValueError(f"no SVG presentation attribute for CSS property {prop!r}")
    return declared


def _font_shorthand(value: str) -> dict[str, str]:
    """CSS ``font`` (written by matplotlib before 3.10) as its longhands."""
    match = _FONT_SHORTHAND.match(value)
    if match is None:
        raise ValueError(f"unexpected font shorthand in chart SVG: {value!r}")
    longhands = {}
    for keyword in match.group("prefix").split():
        if keyword == "normal":
            continue
        prop = "font-weight" if keyword.isdigit() else _FONT_KEYWORDS.get(keyword)
        if prop is None:
            raise ValueError(f"unexpected font shorthand in chart SVG: {value!r}")
        longhands[prop] = keyword
    longhands["font-size"] = match.group("size")
    longhands["font-family"] = match.group("family").strip()
    return longhands


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts, current, quote = [], [], ""
    for character in text:
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character == separator:
            parts.append("".join(current))
            current = []
            continue
        current.append(character)
    parts.append("".join(current))
    return parts


def _strip_indentation(root: Element) -> None:
    """Drop whitespace-only text between elements (not inside text, where it shows)."""
    for parent in root.iter():
        if parent.tag in _TEXT_CONTENT:
            continue
        if parent.text is not None and not parent.text.strip():
            parent.text = None
        for child in parent:
            if child.tail is not None and not child.tail.strip():
                child.tail = None


def _usd(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:,.1f}M"
    if abs(value) >= 1_000:
        return f"${value / 1_000:,.0f}K"
    return f"${value:,.0f}"


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
