"""advisor.rules.reasons.buyer_reasons: the result page's "Why", in the buyer's words."""

from __future__ import annotations

from typing import Any

from advisor.rules.reasons import buyer_reasons, first_sentence
from advisor.snapshot import ResultSnapshot


def rule(code: str, rationale: str = "First. Second.") -> dict[str, Any]:
    return {"code": code, "title": code.title(), "rationale": rationale, "effect": {}}


def test_the_reasons_for_the_steps_answer_count_and_keep_the_engines_order() -> None:
    result = {
        "fired_rules": [rule("costs"), rule("frontier"), rule("default"), rule("early")],
        "reasons": {"for": ["costs"], "against": ["default"]},
        "decision": [
            {"question": "api_or_own", "answer": "hybrid", "for": ["costs"], "against": []},
            {
                "question": "self_host_or_hybrid",
                "answer": "hybrid",
                "for": ["early", "frontier"],
                "against": [],
            },
        ],
    }
    why = buyer_reasons(ResultSnapshot.from_dict(result))
    assert [reason.title for reason in why.for_] == ["Costs", "Frontier", "Early"]
    assert why.against is not None and why.against.title == "Default"
    assert why.for_[0].sentence == "First."


def test_a_first_sentence_is_never_cut_inside_a_quotation() -> None:
    text = "“Per-token pricing with no fixed cost. It suits spikes.” So it wins. More."
    assert first_sentence(text) == "“Per-token pricing with no fixed cost. It suits spikes.”"
