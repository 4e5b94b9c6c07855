from __future__ import annotations

import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from defusedxml.ElementTree import fromstring
from django.utils import translation

from advisor.costs.assumptions import Assumptions, Workload
from advisor.costs.prices import ApiModelPrice, GpuPrice, ServingProfile
from advisor.costs.projection import Projection, project
from advisor.options import OPTION_LABELS, OPTIONS
from advisor.reports import charts
from advisor.reports.chart_images import draw_cumulative_chart
from advisor.reports.charts import (
    PHONE,
    ChartData,
    CumulativeChart,
    _axis_usd,
    chart_geometry,
    cumulative_chart,
)
from advisor.snapshot import ResultSnapshot
from tests.figures import SOURCE, make_assumptions

SVG = "{http://www.w3.org/2000/svg}"
FONTS = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"
DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
COORDINATES = ("points", "d", "x", "y", "cx", "cy", "r", "x1", "x2", "y1", "y2", "width", "height")
H100 = GpuPrice("h100", "H100", 3.8, SOURCE)
# This module's figures, over the shared ones: catalog-like names and prices.
CHART_FIGURES: dict[str, object] = {
    "api_model": ApiModelPrice("gpt-4.1", "GPT-4.1", "openai", "mid", 2e-6, 8e-6, SOURCE),
    "self_host_model": ServingProfile("big", "Big", "mid", 70, 2, H100, 1700, 10000, SOURCE),
    "small_model": ServingProfile("small", "Small", "small", 8, 1, H100, 3400, 40000, SOURCE),
    "engineer_monthly_cost_usd": 22_500,
    "first_year_budget_usd": 250_000,
    "build_out_months": 3,
    "target_utilization_pct": 70,
    "peak_factor_steady": 1.5,
}


def assumptions(**overrides: object) -> Assumptions:
    return make_assumptions(**{**CHART_FIGURES, **overrides})


def breaking_even() -> Projection:
    return project(Workload(monthly_queries=20_000_000, load_pattern="steady"), assumptions())


def never_breaking_even() -> Projection:
    return project(Workload(monthly_queries=1_000_000, load_pattern="steady"), assumptions())


def breaking_even_late() -> Projection:
    """Self-hosting in the last month (36), the hybrid in month 19."""
    return project(Workload(monthly_queries=7_100_000, load_pattern="steady"), assumptions())


def only_hybrid_breaking_even() -> Projection:
    """The hybrid in month 27, self-hosting never."""
    return project(Workload(monthly_queries=6_500_000, load_pattern="steady"), assumptions())


PROJECTIONS = [breaking_even(), breaking_even_late(), only_hybrid_breaking_even()]
PROJECTIONS += [never_breaking_even()]
PROJECTION_IDS = ["both-early", "late", "hybrid-only", "none"]


def snapshot_of(projection: Projection) -> ResultSnapshot:
    return ResultSnapshot.from_dict({"costs": projection.to_dict()})


def with_bands(projection: Projection, *options: str) -> ResultSnapshot:
    """The projection's snapshot with P10-P90 bands (-10 %, +10 %) for ``options``."""
    costs = projection.to_dict()
    for option in options:
        cumulative = costs["options"][option]["cumulative_usd"]
        costs["options"][option]["cumulative_usd_band"] = {
            "p10": [value * 0.9 for value in cumulative],
            "p90": [value * 1.1 for value in cumulative],
        }
    return ResultSnapshot.from_dict({"costs": costs})


def chart(projection: Projection, *, title: str | None = None) -> str:
    return draw_cumulative_chart(snapshot_of(projection), title=title)


def parsed(svg: str) -> Element:
    return fromstring(svg.encode())


def by_id(root: Element, element_id: str) -> Element:
    found = [element for element in root.iter() if element.get("id") == element_id]
    assert len(found) == 1, element_id
    return found[0]


