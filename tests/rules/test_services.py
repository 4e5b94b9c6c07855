from __future__ import annotations

import pytest

from advisor.rules.models import Rule, Ruleset
from advisor.rules.services import (
    InvalidAnswers,
    NoCurrentRuleset,
    advice_for_answers,
    answer_defaults,
    compiled_ruleset,
    current_ruleset,
    question_specs,
)


def test_current_ruleset_before_seeding(db: None) -> None:
    with pytest.raises(NoCurrentRuleset, match=r"manage\.py seed"):
        current_ruleset()


def test_question_specs_mirror_the_rows(brief_ruleset: Ruleset) -> None:
    specs = question_specs(brief_ruleset)
    assert len(specs) == brief_ruleset.questions.count()
    load_pattern = next(spec for spec in specs if spec.key == "load_pattern")
    assert load_pattern.choice_values == ("steady", "business_hours", "spiky", "unknown")
    assert load_pattern.choices[0] == ("steady", "Steady, around the clock")
    assert specs[0].key == "monthly_queries"  # questionnaire order: first section first


def test_published_ruleset_compiles_once(brief_ruleset: Ruleset) -> None:
    assert compiled_ruleset(brief_ruleset) is compiled_ruleset(brief_ruleset)


def test_draft_is_recompiled_after_an_edit(draft_ruleset: Ruleset) -> None:
    before = compiled_ruleset(draft_ruleset)
    Rule.objects.filter(ruleset=draft_ruleset, code="low-volume-favours-api").update(
        score_deltas={"api": 5}
    )
    after = compiled_ruleset(draft_ruleset)
    assert after is not before
    rule = next(r for r in after.rules if r.spec.code == "low-volume-favours-api")
    assert rule.spec.score_deltas == {"api": 5}


def test_disabled_rules_are_left_out(draft_ruleset: Ruleset) -> None:
    Rule.objects.filter(ruleset=draft_ruleset, code="hipaa-rules-out-api").update(enabled=False)
    codes = [rule.spec.code for rule in compiled_ruleset(draft_ruleset).rules]
    assert codes == ["low-volume-favours-api"]


def test_advise_refuses_answers_that_do_not_fit(seeded: None) -> None:
    with pytest.raises(InvalidAnswers) as caught:
        advice_for_answers(answers={"monthly_queries": "x", "colour": "red"})
    assert isinstance(caught.value, ValueError)
    assert {error.key for error in caught.value.errors} == {"monthly_queries", "colour"}


def test_advise_takes_raw_and_typed_answers_alike(seeded: None) -> None:
    raw = advice_for_answers(
        answers={"monthly_queries": "2M", "regimes": "gdpr", "customer_facing": "no"}
    )
    typed = advice_for_answers(
        answers={"monthly_queries": 2_000_000, "regimes": ("gdpr",), "customer_facing": False}
    )
    assert raw.to_dict() == typed.to_dict()


def test_rules_see_the_catalog_entries_the_projection_used(seeded: None) -> None:
    mini = advice_for_answers(answers={"monthly_queries": 1_000_000, "api_model": "gpt-4.1-mini"})
    default = advice_for_answers(answers={"monthly_queries": 1_000_000})
    assert mini.answers["api_model"] == "gpt-4.1-mini"
    assert default.answers["api_model"] == "gpt-6.2-sol"
    # Like for like: a mini-class API is matched by an 8B-class open model.
    assert mini.answers["self_host_model"] != default.answers["self_host_model"]
    assert mini.answers["engineer_monthly_cost_usd"] > 0


def test_answer_defaults_fill_catalog_keys_for_forms(brief_ruleset: Ruleset) -> None:
    defaults = answer_defaults(brief_ruleset)
    assert defaults["load_pattern"] == "unknown"
    assert defaults["horizon_months"] == 36
    assert defaults["api_model"] == "gpt-6.2-sol"
    assert {"self_host_model", "small_model", "first_year_budget_usd"} <= set(defaults)
    assert "gpu" not in defaults  # left to the capacity planner
    assert "monthly_queries" not in defaults  # required, no default


def test_advise_with_a_draft_ruleset(seeded: None, draft_ruleset: Ruleset) -> None:
    advice = advice_for_answers(
        answers={"monthly_queries": 1000, "regimes": ["hipaa"]}, ruleset=draft_ruleset
    )
    assert advice.ruleset_version == "2"
    assert advice.recommendation == "self_host"
