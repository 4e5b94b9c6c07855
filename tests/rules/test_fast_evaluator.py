"""The fast evaluator agrees with rule-engine on every seeded rule (conditions.fast_evaluator)."""

from __future__ import annotations

import decimal
import math
from typing import Any

import pytest

from advisor.costs.projection import DERIVED_FIGURES
from advisor.rules.conditions import (
    ConditionSchema,
    compile_condition,
    compile_effect,
    fast_evaluator,
)
from tests.rules.seeded_specs import FIGURE_SETS, FIXTURES, answer_sets, seeded


def plain(value: Any) -> Any:
    return float(value) if isinstance(value, decimal.Decimal) else value


@pytest.mark.parametrize("version", sorted(FIXTURES, key=int))
def test_every_seeded_expression_is_fast_and_agrees(version: str) -> None:
    questions, rules = seeded(version)
    schema = ConditionSchema.from_questions(questions, DERIVED_FIGURES)
    facts_list = [
        {**figures, **answers} for answers in answer_sets(questions) for figures in FIGURE_SETS
    ]
    compared = 0
    for spec in rules:
        compiled = [compile_condition(spec.condition, schema)]
        compiled += [
            compile_effect(delta, schema)
            for delta in spec.score_deltas.values()
            if isinstance(delta, str)
        ]
        for rule in compiled:
            fast = fast_evaluator(rule)
            assert fast is not None, spec.code
            for facts in facts_list:
                try:
                    expected = plain(rule.evaluate(facts))
                except Exception:
                    with pytest.raises(Exception):  # noqa: B017 (any error: skipped either way)
                        fast(facts)
                    continue
                got = fast(facts)
                if isinstance(expected, float):
                    assert math.isclose(got, expected, rel_tol=1e-9), spec.code
                else:
                    assert got == expected, spec.code
                compared += 1
    assert compared > 1000


def test_outside_the_subset_rule_engine_evaluates() -> None:
    schema = ConditionSchema.build([("x", "number", ())])
    assert fast_evaluator(compile_effect("x % 3", schema)) is None
    assert fast_evaluator(compile_condition("x > 1", schema)) is not None


@pytest.mark.parametrize(
    ("expression", "facts"),
    [
        ("1 + x * 2", {"x": 0.25}),
        ("x + 1.5", {"x": -3}),
        ("$max([0, $min([1, 1 + 6 * $log($max([x, 0.01]))])])", {"x": 0.9}),
        ("$max([0, $min([1, 1 + 6 * $log($max([x, 0.01]))])])", {"x": 0.5}),
    ],
)
def test_addition_agrees_with_rule_engine(expression: str, facts: dict[str, Any]) -> None:
    schema = ConditionSchema.build([("x", "number", ())])
    rule = compile_effect(expression, schema)
    fast = fast_evaluator(rule)
    assert fast is not None
    assert fast(facts) == pytest.approx(float(rule.evaluate(facts)))


def test_joined_strings_agree_with_rule_engine() -> None:
    schema = ConditionSchema.build([("name", "choice", ("brief", "other"))])
    rule = compile_condition("name + '-v3' == 'brief-v3'", schema)
    fast = fast_evaluator(rule)
    assert fast is not None
    for name in ("brief", "other"):
        assert fast({"name": name}) == rule.evaluate({"name": name})