def points(element: Element) -> list[tuple[float, float]]:
    pairs = (pair.split(",") for pair in (element.get("points") or "").split())
    return [(float(x), float(y)) for x, y in pairs]


def only(element: Element, tag: str) -> Element:
    (child,) = element.iter(SVG + tag)
    return child


def texts(root: Element) -> list[str]:
    return [element.text or "" for element in root.iter(SVG + "text")]


def synthetic(
    curves: dict[str, list[float]], break_even: dict[str, int | None] | None = None
) -> ChartData:
    """Chart data of hand-made curves (every option; missing ones flat at $1)."""
    horizon = len(next(iter(curves.values())))
    return ChartData(
        horizon_months=horizon,
        cumulative_usd={option: curves.get(option, [1.0] * horizon) for option in OPTIONS},
        break_even_month=break_even or {"self_host": None, "hybrid": None},
        bands={},
    )


def usd_at(geometry: CumulativeChart, usd: float) -> float:
    """Where ``usd`` is on the y axis, from the axis' first and last tick."""
    low, high = geometry.y_ticks[0], geometry.y_ticks[-1]
    return low.at + (usd - low.value) / (high.value - low.value) * (high.at - low.at)


def month_at(geometry: CumulativeChart, month: int, horizon: int) -> float:
    plot = geometry.plot
    return plot.left + (month - 1) / (horizon - 1) * (plot.right - plot.left)


# --- the document ---------------------------------------------------------------


def test_svg_is_a_document_with_a_series_per_option() -> None:
    projection = breaking_even()
    svg = chart(projection)

    root = parsed(svg)
    assert svg.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert root.tag == SVG + "svg"  # standalone: its own namespace
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == (
        "504",
        "259",
        "0 0 504 259",
    )
    for option in OPTIONS:
        line = only(by_id(root, f"series-{option}"), "polyline")
        assert len(points(line)) == projection.horizon_months
        assert line.get("stroke") == charts.OPTION_STYLES[option].color
        assert line.get("stroke-width") == "2"
    # Solid, dashed and dash-dot: the lines tell apart in greyscale too.
    dashes = [
        only(by_id(root, f"series-{option}"), "polyline").get("stroke-dasharray")
        for option in OPTIONS
    ]
    assert dashes[0] is None and len(set(dashes)) == 3


def test_bands_are_drawn_under_the_lines_when_the_snapshot_has_them() -> None:
    projection = breaking_even()
    svg = draw_cumulative_chart(with_bands(projection, "api"))

    root = parsed(svg)
    band = only(by_id(root, "band-api"), "polygon")
    assert len(points(band)) == 2 * projection.horizon_months  # P90 out, P10 back
    assert (band.get("fill"), band.get("fill-opacity")) == (
        charts.OPTION_STYLES["api"].color,
        "0.12",
    )
    assert 'id="band-self_host"' not in svg
    assert svg.index('id="band-api"') < svg.index('id="series-api"')


def test_the_chart_of_a_snapshot_without_bands_has_none() -> None:
    assert "band-" not in chart(breaking_even())


@pytest.mark.parametrize("projection", PROJECTIONS[:3], ids=PROJECTION_IDS[:3])
def test_break_even_markers_sit_on_the_month_and_its_cumulative_cost(
    projection: Projection,
) -> None:
    snapshot = snapshot_of(projection)
    geometry = cumulative_chart(snapshot)
    root = parsed(draw_cumulative_chart(snapshot))

    drawn = 0
    for option, month in projection.break_even_month.items():
        if month is None:
            assert f'id="break-even-{option}"' not in draw_cumulative_chart(snapshot)
            continue
        usd = projection.options[option].cumulative_usd[month - 1]
        expected = (month_at(geometry, month, projection.horizon_months), usd_at(geometry, usd))
        group = by_id(root, f"break-even-{option}")
        if option == "self_host":
            circle = only(group, "circle")
            centre = (float(circle.get("cx") or ""), float(circle.get("cy") or ""))
        else:
            corners = points(only(group, "polygon"))
            centre = (sum(x for x, _ in corners) / 4, sum(y for _, y in corners) / 4)
        assert math.dist(centre, expected) <= 0.15, option
        drawn += 1
    assert drawn >= 1


