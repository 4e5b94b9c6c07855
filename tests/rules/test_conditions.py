from __future__ import annotations

from types import SimpleNamespace

import pytest

from advisor.rules.conditions import (
    MAX_CONDITION_LENGTH,
    ConditionSchema,
    InvalidCondition,
    choice_values,
    compile_condition,
    referenced_symbols,
    validate_condition,
    validate_effect,
)

SCHEMA = ConditionSchema.build(
    [
        ("monthly_queries", "integer", ()),
        ("monthly_growth_pct", "number", ()),
        ("customer_facing", "boolean", ()),
        ("load_pattern", "choice", ("steady", "business_hours", "spiky", "unknown")),
        ("regimes", "multi_choice", ("hipaa", "soc2", "gdpr")),
        ("api_model", "catalog", ()),
    ],
    {"break_even_month_self_host": "integer", "tco_ratio_self_host": "float"},
)


@pytest.mark.parametrize(
    "expression",
    [
        "monthly_queries < 10000000",
        "monthly_growth_pct >= 0.5 and customer_facing",
        "'hipaa' in regimes and load_pattern == 'steady'",
        "load_pattern in ['steady', 'business_hours']",
        "api_model == 'gpt-4.1-mini'",
        "(break_even_month_self_host ?? 999) <= 18",
        "break_even_month_self_host == null",
        "(tco_ratio_self_host ?? 2) < 0.8 and $abs(monthly_growth_pct) < 10",
    ],
)
def test_valid_conditions_have_no_messages(expression: str) -> None:
    assert validate_condition(expression, SCHEMA) == []


def test_unknown_symbol_names_the_symbol_and_suggests() -> None:
    [message] = validate_condition("monthly_querys > 5", SCHEMA)
    assert "'monthly_querys'" in message
    assert "Did you mean 'monthly_queries'?" in message


def test_type_mismatch_explains_the_types() -> None:
    [message] = validate_condition("load_pattern > 3", SCHEMA)
    assert message.startswith("Type mismatch")
    assert "load_pattern is text" in message


def test_syntax_error_points_at_the_character() -> None:
    assert validate_condition("monthly_queries > 3 )", SCHEMA) == [
        "Syntax error at ')' (character 21)."
    ]
    [message] = validate_condition("monthly_queries >", SCHEMA)
    assert "ends too early" in message


def test_python_style_booleans_get_a_hint() -> None:
    [message] = validate_condition("customer_facing == True", SCHEMA)
    assert "lower case" in message


@pytest.mark.parametrize("operator", ["=~", "=~~", "!~", "!~~"])
def test_regex_operators_are_refused(operator: str) -> None:
    [message] = validate_condition(f"load_pattern {operator} '(a+)+$'", SCHEMA)
    assert "Regular-expression operators" in message


def test_regex_text_inside_a_string_literal_is_not_an_operator() -> None:
    assert validate_condition("api_model != '=~'", SCHEMA) == []


@pytest.mark.parametrize("builtin", ["$now", "$today", "$random()", "$range(10)"])
def test_non_deterministic_or_unbounded_builtins_are_refused(builtin: str) -> None:
    [message] = validate_condition(f"{builtin} != null", SCHEMA)
    assert f"built-in {builtin.split('(')[0]} is not allowed" in message


def test_overlong_condition_is_refused_before_parsing() -> None:
    expression = " and ".join(["customer_facing"] * 600)
    assert len(expression) > MAX_CONDITION_LENGTH
    [message] = validate_condition(expression, SCHEMA)
    assert "limit is 2,000" in message


def test_deep_nesting_is_reported_not_raised() -> None:
    # Under the length cap, yet deep enough to exhaust the parser's recursion.
    expression = "-" * 1990 + "1 > 0"
    assert validate_condition(expression, SCHEMA) == [
        "The condition is nested too deeply to parse. Split it into several rules."
    ]
    # The shared parser still works afterwards.
    assert validate_condition("monthly_queries > 1", SCHEMA) == []


def test_nullable_figure_must_be_discharged_with_coalesce() -> None:
    [message] = validate_condition("break_even_month_self_host < 18", SCHEMA)
    assert "??" in message


def test_condition_must_be_boolean() -> None:
    [message] = validate_condition("monthly_queries", SCHEMA)
    assert "true or false" in message
    assert "a number" in message


@pytest.mark.parametrize(
    ("expression", "bad"),
    [
        ("load_pattern == 'stedy'", "stedy"),
        ("'stedy' != load_pattern", "stedy"),
        ("load_pattern in ['steady', 'spikey']", "spikey"),
        ("'hipa' in regimes", "hipa"),
    ],
)
def test_misspelt_choice_values_are_refused(expression: str, bad: str) -> None:
    [message] = validate_condition(expression, SCHEMA)
    assert f"'{bad}' is not a value of" in message


