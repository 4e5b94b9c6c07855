from __future__ import annotations

import pytest

from advisor.rules.answers import (
    AnswerError,
    QuestionSpec,
    apply_defaults,
    parse_answers,
    parse_number,
)

SCHEMA = (
    QuestionSpec(key="monthly_queries", type="integer", min=0, max=1e12, required=True),
    QuestionSpec(key="monthly_growth_pct", type="number", min=-50, max=100, default=0, unit="%"),
    QuestionSpec(key="customer_facing", type="boolean", default=True),
    QuestionSpec(
        key="load_pattern",
        type="choice",
        choices=(("steady", "Steady"), ("spiky", "Spiky"), ("unknown", "Unknown")),
        default="unknown",
    ),
    QuestionSpec(
        key="regimes",
        type="multi_choice",
        choices=(("hipaa", "HIPAA"), ("soc2", "SOC 2"), ("gdpr", "GDPR")),
        default=[],
    ),
    QuestionSpec(key="api_model", type="catalog", catalog="api_model"),
    QuestionSpec(key="engineer_monthly_cost_usd", type="number", min=0),
)
CATALOG = {"api_model": ["gpt-4.1", "gpt-4.1-mini"]}


def parse(raw: dict, **kwargs: object):
    return parse_answers(raw, SCHEMA, catalog_choices=CATALOG, **kwargs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20M", 20_000_000),
        ("20m", 20_000_000),
        ("1.5k", 1500),
        ("300,000,000", 300_000_000),
        ("300_000_000", 300_000_000),
        ("300 000 000", 300_000_000),
        ("2bn", 2_000_000_000),
        ("1.2B", 1_200_000_000),
        ("3MM", 3_000_000),
        ("1T", 1_000_000_000_000),
        ("$25K", 25_000),
        ("2e7", 20_000_000),
        ("-12.5", -12.5),
        ("30%", 30),
        (" 42 ", 42),
        (".5", 0.5),
        ("1.1k", 1100),
        ("1 million", 1_000_000),
        ("2.5 Million", 2_500_000),
        ("3 billion", 3_000_000_000),
        ("40 thousand", 40_000),
    ],
)
def test_parse_number_shorthand(text: str, expected: float) -> None:
    assert parse_number(text) == expected


def test_parse_number_returns_int_when_whole() -> None:
    assert isinstance(parse_number("1.5k"), int)
    assert isinstance(parse_number("1.25"), float)


@pytest.mark.parametrize(
    "text", ["", "lots", "1,50", "12,34,567", "1..2", "k", "20 k k", "1e9999", "1e5e5"]
)
def test_parse_number_refuses_garbage(text: str) -> None:
    with pytest.raises(ValueError, match=r"number|separators"):
        parse_number(text)


def test_form_strings_become_typed_answers() -> None:
    parsed = parse(
        {
            "monthly_queries": "20M",
            "monthly_growth_pct": "2.5",
            "customer_facing": "no",
            "load_pattern": " steady ",
            "regimes": ["soc2", "hipaa"],
            "api_model": "gpt-4.1-mini",
        }
    )
    assert parsed.ok
    assert parsed.answers == {
        "monthly_queries": 20_000_000,
        "monthly_growth_pct": 2.5,
        "customer_facing": False,
        "load_pattern": "steady",
        "regimes": ("hipaa", "soc2"),  # question order, whatever order ticked
        "api_model": "gpt-4.1-mini",
    }


def test_json_values_become_typed_answers() -> None:
    parsed = parse({"monthly_queries": 2e7, "customer_facing": True, "regimes": []})
    assert parsed.answers == {"monthly_queries": 20_000_000, "customer_facing": True, "regimes": ()}
    assert isinstance(parsed.answers["monthly_queries"], int)


@pytest.mark.parametrize("value", ["yes", "Y", "on", "true", "1", True])
def test_truthy_booleans(value: object) -> None:
    assert (
        parse({"monthly_queries": 1, "customer_facing": value}).answers["customer_facing"] is True
    )


@pytest.mark.parametrize("value", ["no", "off", "FALSE", "0", False])
def test_falsy_booleans(value: object) -> None:
    assert (
        parse({"monthly_queries": 1, "customer_facing": value}).answers["customer_facing"] is False
    )


def test_comma_separated_multi_choice() -> None:
    assert parse({"monthly_queries": 1, "regimes": "gdpr, hipaa"}).answers["regimes"] == (
        "hipaa",
        "gdpr",
    )


