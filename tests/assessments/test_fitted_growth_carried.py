"""A fitted growth range reaches every figure computed from the answers: the "what would
change" flips and ``usage_to_answers`` -> ``evaluate`` decide on the same uncertainty as the
assessment's result (decision model v3 draws the growth over the fit's range)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from advisor.advice import project_and_score
from advisor.assessments.usage import GROWTH_RANGE_KEY, split_growth_range
from advisor.costs.selectors import catalog_snapshot
from advisor.costs.services import assumptions_for
from advisor.rules.models import Ruleset
from advisor.rules.services import (
    advice_for_answers,
    build_snapshot,
    compiled_ruleset,
    question_specs,
)
from advisor.scoring import chooser, score
from advisor.scoring import flips as answer_flips
from advisor.scoring.effects import Triangle
from advisor.scoring.evaluate import advice_json_text
from advisor.scoring.like_for_like import open_api_offer
from tests.usage import generators as usage_gen

FITTED = Triangle(-1.0, 6.0, 13.0)
ANSWERS = {
    "monthly_queries": 20_000_000,
    "monthly_growth_pct": 6.0,
    "has_production_data": True,
    "load_pattern": "steady",
}


def test_every_flip_is_decided_on_the_fitted_range(brief_ruleset: Ruleset, monkeypatch) -> None:
    answers = dict(advice_for_answers(answers=ANSWERS, ruleset=brief_ruleset).answers)
    compiled = compiled_ruleset(brief_ruleset)
    assumptions = score.pinned(assumptions_for(answers=answers))
    offer = open_api_offer(catalog_snapshot(), assumptions)
    seen: list[Triangle | None] = []
    real = score.Chooser

    def spy(**kwargs: Any) -> chooser.Chooser:
        seen.append(kwargs.get("growth_range"))
        return real(**kwargs)

    monkeypatch.setattr(score, "Chooser", spy)
    found = score.flips(compiled, answers, assumptions, offer, growth_range=FITTED)
    assert len(seen) == len(answer_flips.variations(answers, question_specs(brief_ruleset))) + 1
    assert set(seen) == {FITTED}
    # And the flips are those of every variation scored afresh on the same range.
    monkeypatch.setattr(score, "Chooser", real)
    reference = answer_flips.flips(
        answers,
        question_specs(brief_ruleset),
        lambda variant: (
            project_and_score(
                compiled, variant, assumptions, open_api_model=offer, growth_range=FITTED
            ).recommendation
        ),
    )
    assert found == reference


def _export(tmp_path: Path) -> Path:
    # 90 days growing 12 % a month: under six months, so the fit carries its range.
    hours = usage_gen.hourly_requests(days=90, per_hour=2_000, monthly_growth_pct=12.0, seed=5)
    path = tmp_path / "usage.json"
    path.write_text(json.dumps(usage_gen.openai_pages(hours, models=1, bucket_hours=24)))
    return path


def test_usage_to_answers_prints_the_range_and_evaluate_draws_it(
    brief_ruleset: Ruleset, tmp_path: Path
) -> None:
    out, err = StringIO(), StringIO()
    call_command("usage_to_answers", str(_export(tmp_path)), stdout=out, stderr=err)
    printed = json.loads(out.getvalue())
    fit = printed[GROWTH_RANGE_KEY]
    assert fit["low"] < printed["monthly_growth_pct"] < fit["high"]
    assert f"{GROWTH_RANGE_KEY} is the fitted growth's range" in err.getvalue()

    answers_file = tmp_path / "answers.json"
    answers_file.write_text(out.getvalue())
    scored = StringIO()
    call_command("evaluate", str(answers_file), stdout=scored, stderr=StringIO())
    result = json.loads(scored.getvalue())
    answers, growth_range = split_growth_range(printed)
    assert growth_range == Triangle(fit["low"], printed["monthly_growth_pct"], fit["high"])
    with_range = advice_for_answers(answers=answers, growth_range=growth_range).to_dict()
    without = advice_for_answers(answers=answers).to_dict()

    def band(data: dict[str, Any]) -> dict[str, Any]:
        return dict(data["costs"]["options"]["api"]["adjusted_tco_usd_range"])

    assert band(result) == band(with_range)
    assert band(result) != band(without)
    # The flips beside it were decided on the range too (the same as the result's).
    assert (
        result["what_would_change"]
        == json.loads(advice_json_text(build_snapshot(answers=answers, growth_range=growth_range)))[
            "what_would_change"
        ]
    )


@pytest.mark.parametrize(
    "entry",
    [{"low": 1.0}, {"low": "1", "high": 2.0}, [1.0, 2.0], {"low": True, "high": 3.0}],
)
def test_evaluate_refuses_a_malformed_range(brief_ruleset: Ruleset, tmp_path: Path, entry) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**ANSWERS, GROWTH_RANGE_KEY: entry}))
    err = StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("evaluate", str(path), stdout=StringIO(), stderr=err)
    assert exit.value.code == 2
    assert f"{GROWTH_RANGE_KEY} must be" in err.getvalue()


def test_a_range_without_a_growth_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="numeric monthly_growth_pct"):
        split_growth_range({"monthly_queries": 5, GROWTH_RANGE_KEY: {"low": 1, "high": 2}})
    assert split_growth_range({"monthly_queries": 5}) == ({"monthly_queries": 5}, None)