def test_no_marker_without_break_even() -> None:
    assert "break-even-" not in chart(never_breaking_even())


def test_markers_in_the_first_and_last_month_are_drawn_whole() -> None:
    data = synthetic(
        {"self_host": [100.0 * month for month in range(1, 37)], "hybrid": [50.0] * 36},
        {"self_host": 36, "hybrid": 1},
    )
    geometry = chart_geometry(data)

    first, last = sorted(geometry.break_evens, key=lambda point: point.month)
    assert (first.marker.x, last.marker.x) == (geometry.plot.left, geometry.plot.right)
    for point in (first, last):
        reach = point.marker.radius + 1  # half the 2-unit outline
        assert point.marker.x - reach >= 0 and point.marker.x + reach <= charts.CHART_WIDTH
        assert point.marker.y - reach >= 0 and point.marker.y + reach <= charts.CHART_HEIGHT


def test_svg_fetches_nothing_and_runs_nothing() -> None:
    svg = draw_cumulative_chart(with_bands(breaking_even(), *OPTIONS), title="Costs")

    assert "<script" not in svg
    assert svg.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http") == 0
    assert "href" not in svg and "xlink" not in svg and "url(" not in svg
    assert "<use" not in svg and "<image" not in svg and "<foreignObject" not in svg
    # Presentation attributes only: WeasyPrint parses style= and <style> as CSS.
    assert "<style" not in svg and "style=" not in svg


def test_text_is_text_in_the_font_list_without_per_letter_attributes() -> None:
    root = parsed(chart(breaking_even()))

    assert root.get("font-family") == FONTS
    assert root.get("font-size") == "9"
    assert len(list(root.iter(SVG + "path"))) == 1  # the grid; no glyph drawn as a path
    assert {"Month", "Cumulative cost (USD)", "Commercial API", "$0"} <= set(texts(root))
    for text in root.iter(SVG + "text"):
        assert not {"dx", "dy", "rotate", "letter-spacing", "textLength"} & set(text.attrib)
        assert " " not in (text.get("x") or "") + (
            text.get("y") or ""
        )  # one position, not one per letter


def test_the_default_title_names_the_svg_and_the_pages_heading_titles_the_picture() -> None:
    projection = breaking_even()
    untitled, titled = parsed(chart(projection)), parsed(chart(projection, title="Over 36 months"))

    assert only(untitled, "title").text == charts.DEFAULT_TITLE
    assert charts.DEFAULT_TITLE not in texts(untitled)  # the surfaces head the chart already
    assert only(titled, "title").text == "Over 36 months"
    assert "Over 36 months" in texts(titled)
    untitled_plot = cumulative_chart(snapshot_of(projection)).plot
    titled_plot = cumulative_chart(snapshot_of(projection), title="Over 36 months").plot
    assert titled_plot.top > untitled_plot.top  # room for it above the plot
    assert only(untitled, "desc").text == snapshot_of(projection).chart_description


def test_title_is_escaped() -> None:
    svg = chart(breaking_even(), title="<script>alert(1)</script> & co")

    assert "<script>" not in svg
    assert svg.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") == 2  # <title> and text
    assert "<script>alert(1)</script> & co" in texts(parsed(svg))


def test_output_is_deterministic_across_threads() -> None:
    snapshots = [snapshot_of(breaking_even()), snapshot_of(never_breaking_even())] * 4

    with ThreadPoolExecutor(max_workers=4) as pool:
        rendered = list(pool.map(draw_cumulative_chart, snapshots))

    assert len(set(rendered)) == 2
    assert rendered[0] == chart(breaking_even())


