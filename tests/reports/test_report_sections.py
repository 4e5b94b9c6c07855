"""The report's tables and sentences, shaped from small hand-made snapshots.

The cover's key figures and the open-check wording have files of their own
(test_key_figures.py, test_confidence_wording.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from advisor.reports.report_sections import (
    break_even_range_sentences,
    confidence_sentence,
    confidence_words,
    cost_tornado,
    default_answer_keys,
    monthly_totals,
    option_cost_rows,
    option_label,
    strongest_reasons,
    uncertainty_view,
    workload_line,
    yearly_costs,
)
from advisor.snapshot import Costs, FiredRule, ResultSnapshot

TCO = {"api": 3_600.0, "self_host": 7_200.0, "hybrid": 5_400.0}


def option(tco: float, months: int = 36, **extra: Any) -> dict[str, Any]:
    """An option whose cost is spread evenly over ``months``."""
    return {
        "tco_usd": tco,
        "cost_per_1k_queries_usd": tco / 1000,
        "monthly_usd": [tco / months] * months,
        **extra,
    }


def stored(months: int = 36, **overrides: Any) -> dict[str, Any]:
    """A result as stored (JSON)."""
    base: dict[str, Any] = {
        "recommendation": "api",
        "confidence": 0.82,
        "excluded": {},
        "answers": {},
        "costs": {
            "horizon_months": months,
            "options": {name: option(tco, months) for name, tco in TCO.items()},
        },
    }
    return {**base, **overrides}


def result(months: int = 36, **overrides: Any) -> ResultSnapshot:
    """The stored result, read as every surface reads it."""
    return ResultSnapshot.from_dict(stored(months, **overrides))


def rule(code: str, *, excludes: tuple[str, ...] = (), delta: float = 0) -> FiredRule:
    effect = {"excludes": list(excludes), "score_deltas": {"api": delta}}
    return FiredRule(code=code, title=code, rationale="", effect=effect)


def test_an_unknown_option_is_labelled_by_its_key() -> None:
    assert option_label("self_host") == "Self-hosted"
    assert option_label("on_device") == "on_device"


def test_the_strongest_reasons_are_the_rules_that_moved_a_score_or_excluded() -> None:
    fired = [
        rule("caveat-only"),
        rule("excludes", excludes=("self_host",)),
        rule("scores", delta=2),
        rule("zero", delta=0),
        rule("more", delta=-1),
    ]
    codes = [reason.code for reason in strongest_reasons(fired, count=2)]
    assert codes == ["excludes", "scores"]


def test_only_caveat_rules_fired_are_the_reasons_all_the_same() -> None:
    fired = [rule("first"), rule("second")]
    assert [reason.code for reason in strongest_reasons(fired)] == ["first", "second"]


def test_cost_rows_list_the_options_then_the_variants() -> None:
    costs = stored()["costs"]
    costs["options"]["api"]["tco_usd_range"] = {"p10": 3_000.0, "p90": 4_500.0}
    costs["variants"] = {"api_router": option(3_100.0)}
    costs["probability_cheapest"] = {"api": 0.7, "hybrid": 0.3}
    costs["break_even_month"] = {"self_host": 30}
    rows = option_cost_rows(result(costs=costs, excluded={"hybrid": ["GPU region"]}), "api")
    assert [(row.option, row.label, row.is_variant) for row in rows] == [
        ("api", "Commercial API", False),
        ("self_host", "Self-hosted", False),
        ("hybrid", "Hybrid", False),
        ("api_router", "API with a router", True),
    ]
    api, self_host, hybrid, router = rows
    assert (api.is_recommended, api.tco_p10, api.tco_p90, api.probability_cheapest) == (
        True,
        3_000.0,
        4_500.0,
        0.7,
    )
    assert (self_host.break_even_month, self_host.tco_p10, self_host.probability_cheapest) == (
        30,
        None,
        None,
    )
    assert hybrid.excluded
    assert router.probability_cheapest is None  # a variant is not one of the choices


def test_no_confidence_sentence_without_an_uncertainty_analysis() -> None:
    assert confidence_sentence(result()) == ""


def test_confidence_sentence_counts_the_worlds_and_the_open_checks() -> None:
    costs = {**stored()["costs"], "uncertainty": {"draws": 500, "decision_draws": 200}}
    assert confidence_sentence(result(costs=costs)) == (
        "In 82% of 200 plausible price and volume worlds (drawn from the ranges of the "
        "assumptions and of the answers you left at their defaults), the commercial API stays "
        "the best choice."
    )
    costs["uncertainty"]["open_checks"] = ["hipaa_baa_sufficient", "fedramp"]
    assert confidence_sentence(result(costs=costs)).endswith(
        "stays the best choice whichever way the 2 open checks turn out."
    )


def test_the_sole_compliant_option_is_worded_by_its_cost_not_its_odds() -> None:
    costs = {**stored()["costs"], "uncertainty": {"draws": 500}}
    sole = result(
        recommendation="self_host",
        costs=costs,
        excluded={"api": ["Data residency"], "hybrid": ["Data residency"]},
    )
    assert confidence_sentence(sole) == (
        "Your compliance answers leave only self-hosting in every plausible world; what "
        "remains uncertain is its cost, at about 2.0 times the API's cost over 36 months."
    )


def test_break_even_ranges_read_from_p10_to_p90() -> None:
    ranges = {
        "self_host": {"p10": 8_000_000, "p50": 13_600_000, "p90": None},
        "hybrid": None,
    }
    # In words: the P10 and P90 are named only under "How this was worked out".
    assert break_even_range_sentences(Costs.from_dict({"break_even_monthly_queries": ranges})) == [
        "Across plausible prices and volumes, self-hosted breaks even from about 8M queries a "
        "month in the favourable ones, and not at all in the unfavourable ones.",
        "Hybrid does not break even with the API for most plausible prices and volumes.",
    ]
    ranges["self_host"]["p90"] = 33_353_325.6
    first = break_even_range_sentences(Costs.from_dict({"break_even_monthly_queries": ranges}))[0]
    assert first == (
        "Across plausible prices and volumes, self-hosted likely breaks even between about 8M "
        "and 33.4M queries a month."
    )
    # The median is not printed: the base case's break-even is said beside it.
    assert "13.6M" not in first
    assert break_even_range_sentences(Costs.from_dict({})) == []


def test_a_tornado_needs_inputs_that_move_self_hostings_ratio() -> None:
    moving = {
        "label": "GPU price",
        "unit": "USD/h",
        "low": 1.5,
        "high": 3.0,
        "ratio_self_host_to_api": {"low": 1.5, "high": 2.6},
    }
    still = {
        "label": "Router share",
        "low": 10,
        "high": 40,
        "ratio_self_host_to_api": {"low": 2.0, "high": 2.0},
    }
    costs = {**stored()["costs"], "sensitivity": [moving, still]}
    chart = cost_tornado(result(costs=costs))
    assert chart is not None
    assert [row.label for row in chart.rows] == ["GPU price"]
    assert chart.base_ratio == 2.0  # 7,200 / 3,600
    assert cost_tornado(result()) is None


def test_a_long_tornado_label_wraps_whole_and_its_row_grows() -> None:
    def row(label: str) -> dict[str, object]:
        return {
            "label": label,
            "low": 0,
            "high": 1,
            "ratio_self_host_to_api": {"low": 1.5, "high": 2.6},
        }

    long_label = "Share of a benchmark's peak throughput served under latency targets"
    costs = {**stored()["costs"], "sensitivity": [row(long_label), row("GPU price")]}
    chart = cost_tornado(result(costs=costs))
    assert chart is not None
    wrapped, short = chart.rows

    assert short.label_lines == ((short.text_y, "GPU price"),)
    # The whole label, never cut with "…" (the PDF once read "latency…").
    assert [text for _, text in wrapped.label_lines] == [
        "Share of a benchmark's peak",
        "throughput served under latency",
        "targets",
    ]
    # The lines centred on the bar's baseline, 12 units apart.
    (first_y, _), (middle_y, _), (last_y, _) = wrapped.label_lines
    assert (middle_y, last_y - first_y) == (wrapped.text_y, 24)
    # The three-line row is a line taller, so the next row's label clears it.
    assert short.label_lines[0][0] - last_y >= 12


def test_uncertainty_view_keeps_only_the_assumption_crossings() -> None:
    changes = [
        {"kind": "assumption", "text": "If GPUs cost 40% less, self-hosting wins."},
        {"kind": "answer", "text": "Load pattern: spiky"},
    ]
    view = uncertainty_view(result(what_would_change=changes))
    assert view.assumption_changes == ["If GPUs cost 40% less, self-hosting wins."]
    assert [row.option for row in view.cost_rows] == ["api", "self_host", "hybrid"]
    assert view.confidence_sentence == ""
    assert view.tornado is None


def test_workload_line_names_volume_load_and_simple_share() -> None:
    answers = {
        "monthly_queries": 300_000_000,
        "load_pattern": "business_hours",
        "simple_query_share_pct": 40,
    }
    assert workload_line(answers) == (
        "About 300M queries a month, business-hours load, 40% of them simple"
    )
    assert workload_line({"load_pattern": "nonsense", "simple_query_share_pct": 0}) == ""


def test_yearly_costs_sum_each_year_and_name_a_part_year_by_its_months() -> None:
    table = yearly_costs(result(months=30, recommendation="hybrid", excluded={"api": ["x"]}))
    assert table.periods == ("Year 1", "Year 2", "Months 25\u201330")
    api = table.rows[0]
    assert api.values == (1_440.0, 1_440.0, 720.0)  # 3,600 over 30 months: 120 a month
    assert (api.total, api.excluded, api.is_recommended) == (3_600.0, True, False)
    assert [row.is_recommended for row in table.rows if row.option == "hybrid"] == [True]


def test_yearly_costs_break_an_option_down_only_into_two_or_more_components() -> None:
    result_ = stored(months=12)
    options = result_["costs"]["options"]
    options["api"]["components"] = {"api_tokens": [300.0] * 12, "gpus": [0.0] * 12}
    options["self_host"]["components"] = {"gpus": [500.0] * 12, "operations": [100.0] * 12}
    rows = yearly_costs(ResultSnapshot.from_dict(result_)).rows
    assert [(row.option, row.label, row.kind) for row in rows] == [
        ("api", "Commercial API", "option"),
        ("self_host", "Self-hosted", "option"),
        ("self_host", "GPUs", "component"),
        ("self_host", "Operations", "component"),
        ("hybrid", "Hybrid", "option"),
    ]
    assert rows[2].values == (6_000.0,)
    assert rows[2].total == 6_000.0


def test_monthly_totals_add_a_subtotal_per_year_and_the_total() -> None:
    rows = monthly_totals(result(months=14).costs)
    labels = [row.label for row in rows]
    assert labels[:2] == ["1", "2"]
    assert labels[12:] == ["Months 1\u201312", "13", "14", "Months 13\u201314", "Total"]
    assert [row.kind for row in rows[-3:]] == ["month", "subtotal", "total"]
    assert rows[12].values == pytest.approx((3_600 / 14 * 12, 7_200 / 14 * 12, 5_400 / 14 * 12))
    assert rows[-1].values == (3_600.0, 7_200.0, 5_400.0)


def test_default_answers_are_those_the_buyer_did_not_give() -> None:
    answers = {"monthly_queries": 1, "load_pattern": "steady", "gpu": "h100"}
    assert default_answer_keys(result(answers=answers), {"monthly_queries"}) == {
        "load_pattern",
        "gpu",
    }


def test_default_answers_come_from_the_snapshot_without_an_assessment() -> None:
    answers = {"monthly_queries": 1, "load_pattern": "steady"}
    stored = result(answers=answers, given_answers=["load_pattern"])
    assert default_answer_keys(stored, None) == {"monthly_queries"}


def test_default_answers_fall_back_to_what_the_uncertainty_analysis_drew() -> None:
    costs = {**stored()["costs"], "uncertainty": {"uncertain_answers": ["gpu"]}}
    assert default_answer_keys(result(costs=costs), None) == {"gpu"}
    assert default_answer_keys(result(), None) == frozenset()


def test_confidence_words_have_two_thresholds() -> None:
    assert [confidence_words(value) for value in (None, 0.49, 0.5, 0.74, 0.75)] == [
        "low",
        "low",
        "moderate",
        "moderate",
        "high",
    ]


def test_the_tables_by_year_and_month_carry_the_hosted_open_model_in_its_own_column() -> None:
    options = {name: option(tco) for name, tco in {**TCO, "open_api": 900.0}.items()}
    costs = {"horizon_months": 36, "options": options}
    total = monthly_totals(Costs.from_dict(costs))[-1]
    # Columns in the chart's order: API, hosted open model, self-hosted, hybrid.
    assert total.values == (3_600.0, 900.0, 7_200.0, 5_400.0)
    yearly = yearly_costs(result(costs=costs))
    assert [row.option for row in yearly.rows if row.kind == "option"] == [
        "api",
        "open_api",
        "self_host",
        "hybrid",
    ]
