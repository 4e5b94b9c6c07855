from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from xml.etree.ElementTree import Element

import matplotlib
import numpy as np
import pytest
from defusedxml.ElementTree import fromstring
from matplotlib.backends.backend_agg import FigureCanvasAgg

from advisor.costs.projection import (
    ApiModelPrice,
    Assumptions,
    GpuPrice,
    Projection,
    ServingProfile,
    Source,
    Workload,
    project,
)
from advisor.reports import charts
from advisor.reports.charts import (
    chart_description,
    cumulative_cost_chart_svg,
    cumulative_cost_table,
)

SOURCE = Source("test figures", date(2026, 1, 1))


def assumptions(**overrides: object) -> Assumptions:
    fields: dict[str, object] = {
        "api_model": ApiModelPrice("gpt-4.1", "GPT-4.1", "openai", "mid", 2e-6, 8e-6, SOURCE),
        "self_host_model": ServingProfile(
            "big", "Big", "mid", 70, 2, GpuPrice("h100", "H100", 3.8, SOURCE), 1700, 10000, SOURCE
        ),
        "small_model": ServingProfile(
            "small",
            "Small",
            "small",
            8,
            1,
            GpuPrice("h100", "H100", 3.8, SOURCE),
            3400,
            40000,
            SOURCE,
        ),
        "engineer_monthly_cost_usd": 22_500,
        "operations_fte_self_host": 1.0,
        "operations_fte_hybrid": 0.5,
        "operations_base_fleet_gpus": 8,
        "operations_gpus_per_additional_engineer": 32,
        "first_year_overhead_pct": 30,
        "first_year_budget_usd": 250_000,
        "build_out_months": 3,
        "build_out_replicas": 1,
        "target_utilization_pct": 70,
        "peak_factor_steady": 1.5,
        "peak_factor_business_hours": 3,
        "peak_factor_spiky": 6,
        "peak_factor_unknown": 3,
        "min_replicas_customer_facing": 2,
        "min_replicas_internal": 1,
    }
    fields.update(overrides)
    return Assumptions(**fields)  # type: ignore[arg-type]


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


def parsed(svg: str) -> Element:
    return fromstring(svg)


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def by_id(root: Element, element_id: str) -> Element:
    found = [element for element in root.iter() if element.get("id") == element_id]
    assert len(found) == 1, element_id
    return found[0]


def test_svg_has_title_description_and_a_series_per_option() -> None:
    svg = cumulative_cost_chart_svg(breaking_even(), title="Cost over 36 months")

    assert svg.startswith("<svg")
    assert '<title id="cumulative-cost-chart-title">Cost over 36 months</title>' in svg
    assert 'role="img"' in svg
    assert re.search(r"<desc [^>]*>Total cost over 36 months: Commercial API \$", svg)
    for option in ("api", "self_host", "hybrid"):
        assert f'id="series-{option}"' in svg


def test_break_even_points_are_marked() -> None:
    projection = breaking_even()
    svg = cumulative_cost_chart_svg(projection)

    assert projection.break_even_month["self_host"] is not None
    assert 'id="break-even-self_host"' in svg
    assert 'id="break-even-hybrid"' in svg
    assert f"breaks even with the API in month {projection.break_even_month['self_host']}" in svg
    # Labelled in the legend, as real text.
    month = projection.break_even_month["self_host"]
    assert re.search(rf"<text [^>]*>Self-hosted breaks even: month {month}</text>", svg)


def test_no_marker_without_break_even() -> None:
    svg = cumulative_cost_chart_svg(never_breaking_even())

    assert "break-even-" not in svg
    assert "does not break even with the API within 36 months" in svg


def test_svg_is_inlinable_and_self_contained() -> None:
    svg = cumulative_cost_chart_svg(breaking_even())

    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg
    assert "<metadata" not in svg
    assert "<!--" not in svg
    assert "ns0:" not in svg
    assert 'xmlns:xlink="http://www.w3.org/1999/xlink"' in svg  # for <use xlink:href>
    assert "http://" not in svg.replace('"http://www.w3.org/', "")


def test_text_is_text_in_fonts_browsers_and_weasyprint_have() -> None:
    root = parsed(cumulative_cost_chart_svg(breaking_even()))

    texts = [element for element in root.iter() if local(element.tag) == "text"]
    assert "Cumulative cost by option" in [text.text for text in texts]
    for text in texts:
        assert text.get("font-family") == ("'DejaVu Sans', 'Arial', 'Liberation Sans', sans-serif")
        assert text.get("font-size")
    # No glyph drawn as a path.
    assert not [element for element in root.iter() if "DejaVuSans" in element.get("id", "")]


def test_svg_is_csp_safe_colours_are_presentation_attributes() -> None:
    # style-src without 'unsafe-inline' blocks style attributes and <style>.
    svg = cumulative_cost_chart_svg(breaking_even())
    root = parsed(svg)

    assert "style=" not in svg
    assert "<style" not in svg
    for element in root.iter():
        assert local(element.tag) != "style"
        assert "style" not in element.attrib, element.attrib
    expected = {
        "api": ("#0072b2", None),
        "self_host": ("#d55e00", "7.4,3.2"),
        "hybrid": ("#009e73", "12.8,3.2,2,3.2"),
    }
    for option, (colour, dashes) in expected.items():
        (line,) = by_id(root, f"series-{option}").iter("{http://www.w3.org/2000/svg}path")
        assert line.get("stroke") == colour
        assert line.get("stroke-width") == "2"
        assert line.get("fill") == "none"
        assert line.get("stroke-dasharray") == dashes
        # matplotlib's <style> rule (*{stroke-linejoin: round}) is kept per shape.
        assert line.get("stroke-linejoin") == "round"
        assert line.get("clip-path", "").startswith("url(#")
    for option in ("self_host", "hybrid"):
        marker = by_id(root, f"break-even-{option}")
        uses = [element for element in marker.iter() if local(element.tag) == "use"]
        assert uses
        assert uses[0].get("stroke") == expected[option][0]
        assert uses[0].get("fill") == "#ffffff"