def test_coordinates_are_written_with_a_point_in_any_language() -> None:
    with translation.override("de"):
        svg = chart(breaking_even())

    assert svg == chart(breaking_even())
    assert re.search(r'x="\d+\.\d"', svg)


def test_coordinates_have_at_most_one_decimal() -> None:
    root = parsed(draw_cumulative_chart(with_bands(breaking_even(), *OPTIONS)))

    numbers = [
        number
        for element in root.iter()
        for name in COORDINATES
        for number in re.findall(r"-?[\d.]+", element.get(name) or "")
    ]
    assert len(numbers) > 500
    assert all(len(number.partition(".")[2]) <= 1 for number in numbers)


# --- the geometry ---------------------------------------------------------------


@pytest.mark.parametrize(
    "snapshot",
    [with_bands(projection, *OPTIONS) for projection in PROJECTIONS],
    ids=PROJECTION_IDS,
)
def test_every_point_is_inside_the_plot_area(snapshot: ResultSnapshot) -> None:
    geometry = cumulative_chart(snapshot)
    plot = geometry.plot
    drawn = [line.points for line in geometry.series] + [band.points for band in geometry.bands]

    assert len(drawn) == 6
    for line in drawn:
        for x, y in line:
            assert plot.left <= x <= plot.right and plot.top <= y <= plot.bottom
    assert 0 < plot.left < plot.right <= charts.CHART_WIDTH
    assert 0 < plot.top < plot.bottom <= charts.CHART_HEIGHT


def test_a_negative_cumulative_cost_is_inside_the_plot_too() -> None:
    geometry = chart_geometry(synthetic({"api": [-500.0, 1_000.0, 4_000.0]}))

    assert geometry.y_ticks[0].value < -500 and geometry.y_ticks[-1].value >= 4_000
    for x, y in geometry.series[0].points:
        assert geometry.plot.left <= x <= geometry.plot.right
        assert geometry.plot.top <= y <= geometry.plot.bottom


@pytest.mark.parametrize(
    "highest",
    [
        0.0,
        7.0,
        940.0,
        1_000.0,
        82_113.0,
        850_000.0,
        2_490_000.0,
        4_540_000.0,
        85e6,
        100e6,
        4.9e8,
        3e9,
    ],
)
def test_y_ticks_are_round_and_cover_the_maximum(highest: float) -> None:
    geometry = chart_geometry(synthetic({"api": [highest / 4, highest / 2, highest]}))
    values = [tick.value for tick in geometry.y_ticks]
    step = values[1] - values[0]

    assert 5 <= len(values) <= 8
    assert values[0] == 0 and values[-1] >= highest and values[-2] < max(highest, 1)
    assert all(math.isclose(b - a, step) for a, b in pairwise(values))
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, nice) for nice in (1, 2, 2.5, 5)), step
    # Evenly spaced on the page, from the plot's bottom to its top.
    positions = [tick.at for tick in geometry.y_ticks]
    assert positions[0] == geometry.plot.bottom and positions[-1] == geometry.plot.top
    gap = (positions[-1] - positions[0]) / (len(positions) - 1)
    assert all(math.isclose(b - a, gap, abs_tol=0.15) for a, b in pairwise(positions))


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0, "$0"),
        (500, "$500"),
        (1_250, "$1.25K"),
        (850_000, "$850K"),
        (2_500_000, "$2.5M"),
        (10_000_000, "$10M"),
        (80_000_000, "$80M"),
        (1_500_000_000, "$1.5B"),
        (-250_000, "$-250K"),
    ],
)
def test_axis_labels_are_short(value: float, label: str) -> None:
    assert _axis_usd(value) == label


