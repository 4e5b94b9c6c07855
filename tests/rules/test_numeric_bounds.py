"""Issue 15, finding 2: no answer can make completion or ``evaluate`` crash.

Every numeric question has a finite maximum, the parser has a global bound
for any question an admin leaves open, and arithmetic that still overflows
in the cost model (owned by another area) becomes a field error naming the
answer: a 200 with the message on the web, exit status 2 on the command line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import advice as advice_module
from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.results import result_snapshot
from advisor.assessments.services import assessment_start
from advisor.rules.answers import MAX_ABSOLUTE_NUMBER, QuestionSpec, parse_answers
from advisor.rules.services import AnswersBeyondTheModel, advice_for_answers

from .test_evaluate import run

ALL_STEPS = ["workload", "compliance", "capability", "team-and-operations", "cost-assumptions"]


def test_1e307_engineer_cost_exits_2_naming_the_answer(seeded: None, tmp_path: Path) -> None:
    content = json.dumps({"monthly_queries": 20_000_000, "engineer_monthly_cost_usd": 1e307})
    status, stdout, stderr = run(tmp_path, content)
    assert (status, stdout) == (2, "")
    assert "engineer_monthly_cost_usd" in stderr
    assert "Traceback" not in stderr


def test_an_integer_of_4400_digits_exits_2(seeded: None, tmp_path: Path) -> None:
    status, stdout, stderr = run(tmp_path, '{"monthly_queries": 1' + "0" * 4400 + "}")
    assert (status, stdout) == (2, "")
    assert "more than 4,300 digits" in stderr


def test_an_open_question_still_has_the_global_bound() -> None:
    spec = QuestionSpec(key="budget", type="number")  # no min, no max
    for raw in (1e307, str(10**16), "1e20", -(10**16), 10**4000):
        parsed = parse_answers({"budget": raw}, [spec])
        assert not parsed.ok, raw
        assert parsed.errors[0].key == "budget"
    assert parse_answers({"budget": MAX_ABSOLUTE_NUMBER}, [spec]).answers == {
        "budget": MAX_ABSOLUTE_NUMBER
    }


@pytest.fixture
def overflowing_projection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost model overflowing for a large engineer cost (as it did for 1e307)."""
    real_project = advice_module.project

    def project(workload: Any, assumptions: Any, **options: Any) -> Any:
        if assumptions.engineer_monthly_cost_usd > 500_000:
            raise OverflowError("intermediate overflow in fsum")
        return real_project(workload, assumptions, **options)

    monkeypatch.setattr(advice_module, "project", project)


def test_an_overflow_in_the_projection_names_the_answer(
    seeded: None, overflowing_projection: None
) -> None:
    with pytest.raises(AnswersBeyondTheModel) as raised:
        advice_for_answers(
            answers={"monthly_queries": 20_000_000, "engineer_monthly_cost_usd": 900_000}
        )
    assert [error.key for error in raised.value.errors] == ["engineer_monthly_cost_usd"]


def test_an_overflow_in_the_projection_exits_2(
    seeded: None, overflowing_projection: None, tmp_path: Path
) -> None:
    content = json.dumps({"monthly_queries": 20_000_000, "engineer_monthly_cost_usd": 900_000})
    status, stdout, stderr = run(tmp_path, content)
    assert (status, stdout) == (2, "")
    assert stderr.startswith("evaluate: engineer_monthly_cost_usd: The cost model cannot")


def test_completing_with_an_answer_beyond_the_model_is_a_field_error(
    brief_ruleset: Any, client: Any
) -> None:
    """Answers stored before the bounds existed: the review names the answer, writes nothing."""
    assessment = assessment_start(ruleset=brief_ruleset)
    stored = {"monthly_queries": 20_000_000, "engineer_monthly_cost_usd": 1e307}
    Assessment.objects.filter(pk=assessment.pk).update(answers=stored, saved_steps=ALL_STEPS)

    response = client.post(f"/a/{assessment.token}/review/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="review-errors"' in body
    assert "engineer_monthly_cost_usd" in body
    after = Assessment.objects.get(pk=assessment.pk)
    assert (after.status, after.result) == (AssessmentStatus.IN_PROGRESS, None)


# --- hypothesis: extreme but in-range values never raise ------------------------------

EXTREMES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "monthly_queries": lambda: st.sampled_from([0, 1, 10**9, 10**12]),
    "avg_input_tokens": lambda: st.sampled_from([1, 2_000_000]),
    "avg_output_tokens": lambda: st.sampled_from([1, 200_000]),
    "monthly_growth_pct": lambda: st.sampled_from([-50, 0, 99.99, 100]),
    "simple_query_share_pct": lambda: st.sampled_from([0, 0.001, 100]),
    "horizon_months": lambda: st.sampled_from([12, 60]),
    "engineer_monthly_cost_usd": lambda: st.sampled_from([0, 0.01, 1_000_000]),
    "first_year_budget_usd": lambda: st.sampled_from([0, 1_000_000_000]),
    "load_pattern": lambda: st.sampled_from(["steady", "spiky", "business_hours", "unknown"]),
    "customer_facing": lambda: st.booleans(),
}
EXTREME_ANSWERS = st.fixed_dictionaries(
    {"monthly_queries": EXTREMES["monthly_queries"]()},
    optional={key: make() for key, make in EXTREMES.items() if key != "monthly_queries"},
)
SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@SLOW
@given(answers=EXTREME_ANSWERS)
def test_evaluate_never_raises_on_extreme_in_range_answers(
    seeded: None, tmp_path: Path, answers: dict[str, Any]
) -> None:
    status, stdout, stderr = run(tmp_path, json.dumps(answers))
    assert (status, stderr) == (0, ""), answers
    json.loads(stdout)


@pytest.mark.django_db
@settings(SLOW, max_examples=12)
@given(answers=EXTREME_ANSWERS)
def test_completion_never_raises_on_extreme_in_range_answers(
    brief_ruleset: Any, answers: dict[str, Any]
) -> None:
    snapshot = result_snapshot(ruleset=brief_ruleset, answers=answers)
    json.dumps(snapshot, allow_nan=False)
    assert snapshot["costs"]["horizon_months"] >= 12
