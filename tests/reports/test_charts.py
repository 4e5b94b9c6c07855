from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
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
    Workload,
    project,
)
from advisor.reports import charts
from advisor.reports.charts import ChartData, cumulative_cost_chart
from advisor.snapshot import ResultSnapshot
from tests.figures import SOURCE, make_assumptions

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


def snapshot_of(projection: Projection) -> ResultSnapshot:
    return ResultSnapshot.from_dict({"costs": projection.to_dict()})


def chart(projection: Projection, **kwargs: str) -> str:
    return cumulative_cost_chart(snapshot_of(projection), **kwargs)


def parsed(svg: str) -> Element:
    return fromstring(svg.encode())


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def by_id(root: Element, element_id: str) -> Element:
    found = [element for element in root.iter() if element.get("id") == element_id]
    assert len(found) == 1, element_id
    return found[0]


def test_svg_is_a_document_with_a_series_per_option() -> None:
    svg = chart(breaking_even(), title="Cost over 36 months")

    root = parsed(svg)
    assert local(root.tag) == "svg"
    assert root.tag == "{http://www.w3.org/2000/svg}svg"  # standalone: its own namespace
    assert re.search(r"<text [^>]*>Cost over 36 months</text>", svg)
    for option in ("api", "self_host", "hybrid"):
        by_id(root, f"series-{option}")


def test_bands_are_drawn_when_the_snapshot_has_them() -> None:
    projection = breaking_even()
    costs = projection.to_dict()
    cumulative = costs["options"]["api"]["cumulative_usd"]
    costs["options"]["api"]["cumulative_usd_band"] = {
        "p10": [value * 0.9 for value in cumulative],
        "p90": [value * 1.1 for value in cumulative],
    }
    svg = cumulative_cost_chart(ResultSnapshot.from_dict({"costs": costs}))

    assert 'id="band-api"' in svg
    assert 'id="band-self_host"' not in svg


def test_break_even_points_are_marked() -> None:
    projection = breaking_even()
    svg = chart(projection)

    assert projection.break_even_month["self_host"] is not None
    assert 'id="break-even-self_host"' in svg
    assert 'id="break-even-hybrid"' in svg
    # Labelled in the legend, as real text.
    month = projection.break_even_month["self_host"]
    assert re.search(rf"<text [^>]*>Self-hosted breaks even: month {month}</text>", svg)


def test_no_marker_without_break_even() -> None:
    assert "break-even-" not in chart(never_breaking_even())


def test_svg_fetches_nothing_and_runs_nothing() -> None:
    svg = chart(breaking_even())

    assert "<script" not in svg
    assert "http://" not in svg.replace('"http://www.w3.org/', "").replace(
        "http://purl.org/", ""
    ).replace("http://creativecommons.org/", "")
    assert 'href="http' not in svg


def test_text_is_text_in_fonts_browsers_and_weasyprint_have() -> None:
    svg = chart(breaking_even())

    assert re.search(r"<text [^>]*>Cumulative cost by option</text>", svg)
    assert "DejaVu Sans" in svg
    # No glyph drawn as a path.
    assert not [element for element in parsed(svg).iter() if "DejaVuSans" in element.get("id", "")]


def test_title_is_escaped() -> None:
    svg = chart(breaking_even(), title="<script>alert(1)</script>")

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_output_is_deterministic_across_threads() -> None:
    snapshots = [snapshot_of(breaking_even()), snapshot_of(never_breaking_even())] * 4

    with ThreadPoolExecutor(max_workers=4) as pool:
        rendered = list(pool.map(cumulative_cost_chart, snapshots))

    assert len(set(rendered)) == 2
    assert rendered[0] == chart(breaking_even())


@pytest.mark.parametrize(
    "projection",
    [breaking_even(), breaking_even_late(), only_hybrid_breaking_even(), never_breaking_even()],
    ids=["both-early", "late", "hybrid-only", "none"],
)
def test_break_even_labels_stay_inside_the_axes_and_off_the_lines(projection: Projection) -> None:
    # They used to be annotations beside the point, which could cover the
    # y-axis tick labels; they are legend entries now.
    with matplotlib.rc_context(charts._RC):
        figure = charts._draw(ChartData.of(snapshot_of(projection)), charts.DEFAULT_TITLE)
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
