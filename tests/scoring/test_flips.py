"""The single-answer changes tried for "what would change this answer", and the flips."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from advisor.rules.answers import QuestionSpec
from advisor.scoring.flips import (
    MAX_VARIATIONS,
    Flip,
    flips,
    flips_batched,
    variations,
)

VOLUME = QuestionSpec(
    "monthly_queries", "integer", prompt="Queries per month?", min=1, max=1_000_000_000
)
LOAD = QuestionSpec(
    "load_pattern",
    "choice",
    prompt="Load pattern",
    choices=(("steady", "Steady"), ("business_hours", "Business hours"), ("spiky", "Spiky")),
)
CUSTOMER_FACING = QuestionSpec("customer_facing", "boolean", prompt="Customer-facing?")
REGIMES = QuestionSpec(
    "regimes",
    "multi_choice",
    prompt="Regimes that apply:",
    choices=(("hipaa", "HIPAA"), ("gdpr", "GDPR"), ("pci", "PCI DSS")),
)
SPECS = (VOLUME, LOAD, CUSTOMER_FACING, REGIMES)


def tried(answers: Mapping[str, Any], specs: Sequence[QuestionSpec] = SPECS) -> list[tuple]:
    return [(v.key, v.value, v.description) for v in variations(answers, specs)]


def self_host_above_five_million(answers: Mapping[str, Any]) -> str | None:
    if "hipaa" in answers.get("regimes", ()):
        return None
    return "self_host" if answers.get("monthly_queries", 0) > 5_000_000 else "api"


def test_volume_is_tried_at_ten_times_and_a_tenth() -> None:
    assert tried({"monthly_queries": 1_000_000}) == [
        ("monthly_queries", 10_000_000, "Queries per month: about 10M (ten times your 1M)"),
        ("monthly_queries", 100_000, "Queries per month: about 100K (a tenth of your 1M)"),
    ]


def test_a_volume_past_the_questions_bounds_is_not_tried() -> None:
    assert [value for _, value, _ in tried({"monthly_queries": 200_000_000})] == [20_000_000]
    assert [value for _, value, _ in tried({"monthly_queries": 5})] == [50]  # 0.5 rounds below min


def test_no_volume_variation_without_a_positive_number() -> None:
    assert tried({"monthly_queries": 0}) == []
    assert tried({"monthly_queries": "lots"}) == []
    assert tried({}) == []


def test_every_other_choice_is_tried() -> None:
    assert tried({"load_pattern": "business_hours"}) == [
        ("load_pattern", "steady", "Load pattern: Steady"),
        ("load_pattern", "spiky", "Load pattern: Spiky"),
    ]


def test_a_yes_no_fact_is_toggled() -> None:
    assert tried({"customer_facing": True}) == [("customer_facing", False, "Customer-facing: no")]
    assert tried({"customer_facing": False}) == [("customer_facing", True, "Customer-facing: yes")]


def test_each_regime_is_added_or_removed_keeping_choice_order() -> None:
    assert tried({"regimes": ("pci",)}) == [
        ("regimes", ("hipaa", "pci"), "Regimes that apply: with HIPAA"),
        ("regimes", ("gdpr", "pci"), "Regimes that apply: with GDPR"),
        ("regimes", (), "Regimes that apply: without PCI DSS"),
    ]


def test_questions_not_asked_or_not_answered_are_not_varied() -> None:
    assert tried({"load_pattern": "steady"}, specs=(VOLUME,)) == []
    assert tried({"monthly_queries": 1_000_000}, specs=(LOAD, REGIMES)) == []


def test_a_question_without_a_prompt_is_named_by_its_key() -> None:
    bare = QuestionSpec("customer_facing", "boolean")
    assert tried({"customer_facing": True}, specs=(bare,))[0][2] == "customer_facing: no"


def test_variations_are_capped() -> None:
    many = QuestionSpec(
        "load_pattern", "choice", choices=tuple((f"c{i}", f"C{i}") for i in range(100))
    )
    assert len(variations({"load_pattern": "c0"}, (many,))) == MAX_VARIATIONS


def test_flips_are_the_variations_that_change_the_recommendation() -> None:
    answers = {"monthly_queries": 1_000_000, "load_pattern": "steady", "regimes": ()}
    assert flips(answers, SPECS, self_host_above_five_million) == [
        Flip(
            "monthly_queries",
            "Queries per month: about 10M (ten times your 1M)",
            "self_host",
            10_000_000,
        ),
        Flip("regimes", "Regimes that apply: with HIPAA", None, ("hipaa",)),
    ]


def test_no_flips_when_no_single_answer_changes_the_recommendation() -> None:
    def always_api(answers: Mapping[str, Any]) -> str:
        return "api"

    assert flips({"monthly_queries": 1_000_000, "load_pattern": "steady"}, SPECS, always_api) == []


def test_batched_flips_score_everything_in_one_call_and_agree() -> None:
    answers = {"monthly_queries": 1_000_000, "customer_facing": True, "regimes": ("gdpr",)}
    calls: list[list[Mapping[str, Any]]] = []

    def recommend_all(batch: Sequence[Mapping[str, Any]]) -> list[str | None]:
        calls.append(list(batch))
        return [self_host_above_five_million(item) for item in batch]

    batched = flips_batched(answers, SPECS, recommend_all)
    assert batched == flips(answers, SPECS, self_host_above_five_million)
    assert len(calls) == 1
    assert calls[0][0] == answers
    assert len(calls[0]) == 1 + len(variations(answers, SPECS))


def test_a_flip_is_stored_as_key_change_and_recommendation() -> None:
    flip = Flip("load_pattern", "Load pattern: Spiky", "hybrid", "spiky")
    assert flip.to_dict() == {
        "key": "load_pattern",
        "change": "Load pattern: Spiky",
        "recommendation": "hybrid",
    }
