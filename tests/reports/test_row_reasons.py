"""Why each row of the cost table is or is not the recommendation (decision model v3)."""

from __future__ import annotations

from typing import Any

from advisor.reports.report_sections import option_cost_rows, serving_sentences
from advisor.snapshot import ResultSnapshot


def option(adjusted: float, **extra: Any) -> dict[str, Any]:
    return {
        "tco_usd": adjusted * 0.9,
        "adjusted_tco_usd": adjusted,
        "cost_per_1k_queries_usd": adjusted / 1_000_000,
        **extra,
    }


def v3_result(recommendation: str, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "recommendation": recommendation,
        "excluded": {},
        "decision_rule": {"rule": "cheapest_adjusted_with_default_margin", "margin_pct": 10.0},
        "router": None,
        "costs": {
            "horizon_months": 36,
            "options": {
                "api": option(1_000_000),
                "open_api": option(600_000),
                "self_host": option(2_500_000),
                "hybrid": option(1_400_000),
            },
            "variants": {"api_router": {"tco_usd": 800_000, "cost_per_1k_queries_usd": 0.8}},
        },
    }
    return {**base, **overrides}


def reasons(result: dict[str, Any]) -> dict[str, str]:
    return {
        row.option: row.why
        for row in option_cost_rows(ResultSnapshot.from_dict(result), result["recommendation"])
    }


def test_the_recommendation_and_the_others_say_why_in_the_figures_beside_them() -> None:
    why = reasons(v3_result("open_api"))
    assert why["open_api"] == (
        "Recommended: the lowest adjusted cost, $400K (40%) less than the commercial API, "
        "more than the 10 % default margin"
    )
    assert why["api"] == "$400K more over 36 months than a hosted open model"
    assert why["self_host"] == "$1.90M more over 36 months than a hosted open model"
    assert why["api_router"] == (
        "A way to run the API: $200K more over 36 months than a hosted open model"
    )


def test_a_cheaper_option_within_the_margin_leaves_the_api_recommended() -> None:
    result = v3_result("api")
    result["costs"]["options"]["open_api"] = option(950_000)
    why = reasons(result)
    assert (
        why["api"]
        == "Recommended: no other option saves more than the 10 % default margin on the API"
    )
    assert why["open_api"] == (
        "$50.0K less than the commercial API over 36 months, but not more than the 10 % "
        "default margin: the API holds"
    )


def test_a_ruled_out_option_and_its_router_variant_give_the_gate() -> None:
    result = v3_result(
        "self_host",
        excluded={
            "api": ["Data may not leave your network"],
            "open_api": ["FedRAMP is required"],
            "hybrid": ["Data may not leave your network"],
        },
    )
    rows = {
        row.option: row for row in option_cost_rows(ResultSnapshot.from_dict(result), "self_host")
    }
    assert rows["api"].why == "Ruled out: data may not leave your network"
    assert rows["open_api"].why == "Ruled out: FedRAMP is required"  # an acronym keeps its case
    assert rows["api_router"].excluded
    assert rows["api_router"].why == "Ruled out: data may not leave your network"
    assert rows["self_host"].why == "Recommended: the only option your answers leave"


def test_the_router_row_shows_the_median_its_saving_is_worked_out_from() -> None:
    result = v3_result("api", router={"saves_usd": 150_000.0, "tco_usd": 850_000.0})
    result["costs"]["options"]["open_api"] = option(1_200_000)
    router = next(
        row for row in option_cost_rows(ResultSnapshot.from_dict(result), "api") if row.is_variant
    )
    assert router.tco_usd == 850_000.0
    assert router.why == (
        "Recommended with the API: routing the simple queries to a mini-class model saves "
        "about $150K over 36 months"
    )
    assert reasons(result)["api"] == "Recommended: the lowest adjusted cost"


def test_a_router_cheaper_than_the_recommendation_says_the_decision_does_not_count_it() -> None:
    result = v3_result("hybrid", excluded={"open_api": ["Frontier capability is required"]})
    result["costs"]["options"]["hybrid"] = option(700_000)
    result["costs"]["variants"]["api_router"]["tco_usd"] = 500_000
    why = reasons(result)
    assert why["hybrid"].startswith("Recommended: the lowest adjusted cost, $300K (30%) less")
    assert why["api_router"] == (
        "A way to run the API, $200K less over 36 months than the hybrid; the decision weighs "
        "the API without routing, so this saving is not counted"
    )


def test_the_configuration_the_planner_chose_is_said_with_who_chose_it() -> None:
    result = v3_result("api")
    result["assumptions"] = [
        {"label": "Self-hosted model: Llama 3.3 70B FP4 (1 x B200)"},
        {"label": "Hybrid small model: Llama 3.1 8B FP8 (1 x L4)"},
    ]
    result["notes"] = [
        "The capacity planner costed 5 measured GPU configurations for self-hosting and "
        "chose the cheapest for this workload: 1 x NVIDIA B200 per replica."
    ]
    result["given_answers"] = ["monthly_queries", "small_model"]
    assert serving_sentences(ResultSnapshot.from_dict(result)) == [
        "Self-hosting is costed on Llama 3.3 70B FP4 (1 x B200): the cheapest of the 5 measured "
        "GPU configurations the capacity planner tried for your volume, as no model was chosen "
        "in the cost step.",
        "The hybrid's small model is costed on Llama 3.1 8B FP8 (1 x L4), the model chosen in "
        "the cost step.",
    ]