@pytest.mark.parametrize(
    ("horizon", "months"),
    [
        (36, [6, 12, 18, 24, 30, 36]),
        (32, [6, 12, 18, 24, 30]),
        (12, [2, 4, 6, 8, 10, 12]),
        (60, [12, 24, 36, 48, 60]),
        (600, [120, 240, 360, 480, 600]),
        (3, [1, 2, 3]),
    ],
)
def test_x_ticks_are_round_months(horizon: int, months: list[int]) -> None:
    geometry = chart_geometry(
        synthetic({"api": [1_000.0 * month for month in range(1, horizon + 1)]})
    )

    assert [tick.value for tick in geometry.x_ticks] == months
    assert [tick.label for tick in geometry.x_ticks] == [str(month) for month in months]
    for tick in geometry.x_ticks:
        assert math.isclose(tick.at, month_at(geometry, int(tick.value), horizon), abs_tol=0.06)


def test_the_grid_is_one_path_through_every_tick() -> None:
    geometry = cumulative_chart(snapshot_of(breaking_even()))

    assert geometry.grid_path.count("M") == len(geometry.x_ticks) + len(geometry.y_ticks)
    svg = chart(breaking_even())
    assert (
        '<path d="' + geometry.grid_path + '" fill="none" stroke="#dddddd" stroke-width="0.6"/>'
        in svg
    )


# --- the legend -----------------------------------------------------------------


def legend_labels(projection: Projection) -> list[str]:
    return [
        *(OPTION_LABELS[option] for option in OPTIONS),
        *(
            f"{OPTION_LABELS[option]} breaks even: month {month}"
            for option, month in projection.break_even_month.items()
            if month is not None
        ),
    ]


def crosses(line: tuple[tuple[float, float], ...], box: tuple[float, float, float, float]) -> bool:
    """Whether the polyline passes through the box, sampled every 0.1 unit along x."""
    left, top, right, bottom = box
    for (x0, y0), (x1, y1) in pairwise(line):
        steps = max(1, int((x1 - x0) * 10))
        for step in range(steps + 1):
            x = x0 + (x1 - x0) * step / steps
            y = y0 + (y1 - y0) * step / steps
            if left <= x <= right and top <= y <= bottom:
                return True
    return False


@pytest.mark.parametrize("projection", PROJECTIONS, ids=PROJECTION_IDS)
def test_the_legend_lists_the_options_and_break_evens_upper_left_off_the_lines(
    projection: Projection,
) -> None:
    geometry = cumulative_chart(with_bands(projection, *OPTIONS))
    legend, plot = geometry.legend, geometry.plot

    assert [entry.label for entry in legend.entries] == legend_labels(projection)
    assert (legend.x, legend.y) == (plot.left + charts.LEGEND_INSET, plot.top + charts.LEGEND_INSET)
    box = (legend.x, legend.y, legend.x + legend.width, legend.y + legend.height)
    for line in geometry.series:
        assert not crosses(line.points, box), line.option
    for point in geometry.break_evens:  # markers are on the lines: off the legend whole
        reach = point.marker.radius + 1
        assert not (
            box[0] - reach <= point.marker.x <= box[2] + reach
            and box[1] - reach <= point.marker.y <= box[3] + reach
        )
    root = parsed(draw_cumulative_chart(with_bands(projection, *OPTIONS)))
    assert texts(by_id(root, "legend")) == legend_labels(projection)
    # Drawn last, over the bands, on a near-opaque white.
    assert list(root)[-1].get("id") == "legend"
    background = only(by_id(root, "legend"), "rect")
    assert background.get("fill") == "#ffffff" and float(background.get("fill-opacity") or 0) >= 0.8


