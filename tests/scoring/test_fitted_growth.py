"""A growth rate fitted from a short usage history: its range is drawn, its month-36 volume
shown, and above 10 times today's volume it stops there, with the caveat saying so."""

from __future__ import annotations

from typing import Any

from advisor.assessments.usage import fitted_growth_range
from advisor.reports.report_sections import growth_sentence
from advisor.rules.services import advice_for_answers
from advisor.scoring.effects import Triangle
from advisor.snapshot import ResultSnapshot

ANSWERS = {"monthly_queries": 5_000_000, "has_production_data": True, "load_pattern": "steady"}


def usage_import(value: float, low: float, high: float) -> dict[str, Any]:
    return {
        "figures": {"monthly_growth_pct": {"value": value, "low": low, "high": high}},
        "accepted": {"monthly_growth_pct": value},
    }


def test_the_range_applies_while_the_answer_is_the_measured_value() -> None:
    imported = usage_import(4.0, 1.5, 6.5)
    assert fitted_growth_range(imported, {"monthly_growth_pct": 4.0}) == Triangle(1.5, 4.0, 6.5)
    # Edited by the buyer: the answer is theirs, fixed like any answer given.
    assert fitted_growth_range(imported, {"monthly_growth_pct": 5.0}) is None
    assert fitted_growth_range(None, {"monthly_growth_pct": 4.0}) is None
    no_range = {
        "figures": {"monthly_growth_pct": {"value": 4.0}},
        "accepted": {"monthly_growth_pct": 4.0},
    }
    assert fitted_growth_range(no_range, {"monthly_growth_pct": 4.0}) is None


def test_a_fitted_range_widens_the_costs_and_the_month_36_volume_is_shown(seeded: None) -> None:
    answers = {**ANSWERS, "monthly_growth_pct": 4.0}
    fixed = advice_for_answers(answers=answers).to_dict()
    fitted = advice_for_answers(answers=answers, growth_range=Triangle(1.0, 4.0, 7.0)).to_dict()

    def spread(result: dict[str, Any]) -> float:
        band = result["costs"]["options"]["api"]["adjusted_tco_usd_range"]
        return float(band["p90"] - band["p10"])

    assert spread(fitted) > spread(fixed) * 1.3
    month_36 = 5_000_000 * 1.04**35
    assert fitted["costs"]["month_36_monthly_queries"] == round(month_36)
    sentence = growth_sentence(ResultSnapshot.from_dict(fitted))
    assert "19.7M queries a month by month 36" in sentence
    assert "3.9 times today's 5M" in sentence


def test_a_fitted_growth_above_ten_times_stops_there_and_says_so(seeded: None) -> None:
    answers = {**ANSWERS, "monthly_growth_pct": 12.0}
    fitted = advice_for_answers(answers=answers, growth_range=Triangle(8.0, 12.0, 16.0)).to_dict()
    assert fitted["costs"]["month_36_monthly_queries"] == 50_000_000
    (caveat,) = [item for item in fitted["caveats"] if item["code"] == "growth_above_10x"]
    assert "fitted from your usage data, 12.0 % a month" in caveat["text"]
    assert "53 times today's volume" in caveat["text"]
    assert "about 50M queries a month by month 36" in caveat["text"]
    # Given by the buyer, the growth is costed as given, and the caveat says that.
    given = advice_for_answers(answers=answers).to_dict()
    (caveat,) = [item for item in given["caveats"] if item["code"] == "growth_above_10x"]
    assert "The projection assumes 12.0 % growth" in caveat["text"]
    assert given["costs"]["month_36_monthly_queries"] > 250_000_000
