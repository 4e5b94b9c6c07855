"""The result snapshot's "what would change this answer" (``advisor.scoring.score.flips``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from advisor.advice import project_and_score
from advisor.costs.selectors import catalog_snapshot
from advisor.costs.services import assumptions_for
from advisor.rules.models import Ruleset
from advisor.rules.preview import SCENARIOS_DIR
from advisor.rules.services import advice_for_answers, compiled_ruleset, question_specs
from advisor.scoring import flips as sensitivity
from advisor.scoring import score
from advisor.scoring.like_for_like import open_api_offer

SCENARIOS = sorted(SCENARIOS_DIR.glob("*.json"))


def straightforward_flips(ruleset: Ruleset, answers: dict[str, Any]) -> list[sensitivity.Flip]:
    """Every variation scored from scratch, its projection included (the reference)."""
    compiled = compiled_ruleset(ruleset)
    assumptions = assumptions_for(answers=answers)
    offer = open_api_offer(catalog_snapshot(), assumptions)  # decision model v3's open_api
    return sensitivity.flips(
        answers,
        question_specs(ruleset),
        lambda variant: (
            project_and_score(compiled, variant, assumptions, open_api_model=offer).recommendation
        ),
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
@pytest.mark.parametrize("volume_factor", [None, 0.01, 30])
def test_flips_reusing_projections_equal_scoring_every_variation_afresh(
    path: Path, volume_factor: float | None, brief_ruleset: Ruleset
) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))["answers"]
    if volume_factor is not None:
        raw = {
            **raw,
            "monthly_queries": round(raw.get("monthly_queries", 1_000_000) * volume_factor),
        }
    answers = dict(advice_for_answers(answers=raw, ruleset=brief_ruleset).answers)

    assumptions = assumptions_for(answers=answers)
    offer = open_api_offer(catalog_snapshot(), assumptions)
    batched = score.flips(compiled_ruleset(brief_ruleset), answers, assumptions, offer)

    assert batched == straightforward_flips(brief_ruleset, answers)
