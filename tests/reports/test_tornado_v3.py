"""Decision model v3's tornado: the recommendation's cost against the runner-up's.

Over the scenario library, its base ratio is the ratio of the two rows the cost table
shows, both options are named, and every sentence beside it agrees with its bars;
with one option left it is absent and says why; a result stored before it (self-hosting
against the API) keeps its original wording.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string

from advisor.options import OPTION_PHRASES
from advisor.reports.report_sections import (
    cost_tornado,
    option_cost_rows,
    tornado_absent,
    uncertainty_view,
)
from advisor.rules.preview import SCENARIOS_DIR
from advisor.rules.services import advice_for_answers
from advisor.scoring.effects import Triangle
from advisor.snapshot import ResultSnapshot

SCENARIOS = sorted(SCENARIOS_DIR.glob("*.json"))


def scored(path: Path) -> dict[str, Any]:
    raw = json.loads(path.read_text(encoding="utf-8"))["answers"]
    return advice_for_answers(answers=raw).to_dict()


def runner_up(result: dict[str, Any], option: str) -> str | None:
    """The allowed option with the next-lowest figure in the cost table."""
    rows = [
        row
        for row in option_cost_rows(ResultSnapshot.from_dict(result), result["recommendation"])
        if not (row.is_variant or row.is_plan or row.excluded) and row.option != option
    ]
    return min(rows, key=lambda row: row.tco_usd).option if rows else None


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_the_base_ratio_is_the_cost_tables_and_both_options_are_named(
    path: Path, brief_ruleset: object
) -> None:
    result = scored(path)
    option = result["recommendation"]
    against = runner_up(result, option)
    measured = result["costs"]["tornado"]
    assert (measured["option"], measured["against"]) == (option, against)
    chart = cost_tornado(ResultSnapshot.from_dict(result))
    if against is None:
        assert chart is None
        assert OPTION_PHRASES[option] in tornado_absent(ResultSnapshot.from_dict(result))
        assert "nothing to measure it against" in tornado_absent(ResultSnapshot.from_dict(result))
        return
    assert chart is not None and not chart.legacy
    table = {
        row.option: row.tco_usd
        for row in option_cost_rows(ResultSnapshot.from_dict(result), option)
    }
    assert chart.base_ratio == table[option] / table[against]
    assert measured["base_ratio"] == pytest.approx(chart.base_ratio, abs=1e-4)
    assert (chart.option, chart.against) == (OPTION_PHRASES[option], OPTION_PHRASES[against])
    named = f"The cost of {OPTION_PHRASES[option]} relative to {OPTION_PHRASES[against]}"
    assert chart.caption.startswith(named)
    assert chart.parity_label == f"1x: the cost of {OPTION_PHRASES[against]}"
    assert tornado_absent(ResultSnapshot.from_dict(result)) == ""
    assert_sentences_agree(chart)


def assert_sentences_agree(chart: Any) -> None:
    base = f"{chart.base_ratio:.2f}x"
    for text in (chart.caption, chart.table_caption):
        assert f"({base} with every input" in text or f": {base} with every input" in text
        if chart.base_ratio < 1:
            assert "stays cheaper" in text and "would be cheaper" not in text
        else:
            assert "would be cheaper" in text and "stays cheaper" not in text
    for row, sentence in chart.row_sentences:
        assert sentence == (
            f"{chart.option} at {row.low_ratio:.2f}x to {row.high_ratio:.2f}x the cost of "
            f"{chart.against}"
        )
    assert chart.rows, "a tornado with no bar is not drawn"


def test_a_recommendation_dearer_than_the_runner_up_says_why(brief_ruleset: object) -> None:
    """The API held by the default margin: its bars sit above 1x, and the caption says so."""
    result = scored(SCENARIOS_DIR / "low-volume-no-compliance.json")
    options = result["costs"]["options"]
    # As if the hosted open model undercut the API by less than the margin.
    options["open_api"]["adjusted_tco_usd"] = options["api"]["adjusted_tco_usd"] / 1.05
    result["recommendation"] = "api"
    result["costs"]["tornado"] = {
        "option": "api",
        "against": "open_api",
        "base_ratio": 1.05,
        "rows": [
            {"label": "Output tokens per query", "unit": "tokens", "low": 150, "high": 800,
             "ratio": {"low": 1.02, "high": 1.09}},
        ],
    }  # fmt: skip
    chart = cost_tornado(ResultSnapshot.from_dict(result))
    assert chart is not None
    assert chart.base_ratio == pytest.approx(1.05)
    assert "below 1x the commercial API would be cheaper than a hosted open model" in chart.caption
    assert "unless another option is cheaper by more than the 10 % default margin" in chart.caption
    assert_sentences_agree(chart)


def test_a_result_stored_before_keeps_its_wording(brief_ruleset: object) -> None:
    """No ``costs["tornado"]``: self-hosting against the API, worded as it was."""
    result = scored(SCENARIOS_DIR / "cost-driven-mid-volume.json")
    del result["costs"]["tornado"]
    chart = cost_tornado(ResultSnapshot.from_dict(result))
    assert chart is not None and chart.legacy
    options = result["costs"]["options"]
    assert chart.base_ratio == options["self_host"]["tco_usd"] / options["api"]["tco_usd"]
    assert chart.caption.startswith(
        "Self-hosting's cost over the horizon as a multiple of the API's: "
    )
    svg = unescape(render_to_string("reports/_tornado_svg.html", {"tornado": chart}))
    assert (
        '<title id="tornado-title">What moves self-hosting\'s cost against the API</title>' in svg
    )
    assert ">1x: the API's cost</text>" in svg
    assert "below 1 self-hosting is cheaper" in svg
    html = unescape(render_to_string("reports/_tornado.html", {"tornado": chart}))
    assert "The tornado's data: self-hosting's cost as a multiple of the API's" in html
    for _, sentence in chart.row_sentences:
        assert re.fullmatch(r"self-hosting at \S+x to \S+x the API's cost", sentence)


def test_one_option_left_shows_why_there_is_no_tornado(brief_ruleset: object) -> None:
    result = scored(SCENARIOS_DIR / "soc2-perimeter.json")
    view = uncertainty_view(ResultSnapshot.from_dict(result))
    assert view.tornado is None
    assert view.tornado_absent == (
        "There is no chart of what moves the costs: only self-hosting is left, every other "
        "option being ruled out, so there is nothing to measure it against."
    )


GROWTH = "monthly_growth_pct"
GROWING = {
    "monthly_queries": 20_000_000,
    "monthly_growth_pct": 3.0,
    "has_production_data": True,
    "load_pattern": "steady",
}


def growth_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for row in result["costs"]["tornado"]["rows"] if row["assumption"] == GROWTH]


def test_a_fitted_growth_range_is_the_growth_rows_range(brief_ruleset: object) -> None:
    fitted = advice_for_answers(answers=GROWING, growth_range=Triangle(0.5, 3.0, 6.0)).to_dict()
    (row,) = growth_rows(fitted)
    assert (row["low"], row["base"], row["high"]) == (0.5, 3.0, 6.0)
    assert row["label"] == "Monthly volume growth (fitted from usage)"
    chart = cost_tornado(ResultSnapshot.from_dict(fitted))
    assert chart is not None
    (bar,) = [bar for bar in chart.rows if bar.label == row["label"]]
    assert bar.range_text == "0.5 to 6 % per month"
    # Growing faster costs every option more: the two ends move the ratio apart.
    assert row["ratio"]["low"] != row["ratio"]["high"]


def test_a_fitted_growth_is_swept_only_as_far_as_the_draws_take_it(brief_ruleset: object) -> None:
    answers = {**GROWING, "monthly_growth_pct": 12.0}
    fitted = advice_for_answers(answers=answers, growth_range=Triangle(2.0, 12.0, 16.0)).to_dict()
    cap = (10 ** (1 / 35) - 1) * 100  # the draws stop at 10x today's volume by month 36
    rows = growth_rows(fitted)
    assert [(row["low"], row["base"], row["high"]) for row in rows] == [(2.0, cap, cap)]


def test_without_a_fitted_range_the_growth_row_is_as_before(brief_ruleset: object) -> None:
    given = advice_for_answers(answers=GROWING).to_dict()
    assert growth_rows(given) == []  # a given growth is not swept
    defaulted = {key: value for key, value in GROWING.items() if key != GROWTH}
    (row,) = growth_rows(advice_for_answers(answers=defaulted).to_dict())
    assert (row["low"], row["base"], row["high"], row["label"]) == (
        -2,
        0.0,
        5,
        "Monthly volume growth",
    )
