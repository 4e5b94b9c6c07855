"""What a v3 result shows agrees with itself: the chart ends on the table's adjusted TCO.

Over the scenario library (the admin preview's files): the chart's month-36
cumulative cost per option, printed as the page prints money, is the cost
table's adjusted TCO; the yearly table's years add up to it; and the
first-year overhead caveat's figures are the yearly table's "Year 1".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from advisor.assessments.results import build_snapshot
from advisor.assessments.templatetags.assessments import usd, usd_short
from advisor.reports.charts import ChartData
from advisor.reports.report_sections import confidence_sentence, option_cost_rows, yearly_costs
from advisor.rules.preview import SCENARIOS_DIR
from advisor.snapshot import ResultSnapshot

SCENARIOS = sorted(SCENARIOS_DIR.glob("*.json"))


def snapshot_of(path: Path) -> ResultSnapshot:
    answers: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["answers"]
    return build_snapshot(answers=answers, what_would_change=False)


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_chart_ends_on_the_tables_adjusted_tco(path: Path, seeded: None) -> None:
    snapshot = snapshot_of(path)
    chart = ChartData.of(snapshot)
    rows = {
        row.option: row
        for row in option_cost_rows(snapshot, snapshot.recommendation)
        if not row.is_variant and not row.is_plan
    }
    assert set(chart.cumulative_usd) <= set(rows)
    for option, line in chart.cumulative_usd.items():
        assert usd(line[-1]) == usd(rows[option].tco_usd), option
        assert rows[option].tco_usd == snapshot.costs.options[option].adjusted_tco_usd
        # The band is drawn around the same path.
        band = chart.bands.get(option)
        if band is not None:
            assert band[0][-1] <= line[-1] <= band[1][-1]
    yearly = {row.option: row for row in yearly_costs(snapshot).rows if row.kind == "option"}
    for option, row in yearly.items():
        assert usd(row.total) == usd(rows[option].tco_usd)
        assert usd(sum(row.values)) == usd(row.total)
        components = [
            item
            for item in yearly_costs(snapshot).rows
            if item.kind == "component" and item.option == option
        ]
        if components:
            assert usd_short(sum(item.total for item in components)) == usd_short(row.total)
    # The chart's description (its alt text) names the same totals.
    for option in chart.cumulative_usd:
        assert usd_short(rows[option].tco_usd) in snapshot.chart_description


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_break_even_months_are_the_charts_crossings(path: Path, seeded: None) -> None:
    snapshot = snapshot_of(path)
    chart = ChartData.of(snapshot)
    api = chart.cumulative_usd["api"]
    for option, month in chart.break_even_month.items():
        line = chart.cumulative_usd[option]
        after = range(month - 1 if month else len(line), len(line))
        assert all(line[index] <= api[index] for index in after), option
        if month is not None and month > 1:
            assert line[month - 2] > api[month - 2]
        if month is None:
            assert line[-1] > api[-1]


FIRST_YEAR_PHRASES = {"self_host": "self-hosting costs", "hybrid": "hybrid costs"}


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_first_year_overhead_caveat_speaks_of_the_year_1_shown(path: Path, seeded: None) -> None:
    snapshot = snapshot_of(path)
    recommendation = snapshot.recommendation
    caveats = [caveat for caveat in snapshot.caveats if caveat.code == "first_year_overhead"]
    if recommendation not in FIRST_YEAR_PHRASES:
        assert caveats == []
        return
    (caveat,) = caveats
    text = caveat.text
    table = yearly_costs(snapshot)
    assert table.periods[0] == "Year 1"
    year_1 = {row.option: row.values[0] for row in table.rows if row.kind == "option"}
    overhead = next(
        row.values[0]
        for row in table.rows
        if row.option == recommendation and row.label == "First-year overhead"
    )
    own, api = year_1[recommendation], year_1["api"]
    assert FIRST_YEAR_PHRASES[recommendation] in text.lower()
    assert f"{usd_short(own)}" in text and f"API's {usd_short(api)}" in text
    assert f"{usd_short(overhead)} of first-year overhead" in text
    assert ("more than the API's" in text) == (own > api)
    assert ("less than the API's" in text) == (own <= api)
    assert "adds 20-40 %" not in text


@pytest.mark.parametrize("name", ["soc2-perimeter", "hipaa-baa-insufficient"])
def test_the_sole_options_premium_is_read_from_the_adjusted_costs(name: str, seeded: None) -> None:
    snapshot = snapshot_of(SCENARIOS_DIR / f"{name}.json")
    options = snapshot.costs.options
    adjusted = {option: options[option].adjusted_tco_usd for option in ("self_host", "api")}
    assert adjusted["self_host"] is not None and adjusted["api"] is not None
    ratio = adjusted["self_host"] / adjusted["api"]
    sentence = confidence_sentence(snapshot)
    assert "leave only self-hosting" in sentence
    assert f"about {ratio:.1f} times the API's cost" in sentence
