"""Issue 30, findings 4 and 6 (second half): placeholder sizes and literal types in rules.

Finding 4: ``{tco_api_usd:>100000000}`` passed validation and built a 100 MB
string in every result and PDF on that ruleset. Widths and precisions are
now bounded at validation (admin: a message on the field), and a text saved
before the bound renders the value plainly.

Finding 6b: ``monthly_queries == 'x'`` was accepted although a type mismatch
is to be refused when the rule is saved: rule-engine accepts ``==`` across
types (it is simply never true), so the conditions module now refuses it,
naming the key and both types.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection

from advisor.rules.conditions import (
    MAX_PLACEHOLDER_PRECISION,
    MAX_PLACEHOLDER_WIDTH,
    ConditionSchema,
    render_placeholders,
    validate_condition,
    validate_placeholders,
)
from advisor.rules.models import Rule, Ruleset
from advisor.rules.services import advice_for_answers, clear_compiled_cache, compiled_ruleset
from tests.conftest import HIGH_VOLUME_ANSWERS

from .test_admin import change_url, page_text, rule_change_data

SCHEMA = ConditionSchema.build(
    [
        ("monthly_queries", "integer", ()),
        ("load_pattern", "choice", ("steady", "spiky")),
        ("regimes", "multi_choice", ("hipaa", "gdpr")),
        ("has_production_data", "boolean", ()),
    ],
    {"tco_api_usd": "float"},
)

# -- 6b: literal types ------------------------------------------------------------


def test_finding_6b_a_number_compared_with_text_is_refused():
    messages = validate_condition("monthly_queries == 'x'", SCHEMA)
    assert messages == [
        "Type mismatch: monthly_queries is a number, but 'x' is text, so they are never "
        "equal. Compare monthly_queries with a number."
    ]


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("monthly_queries != 'x'", "monthly_queries is a number, but 'x' is text"),
        ("'x' == monthly_queries", "monthly_queries is a number, but 'x' is text"),
        ("load_pattern == 1", "load_pattern is text (one choice), but 1 is a number"),
        ("has_production_data == 1", "has_production_data is true/false, but 1 is a number"),
        ("monthly_queries == true", "monthly_queries is a number, but true is true/false"),
        ("tco_api_usd == 'x'", "tco_api_usd is a number or null"),
        ("5 in regimes", "regimes is a list of text (several choices), but 5 is a number"),
        ("regimes == ['hipaa', 2]", "but 2 is a number"),
        ("monthly_queries in ['a', 'b']", "monthly_queries is a number, but 'a' is text"),
        ("load_pattern in [1, 2]", "load_pattern is text (one choice), but 1 is a number"),
        ("monthly_queries == null", "monthly_queries is a number and is never null"),
        ("monthly_queries > 5 and (load_pattern == 3)", "but 3 is a number"),
    ],
)
def test_type_mismatches_are_refused_naming_key_and_types(condition, words):
    messages = validate_condition(condition, SCHEMA)
    assert any(words in message for message in messages), messages


@pytest.mark.parametrize(
    "condition",
    [
        "monthly_queries == 5",
        "load_pattern == 'steady'",
        "load_pattern in ['steady', 'spiky']",
        "'hipaa' in regimes",
        "regimes == ['hipaa']",
        "has_production_data == true",
        "tco_api_usd == null",
        "tco_api_usd != null and (tco_api_usd ?? 0) > 5",
        "recommendation == null or recommendation == 'api'",
    ],
)
def test_well_typed_comparisons_still_pass(condition):
    assert validate_condition(condition, SCHEMA) == []


def test_the_admin_refuses_the_mismatch_on_the_condition_field(admin_client, draft_ruleset):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    data = rule_change_data(admin_client, rule, condition="monthly_queries == 'x'")
    response = admin_client.post(change_url(rule), data)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["condition"])
    assert "monthly_queries is a number, but 'x' is text" in errors
    assert Rule.objects.get(pk=rule.pk).condition == "monthly_queries < 10000000"


def test_every_seeded_ruleset_version_still_compiles(seeded):
    rulesets = list(Ruleset.objects.filter(name="brief-2026"))
    assert len(rulesets) >= 5  # v1 to v5, archived and current
    for ruleset in rulesets:
        compiled = compiled_ruleset(ruleset)
        assert compiled.invalid == (), (ruleset.version, compiled.invalid)


# -- 4: placeholder widths and precisions ------------------------------------------


def test_finding_4_a_huge_width_is_refused_without_building_it():
    started = time.perf_counter()
    messages = validate_placeholders("TCO {tco_api_usd:>100000000}.", SCHEMA)
    assert time.perf_counter() - started < 0.05  # 100 MB would take far longer
    assert messages == [
        "The placeholder {tco_api_usd:>100000000} pads tco_api_usd to 100,000,000 "
        f"characters; the most is {MAX_PLACEHOLDER_WIDTH}."
    ]


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("0100", "pads tco_api_usd to 100 characters"),
        ("x^41", "pads tco_api_usd to 41 characters"),
        (",.13f", "asks for 13 digits"),
        (".100000000f", "asks for 100,000,000 digits"),
        ("+041,.2f", "pads tco_api_usd to 41 characters"),
    ],
)
def test_widths_and_precisions_past_the_bounds(spec, words):
    messages = validate_placeholders(f"{{tco_api_usd:{spec}}}", SCHEMA)
    assert any(words in message for message in messages), messages


@pytest.mark.parametrize(
    "text",
    [
        "{tco_api_usd:.1f}",
        "{tco_api_usd:usd}",
        "{monthly_queries:volume}",
        f"{{tco_api_usd:>{MAX_PLACEHOLDER_WIDTH},.{MAX_PLACEHOLDER_PRECISION}f}}",
        "{tco_api_usd:*^12.0%}",
        "{load_pattern}",
    ],
)
def test_specs_within_the_bounds_pass(text):
    assert validate_placeholders(text, SCHEMA) == []


def test_the_admin_refuses_the_width_on_the_rationale_field(admin_client, draft_ruleset):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    text = "Volume {monthly_queries:>100000000} a month."
    response = admin_client.post(
        change_url(rule), rule_change_data(admin_client, rule, rationale=text)
    )
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["rationale"])
    assert "pads monthly_queries to 100,000,000 characters" in errors
    assert "the most is 40" in page_text(response)
    assert Rule.objects.get(pk=rule.pk).rationale != text


def test_render_prints_an_oversized_spec_plainly():
    text = "a {tco_api_usd:>100000000} b {tco_api_usd:.1f} c {tco_api_usd:.500f}"
    assert render_placeholders(text, {"tco_api_usd": 5.25}) == "a 5.25 b 5.2 c 5.25"


def test_a_rule_saved_before_the_bound_still_scores_and_renders_short(brief_ruleset):
    """Saved past validation (as before the fix): the rule fires, its text stays small."""
    suffix = " TCO {tco_api_usd:>100000000}; volume {average_monthly_queries:.100000f}."
    # Published rulesets are immutable through the ORM: write underneath it, as
    # a rule saved before this bound already is.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE rules_rule SET rationale = rationale || %s WHERE ruleset_id = %s",
            [suffix, brief_ruleset.pk],
        )
    clear_compiled_cache()
    compiled = compiled_ruleset(brief_ruleset)
    assert compiled.invalid == ()  # still scored: only the text is bounded
    advice = advice_for_answers(
        answers=dict(HIGH_VOLUME_ANSWERS), ruleset=brief_ruleset, uncertainty=False
    )
    fired: Any = advice.evaluation.fired
    assert fired
    for rule in fired:
        assert "TCO " in rule.rationale
        assert len(rule.rationale) < 2000, rule.code
