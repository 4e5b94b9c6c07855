"""The seeded ruleset brief-2026 keeps design.md's contract and encodes the brief."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command

from advisor.assessments.models import Assessment
from advisor.costs.projection import DERIVED_FIGURES
from advisor.rules.models import Question, Rule, Ruleset
from advisor.rules.services import compiled_ruleset, condition_schema
from tests.conftest import HIGH_VOLUME_ANSWERS

# design.md, "Contract: question keys": key -> (type, choice values, default).
CONTRACT = {
    "monthly_queries": ("integer", None, None),
    "avg_input_tokens": ("integer", None, 1500),
    "avg_output_tokens": ("integer", None, 400),
    "load_pattern": ("choice", ["steady", "business_hours", "spiky", "unknown"], "unknown"),
    "monthly_growth_pct": ("number", None, 0),
    "simple_query_share_pct": ("number", None, 50),
    "customer_facing": ("boolean", None, True),
    "has_production_data": ("boolean", None, False),
    "regimes": ("multi_choice", ["hipaa", "soc2", "fedramp", "gdpr", "pci_dss", "other"], []),
    "hipaa_baa_sufficient": ("choice", ["yes", "no", "unknown"], "unknown"),
    "soc2_perimeter_required": ("boolean", None, False),
    "data_residency": ("choice", ["none", "region", "country", "on_premises"], "none"),
    "provider_region_available": ("choice", ["yes", "no", "unknown"], "unknown"),
    "frontier_capability": ("choice", ["required", "helpful", "not_needed"], "helpful"),
    "domain_finetune": (
        "choice",
        ["none", "legal", "scientific", "niche_language", "other"],
        "none",
    ),
    "latency_requirement": ("choice", ["standard", "low"], "standard"),
    "gpu_ops_experience": ("choice", ["none", "some", "established"], "none"),
    "planned_serving_stack": (
        "choice",
        ["undecided", "ollama", "vllm", "tgi", "managed"],
        "undecided",
    ),
    "primary_driver": (
        "choice",
        ["not_considering", "cost", "compliance", "capability", "latency", "control"],
        "not_considering",
    ),
    "horizon_months": ("integer", None, 36),
    "api_model": ("catalog", None, None),
    "self_host_model": ("catalog", None, None),
    "small_model": ("catalog", None, None),
    "gpu": ("catalog", None, None),
    "engineer_monthly_cost_usd": ("number", None, None),
    "first_year_budget_usd": ("number", None, None),
}
RANGES = {
    "monthly_queries": (0, 1e12),
    "avg_input_tokens": (1, 2_000_000),
    "avg_output_tokens": (1, 200_000),
    "monthly_growth_pct": (-50, 100),
    "simple_query_share_pct": (0, 100),
    "horizon_months": (12, 60),
    # Bounds of our own (issue 15): 40 times the brief's $20-25K engineer
    # month, and a billion dollars of first-year budget; without them 1e307
    # parsed and overflowed the projection.
    "engineer_monthly_cost_usd": (0, 1_000_000),
    "first_year_budget_usd": (0, 1_000_000_000),
}
CAVEAT_CODES = {
    "start_on_api_and_instrument",
    "cost_driven_self_hosting_disappoints",
    "serving_stack_not_production",
    "open_model_capability_gap",
    "first_year_overhead",
}


def test_brief_2026_is_published_and_current(brief_ruleset: Ruleset) -> None:
    assert brief_ruleset.is_published
    assert brief_ruleset.is_current
    assert brief_ruleset.published_at is not None


@pytest.mark.parametrize("key", CONTRACT)
def test_contract_question(brief_ruleset: Ruleset, key: str) -> None:
    question = brief_ruleset.questions.get(key=key)
    kind, choices, default = CONTRACT[key]
    assert question.type == kind
    if choices is not None:
        assert [value for value, _label in question.choices] == choices
    assert question.default == default
    assert question.required == (key == "monthly_queries")
    assert question.prompt and question.help_text and question.section
    if key in RANGES:
        assert (question.min_value, question.max_value) == RANGES[key]


def test_catalog_questions_name_their_catalog(brief_ruleset: Ruleset) -> None:
    for key in ("api_model", "self_host_model", "small_model", "gpu"):
        question = brief_ruleset.questions.get(key=key)
        assert question.catalog == key
        assert question.advanced


@pytest.mark.parametrize(
    ("key", "show_if"),
    [
        ("hipaa_baa_sufficient", "'hipaa' in regimes"),
        ("soc2_perimeter_required", "'soc2' in regimes"),
        ("provider_region_available", "data_residency in ['region', 'country']"),
    ],
)
def test_follow_up_questions_are_conditional(
    brief_ruleset: Ruleset, key: str, show_if: str
) -> None:
    assert brief_ruleset.questions.get(key=key).show_if == show_if


def test_every_rule_and_show_if_compiles(brief_ruleset: Ruleset) -> None:
    compiled = compiled_ruleset(brief_ruleset)
    assert compiled.invalid == ()
    assert len(compiled.rules) == brief_ruleset.rules.filter(enabled=True).count()
    from advisor.rules.conditions import validate_condition

    schema = condition_schema(brief_ruleset, outcome=False)
    for question in brief_ruleset.questions.exclude(show_if=""):
        assert validate_condition(question.show_if, schema) == [], question.key


def test_every_rule_cites_the_brief(brief_ruleset: Ruleset) -> None:
    for rule in brief_ruleset.rules.all():
        assert rule.source.startswith("Brief, "), rule.code
        assert rule.rationale.strip(), rule.code
        assert bool(rule.caveat_code) == bool(rule.caveat_text), rule.code


def test_the_five_caveat_codes_are_used(brief_ruleset: Ruleset) -> None:
    codes = set(brief_ruleset.rules.exclude(caveat_code="").values_list("caveat_code", flat=True))
    assert codes >= CAVEAT_CODES


def test_the_cost_math_is_a_rule_like_any_other(brief_ruleset: Ruleset) -> None:
    conditions = " ".join(brief_ruleset.rules.values_list("condition", flat=True))
    for figure in ("tco_ratio_self_host", "tco_ratio_hybrid", "break_even_month_self_host"):
        assert figure in DERIVED_FIGURES
        assert figure in conditions


@pytest.mark.parametrize(
    "number",
    ["10000000", "100000000"],  # the brief's two volume thresholds
)
def test_the_briefs_volume_thresholds_are_encoded(brief_ruleset: Ruleset, number: str) -> None:
    assert brief_ruleset.rules.filter(condition__contains=number).exists()


def test_where_data_may_not_leave_api_open_api_and_hybrid_are_excluded(
    brief_ruleset: Ruleset,
) -> None:
    # A hosted open model is a third-party provider: every gate that keeps the data
    # from the API keeps it from open_api too (decision model v3).
    for code in (
        "hipaa-baa-insufficient",
        "soc2-perimeter-required",
        "fedramp-no-authorized-environment",
        "residency-no-provider-in-region",
        "residency-on-premises",
    ):
        excludes = sorted(brief_ruleset.rules.get(code=code).excludes)
        assert excludes == ["api", "hybrid", "open_api"]


def test_seeding_twice_changes_nothing(seeded: None) -> None:
    def snapshot() -> str:
        rows = [*Ruleset.objects.all(), *Question.objects.all(), *Rule.objects.all()]
        return serializers.serialize("json", rows)

    before = snapshot()
    call_command("seed", "--no-demo-users", stdout=StringIO())
    assert snapshot() == before
    # v1 to v5 kept (results scored with them keep them), v6 (decision model v3) current.
    assert Ruleset.objects.count() == 6
    assert Ruleset.objects.get(is_current=True).version == "6"


def test_the_current_rules_quote_money_and_volumes_at_three_significant_figures(
    brief_ruleset: Ruleset, make_completed: Callable[..., Assessment]
) -> None:
    texts = [rule.rationale + rule.caveat_text for rule in brief_ruleset.rules.all()]
    assert not [text for text in texts if ",.0f}" in text]
    # A HIPAA workload without a BAA: self-hosting is the only compliant option.
    assessment = make_completed(
        {**HIGH_VOLUME_ANSWERS, "regimes": ["hipaa"], "hipaa_baa_sufficient": "no"}
    )
    caveats = " ".join(caveat["text"] for caveat in assessment.result["caveats"])
    assert re.search(r"\(\$\d+(\.\d+)?[KM] against \$\d+(\.\d+)?[KM]\)", caveats), caveats


def test_a_ruled_out_api_does_not_bridge_the_self_hosted_build_out(
    brief_ruleset: Ruleset, make_completed: Callable[..., Assessment]
) -> None:
    gated = make_completed(
        {**HIGH_VOLUME_ANSWERS, "regimes": ["hipaa"], "hipaa_baa_sufficient": "no"}
    )
    allowed = make_completed(
        {**HIGH_VOLUME_ANSWERS, "regimes": ["hipaa"], "hipaa_baa_sufficient": "yes"}
    )

    assert set(gated.result["excluded"]) == {"api", "open_api", "hybrid"}
    assert any(
        "does not carry the traffic during the build-out" in n for n in gated.result["notes"]
    )
    assert not any("build-out" in note for note in allowed.result["notes"])
    gated_costs = gated.result["costs"]["options"]
    allowed_costs = allowed.result["costs"]["options"]
    # The same fleet and staff; only the API tokens of the build-out and the ramp go
    # (v3: the components shown are the adjusted median path's, split by their means).
    assert sum(gated_costs["self_host"]["components"]["api_tokens"]) == 0
    bridge = sum(allowed_costs["self_host"]["components"]["api_tokens"])
    assert bridge > 0
    assert gated_costs["self_host"]["tco_usd"] < allowed_costs["self_host"]["tco_usd"]
    assert (
        gated_costs["self_host"]["adjusted_tco_usd"]
        < allowed_costs["self_host"]["adjusted_tco_usd"]
    )
    assert gated_costs["api"]["tco_usd"] == allowed_costs["api"]["tco_usd"]
    # Who pays during the build-out and the ramp, as the tables label them.
    for assessment, build_out, ramp in (
        (allowed, "(API still paid)", "(API paid for the rest)"),
        (gated, "(nothing served yet)", "(traffic served as the fleet takes it)"),
    ):
        labels = {row["label"] for row in assessment.result["assumptions"]}
        assert f"Build-out before production {build_out}" in labels
        assert f"Migration ramp after build-out {ramp}" in labels


def test_every_numeric_question_has_a_finite_maximum(brief_ruleset: Ruleset) -> None:
    numeric = brief_ruleset.questions.filter(type__in=["integer", "number"])
    assert numeric.exists()
    unbounded = [question.key for question in numeric if question.max_value is None]
    assert unbounded == []