def test_style_rewriting_follows_the_cascade_and_refuses_what_it_cannot_keep() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        "<defs><style>*{stroke-linejoin: round; stroke-linecap: butt}</style></defs>"
        '<path d="M 0 0\nL 1 1" stroke-linecap="square" style="stroke: #000; '
        'stroke-linejoin: miter"/>'
        '<g style="fill: #ff0000"><text style="font: italic 700 9px \'A; B\', serif">'
        "x</text></g></svg>"
    )
    root = parsed(charts._accessible(svg, "T", "D", "c"))

    path = next(root.iter("{http://www.w3.org/2000/svg}path"))
    # inline style > the <style> rule > a presentation attribute
    assert path.get("stroke-linejoin") == "miter"
    assert path.get("stroke-linecap") == "butt"
    assert path.get("d") == "M 0 0 L 1 1"
    group = next(root.iter("{http://www.w3.org/2000/svg}g"))
    assert group.get("fill") == "#ff0000"
    assert "stroke-linejoin" not in group.attrib  # only where it could paint
    text = next(root.iter("{http://www.w3.org/2000/svg}text"))
    assert text.attrib == {
        "font-style": "italic",
        "font-weight": "700",
        "font-size": "9px",
        "font-family": "'A; B', serif",
    }
    assert not list(root.iter("{http://www.w3.org/2000/svg}defs"))

    with pytest.raises(ValueError, match="mix-blend-mode"):
        charts._accessible(svg.replace("fill: #ff0000", "mix-blend-mode: multiply"), "", "", "c")
    with pytest.raises(ValueError, match="selector"):
        charts._accessible(svg.replace("*{", "path{"), "", "", "c")


def test_title_is_escaped() -> None:
    svg = cumulative_cost_chart_svg(breaking_even(), title="<script>alert(1)</script>")

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_output_is_deterministic_across_threads() -> None:
    projections = [breaking_even(), never_breaking_even()] * 4

    with ThreadPoolExecutor(max_workers=4) as pool:
        rendered = list(pool.map(cumulative_cost_chart_svg, projections))

    assert len(set(rendered)) == 2
    assert rendered[0] == cumulative_cost_chart_svg(breaking_even())


@pytest.mark.parametrize(
    "projection",
    [breaking_even(), breaking_even_late(), only_hybrid_breaking_even(), never_breaking_even()],
    ids=["both-early", "late", "hybrid-only", "none"],
)
def test_break_even_labels_stay_inside_the_axes_and_off_the_lines(projection: Projection) -> None:
    # They used to be annotations beside the point, which could cover the
    # y-axis tick labels; they are legend entries now.
    with matplotlib.rc_context(charts._RC):
        figure = charts._draw(projection, charts.DEFAULT_TITLE)
        FigureCanvasAgg(figure).draw()
    (axes,) = figure.axes
    legend = axes.get_legend()
    box, plot = legend.get_window_extent(), axes.get_window_extent()

    assert plot.x0 <= box.x0 and box.x1 <= plot.x1 and plot.y0 <= box.y0 and box.y1 <= plot.y1
    assert [text for text in axes.texts] == []  # no free-floating labels
    expected = [
        f"{charts.OPTION_LABELS[option]} breaks even: month {month}"
        for option, month in projection.break_even_month.items()
        if month is not None
    ]
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels == ["Commercial API", "Self-hosted", "Hybrid", *expected]
    for line in axes.get_lines():
        points = line.get_transform().transform(line.get_xydata())
        xs = np.linspace(points[0, 0], points[-1, 0], 500)
        ys = np.interp(xs, points[:, 0], points[:, 1])
        covered = (xs >= box.x0) & (xs <= box.x1) & (ys >= box.y0) & (ys <= box.y1)
        assert not covered.any(), line.get_gid()


def test_table_holds_the_chart_data() -> None:
    projection = breaking_even()

    rows = cumulative_cost_table(projection, step_months=12)

    assert [row.month for row in rows] == [12, 24, 36]
    assert rows[-1].api_usd == projection.options["api"].tco_usd
    assert rows[-1].self_host_usd == projection.options["self_host"].tco_usd
    assert rows[0].hybrid_usd == projection.options["hybrid"].cumulative_usd[11]


def test_table_always_ends_with_the_last_month() -> None:
    projection = project(replace(Workload(monthly_queries=1_000), horizon_months=30), assumptions())

    assert [row.month for row in cumulative_cost_table(projection, step_months=12)] == [12, 24, 30]
    assert len(cumulative_cost_table(projection)) == 30


def test_description_names_every_option() -> None:
    description = chart_description(breaking_even())

    for label in ("Commercial API", "Self-hosted", "Hybrid"):
        assert label in description
