"""Property tests over the whole answer space of the seeded ruleset (hypothesis).

Answers are drawn from the seeded questions themselves (every key, type,
range and choice of fixtures/24-ruleset-brief-2026-v5.json; catalog keys from
fixtures/10-catalog.json), each question answered or left to its default.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.costs.projection import DERIVED_FIGURES
from advisor.costs.services import catalog_defaults
from advisor.rules.answers import apply_defaults
from advisor.rules.engine import evaluate
from advisor.rules.services import (
    advice_for_answers,
    compiled_ruleset,
    current_ruleset,
    parse_answers_for,
    question_specs,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ROWS = json.loads((FIXTURES / "24-ruleset-brief-2026-v5.json").read_text(encoding="utf-8"))
CATALOG = json.loads((FIXTURES / "10-catalog.json").read_text(encoding="utf-8"))
QUESTIONS = [row["fields"] for row in ROWS if row["model"] == "rules.question"]
CATALOG_KEYS = {
    "api_model": [
        r["fields"]["key"]
        for r in CATALOG
        if r["model"] == "costs.apimodel" and r["fields"]["active"]
    ],
    "gpu": [r["fields"]["key"] for r in CATALOG if r["model"] == "costs.gpuoffering"],
    "self_host_model": [
        r["fields"]["key"] for r in CATALOG if r["model"] == "costs.selfhostedmodelprofile"
    ],
}
CATALOG_KEYS["small_model"] = [
    r["fields"]["key"]
    for r in CATALOG
    if r["model"] == "costs.selfhostedmodelprofile" and r["fields"]["tier"] == "small"
]
# Hypothesis runs many examples inside one test (one database), which is safe
# here: every example only reads the seeded rows.
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def value_strategy(question: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind = question["type"]
    low, high = question["min_value"], question["max_value"]
    if kind == "integer":
        return st.integers(int(low), int(high))
    if kind == "number":
        return st.floats(low, high if high is not None else 1e9, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    values = [value for value, _label in question["choices"]]
    if kind == "choice":
        return st.sampled_from(values)
    if kind == "multi_choice":
        return st.lists(st.sampled_from(values), unique=True)
    return st.sampled_from(CATALOG_KEYS[question["catalog"]])


def answers_strategy() -> st.SearchStrategy[dict[str, Any]]:
    fields = {}
    for question in QUESTIONS:
        strategy = value_strategy(question)
        fields[question["key"]] = strategy if question["required"] else st.none() | strategy
    return st.fixed_dictionaries(fields).map(
        lambda drawn: {key: value for key, value in drawn.items() if value is not None}
    )


@pytest.mark.django_db
@SETTINGS
@given(answers=answers_strategy())
def test_any_valid_answers_give_a_sound_result(seeded: None, answers: dict[str, Any]) -> None:
    result = advice_for_answers(answers=answers).to_dict()
    json.dumps(result, allow_nan=False)  # finite numbers only, serialisable
    assert all(math.isfinite(score) for score in result["scores"].values())
    assert 0.0 <= result["confidence"] <= 1.0
    if result["recommendation"] is None:
        assert set(result["excluded"]) == {"api", "self_host", "hybrid"}
    else:
        assert result["recommendation"] not in result["excluded"]
    assert result["skipped_rules"] == []  # complete answers: every seeded rule evaluates
    assert advice_for_answers(answers=answers).to_dict() == result  # deterministic


FIGURE = st.none() | st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**6), 10**6)


@pytest.mark.django_db
@settings(SETTINGS, max_examples=200)
@given(answers=answers_strategy(), figures=st.data())
def test_engine_survives_any_derived_figures(
    seeded: None, answers: dict[str, Any], figures: st.DataObject
) -> None:
    """Null, infinite, NaN or absurd cost figures never break an evaluation."""
    compiled = compiled_ruleset(current_ruleset())
    derived = {name: figures.draw(FIGURE, label=name) for name in DERIVED_FIGURES}
    ruleset = current_ruleset()
    parsed = parse_answers_for(ruleset, answers)
    typed = apply_defaults(parsed.answers, question_specs(ruleset), catalog_defaults())
    first = evaluate(compiled, typed, derived)
    assert all(math.isfinite(score) for score in first.scores.values())
    assert first.recommendation not in first.excluded
    assert evaluate(compiled, typed, derived) == first
