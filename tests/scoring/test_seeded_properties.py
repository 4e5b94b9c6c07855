"""Decision model v3 through the product's own entry point, over many answer sets.

The same promises as tests/scoring/test_simulation.py, on the seeded ruleset
and catalog: 500 generated answer sets and a volume sweep from 100K to 1B.
"""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from advisor.rules.services import advice_for_answers
from advisor.scoring.decision import winner
from advisor.scoring.simulation import PLAN

REGIMES = ["hipaa", "soc2", "fedramp", "gdpr"]


def random_answers(rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "monthly_queries": int(10 ** rng.uniform(5, 9)),
        "load_pattern": rng.choice(["steady", "business_hours", "spiky", "unknown"]),
        "has_production_data": rng.random() < 0.5,
        "customer_facing": rng.random() < 0.7,
        "simple_query_share_pct": rng.choice([20, 50, 80]),
        "gpu_ops_experience": rng.choice(["none", "some", "established"]),
        "frontier_capability": rng.choice(["required", "helpful", "not_needed"]),
        "primary_driver": rng.choice(["not_considering", "cost", "compliance"]),
    }
    if rng.random() < 0.25:
        answers["regimes"] = [rng.choice(REGIMES)]
        answers["hipaa_baa_sufficient"] = rng.choice(["yes", "no", "unknown"])
        answers["soc2_perimeter_required"] = rng.random() < 0.5
        answers["fedramp_authorized_available"] = rng.choice(["yes", "no", "unknown"])
    if rng.random() < 0.15:
        answers["data_residency"] = rng.choice(["region", "on_premises"])
        answers["provider_region_available"] = rng.choice(["yes", "no"])
    if rng.random() < 0.1:
        answers["domain_finetune"] = "legal"
    return answers


def candidates(advice: Any) -> dict[str, float]:
    verdict = advice.verdict
    allowed = {
        option: outcome.adjusted_tco_usd
        for option, outcome in verdict.options.items()
        if outcome.allowed
    }
    if verdict.plan is not None:
        allowed[PLAN] = verdict.plan.tco_usd
    return allowed


def test_property_over_500_answer_sets(seeded: None) -> None:
    rng = random.Random(26)
    for _ in range(500):
        answers = random_answers(rng)
        advice = advice_for_answers(answers=answers, uncertainty=False)
        verdict = advice.verdict
        assert verdict is not None
        allowed = candidates(advice)
        assert verdict.recommendation == winner(allowed, verdict.margin_pct), answers
        if verdict.recommendation is None:
            assert not allowed  # every option ruled out
            continue
        assert advice.confidence == verdict.probability_best[verdict.recommendation]
        assert math.isclose(sum(verdict.probability_best.values()), 1.0)
        assert (advice.confidence == 1.0) == (len(allowed) == 1), answers
        assert advice.recommendation == verdict.now


@pytest.mark.parametrize("load_pattern", ["steady", "business_hours"])
def test_volume_sweep_has_no_back_and_forth(seeded: None, load_pattern: str) -> None:
    volumes = [10 ** (5 + 4 * step / 59) for step in range(60)]
    picks = [
        advice_for_answers(
            answers={"monthly_queries": int(volume), "load_pattern": load_pattern},
            uncertainty=False,
        ).verdict.recommendation  # type: ignore[union-attr]
        for volume in volumes
    ]
    changes = [index for index in range(1, 60) if picks[index] != picks[index - 1]]
    assert len(changes) <= 3, list(zip(volumes, picks, strict=True))
    for index in changes:
        window = [v for v in volumes if volumes[index] / 1.1 <= v <= volumes[index] * 1.1]
        seen = [picks[volumes.index(v)] for v in window]
        assert all(seen[k] != seen[k - 2] or seen[k] == seen[k - 1] for k in range(2, len(seen)))
