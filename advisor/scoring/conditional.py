"""Conditional advice: an open follow-up answered each way, each branch decided in full.

An unanswered compliance follow-up (a ``check`` effect: "is the BAA
sufficient?") never makes a 0 % headline: the headline is decided as
answered, and each possible answer gets its own recommendation and
confidence ("if yes: X, 84 %; if no: Y, 100 %").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from advisor.scoring.simulation import DecisionInputs, decide


@dataclass(frozen=True)
class Branch:
    check: str
    value: str
    recommendation: str | None
    confidence: float
    prompt: str = ""  # the follow-up question, as the buyer read it

    def to_dict(self) -> dict[str, object]:
        return {
            "check": self.check,
            "prompt": self.prompt,
            "if": self.value,
            "recommendation": self.recommendation,
            "confidence": round(self.confidence, 4),
        }


def conditional(check: str, branches: Mapping[str, DecisionInputs]) -> tuple[Branch, ...]:
    """Each answer of ``check`` (answer -> the inputs the rules give with it), decided."""
    branches_decided = []
    for value, inputs in branches.items():
        verdict = decide(inputs)
        branches_decided.append(Branch(check, value, verdict.recommendation, verdict.confidence))
    return tuple(branches_decided)
