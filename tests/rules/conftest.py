"""Fixtures for the rules tests: small rulesets built in the database."""

from __future__ import annotations

import pytest

from advisor.rules.models import Question, Rule, Ruleset, RulesetStatus

# The keys of the JSON contract (`manage.py evaluate`); ``Advice.to_dict()`` starts
# with them, in this order.
CONTRACT_KEYS = (
    "recommendation",
    "confidence",
    "scores",
    "excluded",
    "fired_rules",
    "caveats",
    "costs",
    "ruleset",
)


def make_ruleset(
    *,
    name: str = "test-rules",
    version: str = "1",
    status: RulesetStatus = RulesetStatus.DRAFT,
    is_current: bool = False,
) -> Ruleset:
    """A ruleset with four questions and two rules that compile against them."""
    ruleset = Ruleset.objects.create(name=name, version=version)
    Question.objects.create(
        ruleset=ruleset, key="monthly_queries", section="Workload", prompt="Queries per month?",
        type="integer", min_value=0, required=True,
    )  # fmt: skip
    Question.objects.create(
        ruleset=ruleset, key="regimes", section="Compliance", prompt="Which regimes apply?",
        type="multi_choice", choices=[["hipaa", "HIPAA"], ["soc2", "SOC 2"], ["gdpr", "GDPR"]],
        default=[],
    )  # fmt: skip
    Question.objects.create(
        ruleset=ruleset, key="load_pattern", section="Workload", prompt="Load pattern?",
        type="choice", choices=[["steady", "Steady"], ["spiky", "Spiky"]], default="steady",
    )  # fmt: skip
    Question.objects.create(
        ruleset=ruleset, key="has_production_data", section="Workload",
        prompt="In production today?", type="boolean", default=False,
    )  # fmt: skip
    Rule.objects.create(
        ruleset=ruleset, code="low-volume-favours-api", title="Low volume favours the API",
        condition="monthly_queries < 10000000", score_deltas={"api": 2},
        rationale="Below 10M queries a month the API math almost always wins.", order=10,
    )  # fmt: skip
    Rule.objects.create(
        ruleset=ruleset, code="hipaa-rules-out-api", title="HIPAA without a sufficient BAA",
        condition="'hipaa' in regimes", score_deltas={"self_host": 3},
        excludes=["api", "hybrid"], rationale="Data may not leave the perimeter.", order=20,
    )  # fmt: skip
    if status != RulesetStatus.DRAFT:
        # A queryset update: the way a fixture would arrive, past the save() guard.
        Ruleset.objects.filter(pk=ruleset.pk).update(status=status, is_current=is_current)
        ruleset.refresh_from_db()
    return ruleset


@pytest.fixture
def draft_ruleset(db: None) -> Ruleset:
    return make_ruleset(version="2")


@pytest.fixture
def published_ruleset(db: None) -> Ruleset:
    return make_ruleset(version="1", status=RulesetStatus.PUBLISHED, is_current=True)
