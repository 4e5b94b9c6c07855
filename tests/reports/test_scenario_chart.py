"""The scenarios' chart: a line per scored scenario, its legend under the plot."""

from __future__ import annotations

from advisor.assessments.comparison import ScenarioColumn, ScenarioOutcome, comparison_of
from advisor.reports.charts import PHONE, TEXT_EM
from advisor.reports.scenario_chart import scenario_chart


def outcome(recommendation: str | None, monthly: float) -> ScenarioOutcome:
    curves = {
        "api": tuple(monthly * month for month in range(1, 37)),
        "self_host": tuple(monthly / 2 * month for month in range(1, 37)),
    }
    return ScenarioOutcome(
        recommendation=recommendation,
        confidence=0.7,
        horizon_months=36,
        tco_usd={option: curve[-1] for option, curve in curves.items()},
        adjusted=False,
        break_even_month={"self_host": 4},
        cumulative_usd=curves,
    )


def test_one_line_per_scored_scenario_with_the_legend_under_the_plot() -> None:
    comparison = comparison_of(
        outcome("self_host", 1000.0),
        [
            ScenarioColumn("Volume x3", ("Volume: 3",), outcome("api", 3000.0), variant_id=1),
            ScenarioColumn("Stale", (), None, variant_id=2, problem="no longer fits"),
            ScenarioColumn("Ruled out", (), outcome(None, 500.0), variant_id=3),
        ],
    )
    chart = scenario_chart(comparison)
    assert chart is not None
    assert [entry.label for entry in chart.legend.entries] == [
        "As answered: Self-hosted",
        "Volume x3: Commercial API",
        "Ruled out: every option ruled out (API shown)",
    ]
    assert len(chart.series) == 3
    assert (
        chart.legend.y > chart.plot.bottom and chart.legend.y + chart.legend.height < chart.height
    )
    # The API line of "Volume x3" is the highest: it reaches the top tick's side of the plot.
    tops = [min(y for _x, y in line.points) for line in chart.series]
    assert tops[1] == min(tops)
    assert "Volume x3: Commercial API $108K" in chart.description


def test_no_chart_with_fewer_than_two_scored_scenarios() -> None:
    comparison = comparison_of(
        outcome("api", 1000.0), [ScenarioColumn("Stale", (), None, variant_id=1)]
    )
    assert scenario_chart(comparison) is None


def test_the_phone_drawing_is_narrower_with_larger_labels_that_fit_it() -> None:
    long_name = "Volume tripled, residency in the EU, reserved GPUs for three years"
    comparison = comparison_of(
        outcome("self_host", 1000.0),
        [ScenarioColumn(long_name, (), outcome("api", 3000.0), variant_id=1)],
    )
    chart = scenario_chart(comparison, size=PHONE)
    assert chart is not None
    assert (chart.width, chart.font_size, chart.id_suffix) == (PHONE.width, 12, "-phone")
    assert chart.legend.y + chart.legend.height < chart.height
    # Each label, at the phone's font, fits between its line sample and the right edge.
    room = chart.width - chart.legend.entries[0].text_x
    assert all(len(entry.label) * 12 * TEXT_EM <= room for entry in chart.legend.entries)
    assert chart.legend.entries[1].label.endswith("…")
