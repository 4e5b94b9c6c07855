from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date

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


def test_no_marker_without_break_even() -> None:
    svg = cumulative_cost_chart_svg(never_breaking_even())

    assert "break-even-" not in svg
    assert "does not break even with the API within 36 months" in svg


def test_svg_is_inlinable_and_self_contained() -> None:
    svg = cumulative_cost_chart_svg(breaking_even())

    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg
    assert "<metadata" not in svg
    # Glyphs are paths: no font to fetch, no external reference.
    assert "<text" not in svg
    assert "http://" not in svg.replace('"http://www.w3.org/', "")


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
