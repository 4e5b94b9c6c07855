"""The confidence's words when an open check decides the advice (report_sections)."""

from __future__ import annotations

from typing import Any

from advisor.reports import report_sections
from advisor.snapshot import ResultSnapshot


def result(confidence: float, if_checked: list[dict[str, Any]], checks: int = 1) -> ResultSnapshot:
    keys = ["hipaa_baa_sufficient", "fedramp_environment_available"][:checks]
    return ResultSnapshot.from_dict(
        {
            "recommendation": "api",
            "confidence": confidence,
            "excluded": {},
            "costs": {
                "horizon_months": 36,
                "options": {
                    option: {"tco_usd": 1.0, "cost_per_1k_queries_usd": 0.1}
                    for option in ("api", "self_host", "hybrid")
                },
                "uncertainty": {
                    "draws": 500,
                    "decision_draws": 60,
                    "open_checks": keys,
                    "if_checked": if_checked,
                },
            },
        }
    )


BAA = [
    {"answers": {"hipaa_baa_sufficient": "yes"}, "recommendation": "api", "confidence": 0.95},
    {"answers": {"hipaa_baa_sufficient": "no"}, "recommendation": "self_host", "confidence": 1.0},
]


def test_a_deciding_check_is_named_instead_of_a_low_confidence() -> None:
    decided = result(0.0, BAA)

    assert report_sections.confidence_label(decided) == "depends on an open check"
    assert report_sections.confidence_sentence(decided) == (
        "The open check decides this: answered yes, the commercial API in 95%; answered no, "
        "self-hosting in 100% of 60 plausible price and volume worlds. Until it is answered, "
        "the commercial API holds either way in 0% of them."
    )
    figure = report_sections.key_figures(decided)[-1]
    assert (figure.value, figure.detail) == (
        "Open check",
        "Once checked, the best choice holds in 95% to 100% of the plausible prices and volumes "
        "we tried",
    )


def test_several_checks_give_the_range_of_their_outcomes() -> None:
    outcomes = [
        {"answers": {}, "recommendation": "api", "confidence": share} for share in (0.7, 0.9, 1.0)
    ]
    sentence = report_sections.confidence_sentence(result(0.2, outcomes, checks=2))

    assert sentence.startswith("The 2 open checks decide this: once they are answered, the best")
    assert "holds in 70% to 100% of 60 plausible" in sentence
    assert report_sections.confidence_label(result(0.2, outcomes, checks=2)) == (
        "depends on the open checks"
    )


def test_a_check_that_does_not_decide_keeps_the_usual_words() -> None:
    firm = result(0.9, BAA)

    assert report_sections.confidence_label(firm) == "high"
    assert report_sections.confidence_sentence(firm).endswith(
        "the commercial API stays the best choice whichever way the open check turns out."
    )
    assert report_sections.key_figures(firm)[-1].value == "High"
