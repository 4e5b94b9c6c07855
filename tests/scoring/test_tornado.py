"""The v3 tornado's bars: each option's adjusted median moved by what one input's end
moves its cost in the one-at-a-time sweep, so the base is the cost table's ratio."""

from __future__ import annotations

import json

import pytest

from advisor.rules.preview import SCENARIOS_DIR
from advisor.rules.services import advice_for_answers
from advisor.scoring.tornado import compared, tornado_figures
from advisor.snapshot import ResultSnapshot


def advice_of(name: str) -> object:
    raw = json.loads((SCENARIOS_DIR / f"{name}.json").read_text(encoding="utf-8"))["answers"]
    return advice_for_answers(answers=raw)


def test_each_bar_moves_the_adjusted_figures_by_the_sweep(brief_ruleset: object) -> None:
    advice = advice_of("cost-driven-mid-volume")  # a hosted open model against self-hosting
    verdict, swings = advice.verdict, advice.uncertainty.sensitivity  # type: ignore[attr-defined]
    assert compared(verdict) == ("open_api", "self_host")
    figures = tornado_figures(swings, verdict)
    assert figures is not None
    mine = verdict.options["open_api"].adjusted_tco_usd
    theirs = verdict.options["self_host"].adjusted_tco_usd
    assert figures["base_ratio"] == round(mine / theirs, 4)
    by_key = {swing.key: swing for swing in swings}
    for row in figures["rows"]:
        swing = by_key[row["assumption"]]
        for end, name in enumerate(("low", "high")):
            moved_mine = mine + swing.tco_usd["open_api"][end] - swing.base_tco_usd["open_api"]
            moved_theirs = (
                theirs + swing.tco_usd["self_host"][end] - swing.base_tco_usd["self_host"]
            )
            assert row["ratio"][name] == pytest.approx(moved_mine / moved_theirs, abs=1e-4)
    # The GPU prices' trend moves self-hosting's cost only: a bar here.
    assert "gpu_price_trend_pct_per_year" in {row["assumption"] for row in figures["rows"]}
    spreads = [abs(row["ratio"]["high"] - row["ratio"]["low"]) for row in figures["rows"]]
    assert spreads == sorted(spreads, reverse=True)


def test_two_per_token_options_get_no_gpu_bar(brief_ruleset: object) -> None:
    """A hosted open model against the API: GPU prices move neither, so they have no bar."""
    advice = advice_of("low-volume-no-compliance")
    verdict, swings = advice.verdict, advice.uncertainty.sensitivity  # type: ignore[attr-defined]
    assert compared(verdict) == ("open_api", "api")
    gpu = {"gpu_price", "gpu_price_trend_pct_per_year"}
    assert gpu <= {swing.key for swing in swings}  # both are in the sweep
    figures = tornado_figures(swings, verdict)
    assert figures is not None and figures["rows"]
    assert not gpu & {row["assumption"] for row in figures["rows"]}


def test_a_recommended_plan_is_measured_from_where_it_starts(brief_ruleset: object) -> None:
    from advisor.reports.report_sections import _dearer_note

    plan = {"recommended": True, "start": "api", "then": "self_host"}
    result = {
        "decision_rule": {"rule": "lowest adjusted cost", "default": "api", "margin_pct": 10},
        "plan": {**plan, "trigger_monthly_queries": 50_000_000, "tco_usd": 1_000_000.0},
    }
    assert _dearer_note(ResultSnapshot.from_dict(result), "api", "open_api") == (
        "The commercial API is where the recommended plan starts; the plan as a whole is the "
        "cheapest choice."
    )
