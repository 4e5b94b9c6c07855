"""Typed v3 effects on Rule rows: validated on save with the field's message."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from advisor.rules.models import DecisionModel, Rule, Ruleset
from advisor.rules.publishing import ruleset_clone


@pytest.fixture
def draft(brief_ruleset: Ruleset, admin_user: object) -> Ruleset:
    return ruleset_clone(ruleset=brief_ruleset, user=admin_user)  # type: ignore[arg-type]


def make_rule(ruleset: Ruleset, **fields: object) -> Rule:
    defaults: dict[str, object] = {
        "ruleset": ruleset,
        "code": "new-rule",
        "title": "New rule",
        "condition": "true",
        "rationale": "Because.",
    }
    defaults.update(fields)
    return Rule(**defaults)


def test_the_seeded_ruleset_decides_on_money(brief_ruleset: Ruleset) -> None:
    assert brief_ruleset.decision_model == DecisionModel.MONEY
    assert not any(rule.score_deltas for rule in brief_ruleset.rules.all())
    kinds = {effect["kind"] for rule in brief_ruleset.rules.all() for effect in rule.effects}
    assert kinds == {"cost", "range", "check"}


def test_a_valid_cost_effect_saves(draft: Ruleset) -> None:
    rule = make_rule(
        draft,
        effects=[
            {
                "kind": "cost",
                "options": ["self_host"],
                "label": "Contractor",
                "usd_per_month": {"low": 1000, "base": 2000, "high": 4000},
            }
        ],
    )
    rule.full_clean()


@pytest.mark.parametrize(
    ("effects", "message"),
    [
        ([{"kind": "cost", "options": ["self_host"], "label": "x"}], "usd_per_month or one_off"),
        ([{"kind": "range", "target": "nowhere", "low_factor": 0.5, "high_factor": 2}], "target"),
        ([{"kind": "check", "key": "monthly_queries"}], "follow-up question"),
        ([{"kind": "exclude", "options": ["api"]}], "their own fields"),
    ],
)
def test_bad_effects_are_refused_on_the_effects_field(
    draft: Ruleset, effects: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_rule(draft, effects=effects).full_clean()
    assert message in " ".join(refused.value.message_dict["effects"])


def test_range_and_check_name_the_schema(draft: Ruleset) -> None:
    make_rule(
        draft,
        effects=[
            {"kind": "range", "target": "monthly_queries", "low_factor": 0.5, "high_factor": 2},
            {
                "kind": "range",
                "target": "engineer_monthly_cost_usd",
                "low_factor": 1,
                "high_factor": 1.5,
            },
            {"kind": "check", "key": "hipaa_baa_sufficient"},
        ],
    ).full_clean()


def test_score_points_are_refused_on_a_v3_ruleset(draft: Ruleset) -> None:
    with pytest.raises(ValidationError) as refused:
        make_rule(draft, score_deltas={"api": 2}).full_clean()
    assert "decides on money" in " ".join(refused.value.message_dict["score_deltas"])


def test_an_outcome_rule_may_not_price_anything(draft: Ruleset) -> None:
    with pytest.raises(ValidationError) as refused:
        make_rule(
            draft,
            condition="recommendation == 'self_host'",
            effects=[{"kind": "cost", "options": ["self_host"], "label": "x", "one_off_usd": 5}],
        ).full_clean()
    assert "reads the outcome" in " ".join(refused.value.message_dict["effects"])
