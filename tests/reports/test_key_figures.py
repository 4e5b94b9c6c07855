"""The cover's three key figures and the shared "what would change" wording (pure helpers)."""

from __future__ import annotations

from advisor.reports import report_sections
from advisor.snapshot import ResultSnapshot


def result(
    recommendation: str | None,
    tco: dict[str, float],
    excluded: tuple[str, ...] = (),
    reason: str = "ruled out",
) -> ResultSnapshot:
    options = {
        option: {
            "tco_usd": value,
            "cost_per_1k_queries_usd": 1.0,
            "tco_usd_range": {"p10": value * 0.8, "p90": value * 1.5},
        }
        for option, value in tco.items()
    }
    return ResultSnapshot.from_dict(
        {
            "recommendation": recommendation,
            "confidence": 0.72,
            "excluded": {option: [reason] for option in excluded},
            "answers": {"monthly_queries": 10_000_000},
            "costs": {
                "horizon_months": 36,
                "options": options,
                "uncertainty": {"draws": 500, "decision_draws": 60},
                "break_even_volume_multiplier": {"self_host": 1.36, "hybrid": 0.5},
            },
        }
    )


TCO = {"api": 4_461_234.0, "self_host": 16_514_313.0, "hybrid": 18_872_155.0}


def test_cheapest_recommendation_shows_its_saving() -> None:
    total, comparison, confidence = report_sections.key_figures(result("api", TCO))
    assert (total.label, total.value) == ("Commercial API: total cost over 36 months", "$4.46M")
    assert total.detail == "Likely $3.57M to $6.69M"
    assert (comparison.label, comparison.value) == ("Less than self-hosting", "$12.1M")
    assert (confidence.value, confidence.detail) == (
        "Moderate",
        "It stays the best choice in 72% of the plausible prices and volumes we tried",
    )


def test_sole_compliant_option_is_compared_with_the_ruled_out_api_as_a_ratio() -> None:
    figures = report_sections.key_figures(
        result(
            "self_host",
            {**TCO, "hybrid": 30e6},
            excluded=("api", "hybrid"),
            reason="HIPAA where the provider's BAA is insufficient",
        )
    )
    comparison = figures[1]
    assert comparison.label == "More than the commercial API (ruled out)"
    assert comparison.value == "3.7 times"
    # Not "the reasons outweigh the difference": the answers leave the API out.
    assert comparison.detail == (
        "Commercial API (ruled out): $4.46M over 36 months; it is ruled out (HIPAA where "
        "the provider's BAA is insufficient), so the difference is what that costs"
    )


def test_sole_allowed_option_is_set_against_the_api_not_a_cheaper_ruled_out_option() -> None:
    # A HIPAA workload without a BAA: the ruled-out hybrid is cheaper than the API,
    # but what the constraint costs is measured against the brief's default.
    figures = report_sections.key_figures(
        result(
            "self_host",
            {"api": 49_267_591.0, "self_host": 16_514_313.0, "hybrid": 18_872_155.0},
            excluded=("api", "hybrid"),
        )
    )
    comparison = figures[1]
    assert (comparison.label, comparison.value) == (
        "Less than the commercial API (ruled out)",
        "$32.8M",
    )
    assert comparison.detail == "Commercial API (ruled out): $49.3M over 36 months"


def test_what_would_change_says_volume_cannot_bring_a_ruled_out_api_back() -> None:
    sole = report_sections.what_would_change(result("self_host", TCO, excluded=("api", "hybrid")))
    assert sole.volume_note.startswith("The commercial API is ruled out, so no volume")
    assert report_sections.what_would_change(result("api", TCO)).volume_note == ""
    nothing_allowed = result(None, TCO, excluded=tuple(TCO))
    assert report_sections.what_would_change(nothing_allowed).volume_note == ""


def test_a_move_off_the_api_is_set_against_the_api_not_the_runner_up() -> None:
    # The 300M/month app: the hybrid is recommended, self-hosting is cheaper still,
    # but the figure a buyer on the API weighs is the saving against the API.
    comparison = report_sections.key_figures(result("hybrid", {**TCO, "api": 49_267_591.0}))[1]
    assert (comparison.label, comparison.value) == ("Less than the commercial API", "$30.4M")


def test_a_small_premium_is_money() -> None:
    comparison = report_sections.key_figures(result("api", {**TCO, "self_host": 4_000_000.0}))[1]
    assert (comparison.label, comparison.value) == ("More than self-hosting", "$461K")


def test_no_recommendation_has_no_key_figures() -> None:
    assert report_sections.key_figures(result(None, TCO, excluded=tuple(TCO))) == ()


def test_break_even_wording_has_one_threshold_and_rounded_volumes() -> None:
    sentences = list(report_sections.what_would_change(result("api", TCO)).volume)
    assert sentences == [
        "Self-hosted would break even with the API over 36 months at about 13.6M queries a "
        "month (1.4 times today's volume).",
        "Hybrid already costs no more than the API over 36 months at today's volume (it would "
        "break even from about 5M queries a month).",
    ]