@pytest.mark.skipif(not DEJAVU_SANS.exists(), reason="fonts-dejavu-core is not installed")
@pytest.mark.parametrize("projection", PROJECTIONS, ids=PROJECTION_IDS)
def test_the_legend_labels_fit_inside_the_legend_and_the_chart(projection: Projection) -> None:
    # Measured with the font's own advance widths (DejaVu Sans is the widest
    # font named), not the chart's estimate.
    from fontTools.ttLib import TTFont

    font = TTFont(DEJAVU_SANS)
    glyphs, advances = font.getBestCmap(), font["hmtx"]
    per_em = font["head"].unitsPerEm
    geometry = cumulative_chart(snapshot_of(projection))
    legend = geometry.legend

    for entry in legend.entries:
        width = (
            sum(advances[glyphs[ord(letter)]][0] for letter in entry.label)
            / per_em
            * charts.FONT_SIZE
        )
        assert entry.text_x + width <= legend.x + legend.width <= geometry.plot.right, entry.label
        assert (
            legend.y <= entry.text_y - charts.FONT_SIZE * 0.8
            and entry.text_y <= legend.y + legend.height
        )
    for tick in geometry.y_ticks:  # the y labels, right-aligned, stay inside the chart
        width = (
            sum(advances[glyphs[ord(letter)]][0] for letter in tick.label)
            / per_em
            * charts.FONT_SIZE
        )
        assert geometry.y_tick_label_x - width >= charts.Y_LABEL_SPACE


def test_the_legend_moves_off_a_line_that_crosses_the_upper_left() -> None:
    # Self-hosting paid up front, nearly flat after: its line runs along the top.
    data = synthetic(
        {
            "api": [30_000.0 * month for month in range(1, 37)],
            "self_host": [900_000.0 + 1_000 * month for month in range(1, 37)],
            "hybrid": [600_000.0 + 3_000 * month for month in range(1, 37)],
        }
    )
    geometry = chart_geometry(data)
    legend = geometry.legend

    assert (legend.x, legend.y) != (
        geometry.plot.left + charts.LEGEND_INSET,
        geometry.plot.top + charts.LEGEND_INSET,
    )
    box = (legend.x, legend.y, legend.x + legend.width, legend.y + legend.height)
    assert not any(crosses(line.points, box) for line in geometry.series)


def test_a_one_month_horizon_draws_its_one_point() -> None:
    geometry = chart_geometry(synthetic({"api": [1_000.0]}))

    assert geometry.series[0].points == ((geometry.plot.left, usd_at(geometry, 1_000.0)),)
    assert [tick.value for tick in geometry.x_ticks] == [1]


# --- the chart's table and description (the snapshot's) ------------------------


def test_table_holds_the_chart_data() -> None:
    projection = breaking_even()

    rows = snapshot_of(projection).chart_table

    assert [row.month for row in rows] == [6, 12, 18, 24, 30, 36]
    assert rows[-1].api_usd == projection.options["api"].tco_usd
    assert rows[-1].self_host_usd == projection.options["self_host"].tco_usd
    assert rows[1].hybrid_usd == projection.options["hybrid"].cumulative_usd[11]


def test_table_always_ends_with_the_last_month() -> None:
    projection = project(replace(Workload(monthly_queries=1_000), horizon_months=32), assumptions())

    assert [row.month for row in snapshot_of(projection).chart_table][-2:] == [30, 32]


def test_description_names_every_option_and_the_break_evens() -> None:
    description = snapshot_of(breaking_even()).chart_description
    never = snapshot_of(never_breaking_even()).chart_description

    for label in ("Commercial API", "Self-hosted", "Hybrid"):
        assert label in description
    assert "breaks even with the API in month" in description
    assert "does not break even with the API within 36 months" in never


def test_the_phone_drawing_is_narrower_with_larger_labels_and_its_legend_below() -> None:
    snapshot = with_bands(breaking_even(), "api")
    phone = cumulative_chart(snapshot, size=PHONE)
    assert (phone.width, phone.font_size) == (PHONE.width, PHONE.font_size)
    # The legend sits under "Month", inside the drawing, hiding no line.
    assert phone.legend.y > phone.x_label_y
    assert phone.legend.y + phone.legend.height <= phone.height
    assert phone.legend.x + phone.legend.width <= phone.width
    svg = draw_cumulative_chart(snapshot, size=PHONE)
    assert f'viewBox="0 0 {PHONE.width} {phone.height}"' in svg
    assert f'font-size="{PHONE.font_size}"' in svg