def test_empty_condition_is_refused() -> None:
    assert validate_condition("   ", SCHEMA) == ["Enter a condition."]


def test_compile_condition_raises_with_messages() -> None:
    with pytest.raises(InvalidCondition) as caught:
        compile_condition("nope > 1", SCHEMA)
    [message] = caught.value.messages
    assert message.startswith("Unknown name 'nope'.")


def test_compiled_condition_evaluates_with_null_figures() -> None:
    rule = compile_condition("(break_even_month_self_host ?? 999) <= 18", SCHEMA)
    assert rule.evaluate({"break_even_month_self_host": None}) is False
    assert rule.evaluate({"break_even_month_self_host": 12}) is True


def test_compile_condition_is_cached() -> None:
    first = compile_condition("monthly_queries > 1", SCHEMA)
    assert compile_condition("monthly_queries > 1", SCHEMA) is first


def test_schema_from_question_like_objects() -> None:
    questions = [
        SimpleNamespace(key="load_pattern", type="choice", choices=[["steady", "Steady"]]),
        SimpleNamespace(key="monthly_queries", type="integer", choices=[]),
    ]
    schema = ConditionSchema.from_questions(questions, {"tco_ratio_self_host": "float"})
    assert schema.by_name["load_pattern"].choices == ("steady",)
    assert schema.by_name["tco_ratio_self_host"].nullable
    assert validate_condition("load_pattern == 'spiky'", schema) != []


def test_choice_values_accepts_pairs_and_plain_values() -> None:
    assert choice_values([["a", "A"], "b"]) == ("a", "b")
    assert choice_values(None) == ()


def test_referenced_symbols_skips_builtins_and_duplicates() -> None:
    assert referenced_symbols("a > 1 and $abs(b) > a") == ["a", "b"]


def test_outcome_symbols_are_available_to_rules_not_to_show_if() -> None:
    assert validate_condition("recommendation in ['self_host', 'hybrid']", SCHEMA) == []
    assert validate_condition("'api' in excluded_options", SCHEMA) == []
    [message] = validate_condition("recommendation == 'selfhost'", SCHEMA)
    assert "not a value of recommendation" in message
    show_if = ConditionSchema.build([("regimes", "multi_choice", ("hipaa",))], outcome=False)
    [message] = validate_condition("recommendation == 'api'", show_if)
    assert "Unknown name 'recommendation'" in message


def test_options_match_the_cost_model() -> None:
    from advisor.options import OPTIONS as COST_OPTIONS
    from advisor.rules.conditions import OPTIONS

    assert OPTIONS == COST_OPTIONS


@pytest.mark.parametrize(
    ("deltas", "excludes", "expected"),
    [
        ({"api": 1, "self_host": -2.5}, ["hybrid"], []),
        ({"cloud": 1}, [], ["'cloud' is not an option"]),
        ({"api": "1"}, [], ["cannot be checked here"]),
        ({"api": True}, [], ["must be a number"]),
        ({"api": float("inf")}, [], ["between -100 and 100"]),
        ({"api": 101}, [], ["between -100 and 100"]),
        ([], [], ["must be an object"]),
        ({}, "api", ["must be a list"]),
        ({}, ["onprem"], ["'onprem' is not an option"]),
    ],
)
def test_validate_effect(deltas: object, excludes: object, expected: list[str]) -> None:
    messages = validate_effect("monthly_queries > 1", deltas, excludes)
    assert len(messages) == len(expected)
    for message, fragment in zip(messages, expected, strict=True):
        assert fragment in message


def test_outcome_rules_may_only_add_caveats() -> None:
    assert validate_effect("recommendation == 'api'", {}, []) == []
    assert validate_effect("recommendation == 'api'", {"api": 0}, []) == []
    [message] = validate_effect("recommendation == 'api'", {"api": 1}, [])
    assert "known only after scoring" in message
    [message] = validate_effect("'api' in excluded_options", {}, ["hybrid"])
    assert "known only after scoring" in message


def test_from_questions_without_outcome_for_show_if() -> None:
    questions = [SimpleNamespace(key="regimes", type="multi_choice", choices=[["hipaa", "HIPAA"]])]
    schema = ConditionSchema.from_questions(questions, outcome=False)
    assert [symbol.name for symbol in schema.symbols] == ["regimes"]
    assert "recommendation" in ConditionSchema.from_questions(questions).by_name


def test_comprehensions_are_refused() -> None:
    nested = "$sum([$sum([1 for b in [1, 2]]) for a in [1, 2]]) > 1"
    [message] = validate_condition(nested, SCHEMA)
    assert "Comprehensions" in message
