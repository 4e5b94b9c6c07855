"""Conditional advice: each answer of an open follow-up decided in full, in the order given."""

from __future__ import annotations

from dataclasses import replace

from advisor.scoring.conditional import Branch, conditional
from tests.scoring.test_simulation import inputs_for


def test_each_answer_gets_its_own_decision_in_the_order_given() -> None:
    inputs = inputs_for(3e6)
    branches = conditional(
        "fedramp_authorized_available",
        {
            "unknown": inputs,
            "no": replace(inputs, excluded=frozenset({"api", "open_api", "self_host"})),
        },
    )
    assert [branch.value for branch in branches] == ["unknown", "no"]
    assert {branch.check for branch in branches} == {"fedramp_authorized_available"}
    assert branches[1].recommendation == "hybrid"


def test_a_branch_reads_as_the_contract_shows_it() -> None:
    branch = Branch("hipaa_baa_sufficient", "yes", "api", 0.84213, prompt="Is the BAA enough?")
    assert branch.to_dict() == {
        "check": "hipaa_baa_sufficient",
        "prompt": "Is the BAA enough?",
        "if": "yes",
        "recommendation": "api",
        "confidence": 0.8421,
    }
