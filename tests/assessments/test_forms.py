"""The step form: dropping the questions a step's answers hide (forms.StepForm.drop_questions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from advisor.assessments.forms import StepForm
from advisor.rules.answers import QuestionSpec

REGIMES = QuestionSpec(
    "regimes", "multi_choice", prompt="Regimes", choices=(("hipaa", "HIPAA"), ("soc2", "SOC 2"))
)
BAA = QuestionSpec(
    "hipaa_baa_sufficient",
    "choice",
    prompt="Is the BAA sufficient?",
    choices=(("yes", "Yes"), ("no", "No")),
    required=True,
    show_if="'hipaa' in regimes",
)
VOLUME = QuestionSpec("monthly_queries", "integer", prompt="Queries")


def bound(specs: Sequence[QuestionSpec], data: dict[str, Any]) -> StepForm:
    form = StepForm(specs=specs, catalog_options={}, catalog_keys={}, data=data)
    form.is_valid()
    return form


def test_a_dropped_question_loses_its_error_and_no_longer_counts():
    form = bound([REGIMES, BAA], {"regimes": ["soc2"]})
    assert not form.is_valid()  # the hidden follow-up is required and blank

    form.drop_questions({"hipaa_baa_sufficient"})

    assert form.is_valid()
    assert list(form.fields) == ["regimes"]
    assert [field.name for field in form] == ["regimes"]
    assert form.answers == {"regimes": ["soc2"]}


def test_a_dropped_question_loses_its_answer_and_blank_mark():
    form = bound([REGIMES, BAA, VOLUME], {"hipaa_baa_sufficient": "no", "monthly_queries": ""})
    assert form.answers["hipaa_baa_sufficient"] == "no"
    assert form.blank_keys == {"monthly_queries"}

    form.drop_questions({"hipaa_baa_sufficient", "monthly_queries"})

    assert "hipaa_baa_sufficient" not in form.answers
    assert form.blank_keys == set()
    assert [spec.key for spec in form.specs] == ["regimes"]


def test_dropping_gives_the_form_built_for_the_shown_questions_alone():
    data = {"regimes": ["hipaa", "nonsense"], "monthly_queries": "20M", "hipaa_baa_sufficient": ""}
    dropped = bound([REGIMES, BAA, VOLUME], data)
    dropped.drop_questions({"hipaa_baa_sufficient"})
    alone = bound([REGIMES, VOLUME], data)

    assert dropped.errors == alone.errors
    assert dropped.answers == alone.answers
    assert dropped.blank_keys == alone.blank_keys
    assert dropped.parsed_hint("monthly_queries") == alone.parsed_hint("monthly_queries")