def test_blank_values_count_as_unanswered() -> None:
    parsed = parse({"monthly_queries": 5, "load_pattern": "", "monthly_growth_pct": None})
    assert parsed.ok
    assert parsed.answers == {"monthly_queries": 5}


@pytest.mark.parametrize(
    ("raw", "key", "fragment"),
    [
        ({"monthly_queries": 1, "monthly_querys": 2}, "monthly_querys", "Did you mean"),
        ({"monthly_queries": "lots"}, "monthly_queries", "not a number"),
        ({"monthly_queries": True}, "monthly_queries", "Enter a number"),
        ({"monthly_queries": [1]}, "monthly_queries", "Enter a number"),
        ({"monthly_queries": 1.5}, "monthly_queries", "whole number"),
        ({"monthly_queries": -1}, "monthly_queries", "at least 0"),
        ({"monthly_queries": 1e13}, "monthly_queries", "at most 1,000,000,000,000"),
        ({"monthly_queries": float("nan")}, "monthly_queries", "finite"),
        ({"monthly_queries": 1, "monthly_growth_pct": 101}, "monthly_growth_pct", "at most 100 %"),
        ({"monthly_queries": 1, "customer_facing": "maybe"}, "customer_facing", "yes or no"),
        ({"monthly_queries": 1, "customer_facing": 1}, "customer_facing", "yes or no"),
        ({"monthly_queries": 1, "load_pattern": "stedy"}, "load_pattern", "Did you mean 'steady'"),
        ({"monthly_queries": 1, "load_pattern": 3}, "load_pattern", "Choose one of"),
        ({"monthly_queries": 1, "regimes": ["pci"]}, "regimes", "not a choice"),
        ({"monthly_queries": 1, "regimes": {"hipaa": True}}, "regimes", "a list"),
        ({"monthly_queries": 1, "api_model": "gpt-9"}, "api_model", "not a catalog entry"),
        ({}, "monthly_queries", "needs an answer"),
    ],
)
def test_field_errors_name_the_field(raw: dict, key: str, fragment: str) -> None:
    parsed = parse(raw)
    assert not parsed.ok
    assert [error.key for error in parsed.errors] == [key]
    assert fragment in parsed.errors[0].message


def test_partial_skips_required_check() -> None:
    parsed = parse({"load_pattern": "spiky"}, partial=True)
    assert parsed.ok
    assert parsed.answers == {"load_pattern": "spiky"}


def test_every_error_is_reported_at_once() -> None:
    parsed = parse({"monthly_queries": "x", "load_pattern": "y", "nope": 1})
    assert {error.key for error in parsed.errors} == {"monthly_queries", "load_pattern", "nope"}
    assert parsed.errors_for("load_pattern")


def test_catalog_keys_unchecked_without_a_list() -> None:
    parsed = parse_answers({"monthly_queries": 1, "api_model": "anything"}, SCHEMA)
    assert parsed.answers["api_model"] == "anything"


def test_answer_error_reads_as_key_and_message() -> None:
    assert str(AnswerError("load_pattern", "Bad.")) == "load_pattern: Bad."


def test_apply_defaults_fills_in_schema_order() -> None:
    completed = apply_defaults(
        {"monthly_queries": 5}, SCHEMA, {"api_model": "gpt-4.1", "engineer_monthly_cost_usd": 22500}
    )
    assert completed == {
        "monthly_queries": 5,
        "monthly_growth_pct": 0,
        "customer_facing": True,
        "load_pattern": "unknown",
        "regimes": (),
        "api_model": "gpt-4.1",
        "engineer_monthly_cost_usd": 22500,
    }


def test_apply_defaults_keeps_given_answers_and_leaves_required_missing() -> None:
    completed = apply_defaults({"load_pattern": "spiky"}, SCHEMA)
    assert completed["load_pattern"] == "spiky"
    assert "monthly_queries" not in completed
    assert "api_model" not in completed  # no question default, no fallback given


def test_a_bound_of_one_takes_the_singular_unit() -> None:
    schema = [QuestionSpec(key="avg_input_tokens", type="integer", min=1, unit="tokens")]
    parsed = parse_answers({"avg_input_tokens": 0}, schema)
    assert parsed.errors[0].message == "Enter at least 1 token."


def test_a_percentage_field_gives_a_percentage_example() -> None:
    parsed = parse({"monthly_queries": 1, "monthly_growth_pct": "lots"})
    message = parsed.errors[0].message
    assert "Enter a percentage, e.g. 20 or 12.5." in message
    assert "20M" not in message
