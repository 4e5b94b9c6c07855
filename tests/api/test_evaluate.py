"""POST /api/v1/evaluate and GET /api/v1/questions: anonymous, rate-limited."""

from __future__ import annotations

import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from advisor.assessments.usage import GROWTH_RANGE_KEY, split_growth_range
from advisor.rules.services import build_snapshot, parse_answers_for
from advisor.scoring.evaluate import advice_json
from tests.conftest import HIGH_VOLUME_ANSWERS

from .conftest import API

BAD_ANSWERS = {"monthly_queries": "lots", "load_pattern": "sometimes", "colour": "blue"}


def _evaluate(client, body):
    return client.post(f"{API}/evaluate", body, content_type="application/json")


@pytest.mark.parametrize("growth_range", [None, {"low": 1.0, "high": 5.0}])
@time_machine.travel("2026-12-01 09:00:00+00:00", tick=False)
def test_the_api_json_equals_evaluates_for_the_same_answers(
    client, brief_ruleset, tmp_path, growth_range
):
    answers = {**HIGH_VOLUME_ANSWERS, "regimes": ["soc2"], "monthly_growth_pct": 3}
    if growth_range is not None:
        answers[GROWTH_RANGE_KEY] = growth_range
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    printed = StringIO()
    call_command("evaluate", str(path), "--format", "json", stdout=printed)
    response = _evaluate(client, answers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(printed.getvalue())
    assert response.json()["recommendation"] in ("api", "open_api", "self_host", "hybrid")
    # The range reached the scoring: the result is the one scored with it, not without.
    without, fitted = split_growth_range(answers)
    assert response.json() == advice_json(build_snapshot(answers=without, growth_range=fitted))
    if growth_range is not None:
        unranged = advice_json(build_snapshot(answers=without))
        assert response.json()["costs"] != unranged["costs"]


@pytest.mark.parametrize(
    "growth_range",
    [{"low": 1}, {"low": "1", "high": 5}, [1, 5], 4, {"low": True, "high": 5}],
)
def test_a_malformed_growth_range_is_422_naming_it_with_evaluates_message(
    client, brief_ruleset, tmp_path, capsys, growth_range
):
    answers = {
        "monthly_queries": 1_000_000,
        "monthly_growth_pct": 3,
        GROWTH_RANGE_KEY: growth_range,
    }
    with pytest.raises(ValueError) as raised:
        split_growth_range(answers)
    response = _evaluate(client, answers)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/invalid-answers")
    assert problem["errors"] == [{"field": GROWTH_RANGE_KEY, "message": str(raised.value)}]
    # The command refuses the same file with the same message.
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    with pytest.raises(SystemExit) as exited:
        call_command("evaluate", str(path), "--format", "json", stdout=StringIO())
    assert exited.value.code == 2
    assert f"evaluate: {raised.value}" in capsys.readouterr().err


def test_a_growth_range_without_a_numeric_growth_names_both_fields(client, brief_ruleset):
    answers = {
        "monthly_queries": "lots",
        "monthly_growth_pct": "fast",
        GROWTH_RANGE_KEY: {"low": 1, "high": 5},
    }
    problem = _evaluate(client, answers).json()
    fields = [error["field"] for error in problem["errors"]]
    assert sorted(fields) == sorted(["monthly_queries", "monthly_growth_pct", GROWTH_RANGE_KEY])
    message = {e["field"]: e["message"] for e in problem["errors"]}[GROWTH_RANGE_KEY]
    assert "beside a numeric monthly_growth_pct" in message


def test_bad_answers_get_422_with_each_field_and_the_wizards_message(client, brief_ruleset):
    response = _evaluate(client, BAD_ANSWERS)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert problem["type"].endswith("/invalid-answers")
    # The messages the questionnaire shows on these fields (one parser for both).
    wizard = parse_answers_for(brief_ruleset, BAD_ANSWERS).errors
    expected = sorted((error.key, error.message) for error in wizard)
    assert sorted((e["field"], e["message"]) for e in problem["errors"]) == expected
    assert {e["field"] for e in problem["errors"]} == {"monthly_queries", "load_pattern", "colour"}
    assert "'lots' is not a number" in json.dumps(problem)


def test_a_missing_required_answer_names_its_field(client, brief_ruleset):
    problem = _evaluate(client, {"load_pattern": "steady"}).json()
    assert problem["errors"] == [
        {"field": "monthly_queries", "message": "This question needs an answer."}
    ]


@pytest.mark.parametrize(
    "body",
    ["[1, 2]", '"20M"', "{not json", "[" * 100_000, '{"monthly_queries": 1' + "0" * 5000 + "}"],
)
def test_a_body_that_is_not_an_object_is_a_problem_not_a_500(client, brief_ruleset, body):
    response = client.post(f"{API}/evaluate", body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code


def test_a_body_over_the_limit_is_413(client, brief_ruleset):
    body = '{"monthly_queries": 1, "notes": "' + "a" * 2_000_000 + '"}'
    response = client.post(f"{API}/evaluate", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


def test_questions_give_types_choices_defaults_and_help(client, brief_ruleset):
    response = client.get(f"{API}/questions")
    assert response.status_code == 200
    body = response.json()
    assert body["ruleset"] == {"name": brief_ruleset.name, "version": brief_ruleset.version}
    by_key = {question["key"]: question for question in body["questions"]}
    volume = by_key["monthly_queries"]
    assert (volume["type"], volume["required"], volume["default"]) == ("integer", True, None)
    assert volume["help_text"] and volume["prompt"]
    pattern = by_key["load_pattern"]
    assert [choice["value"] for choice in pattern["choices"]] == [
        "steady",
        "business_hours",
        "spiky",
        "unknown",
    ]
    assert pattern["default"] == "unknown"
    assert by_key["regimes"]["default"] == []
    # A catalog question offers the catalog's entries, its default among them.
    model = by_key["api_model"]
    assert model["choices"] and model["default"] in {c["value"] for c in model["choices"]}
    # Every default is an answer evaluate accepts.
    defaults = {key: q["default"] for key, q in by_key.items() if q["default"] is not None}
    assert _evaluate(client, {**defaults, "monthly_queries": 1_000_000}).status_code == 200


@pytest.mark.parametrize(
    ("path", "setting"),
    [
        ("/evaluate", "RATE_LIMIT_API_EVALUATE_PER_MINUTE"),
        ("/questions", "RATE_LIMIT_API_READ_PER_MINUTE"),
    ],
)
@time_machine.travel("2026-12-01 09:00:00+00:00", tick=False)  # one window for every call
def test_anonymous_calls_are_rate_limited_with_retry_after(
    client, brief_ruleset, settings, path, setting
):
    settings.RATELIMIT_ENABLE = True
    setattr(settings, setting, 2)

    def call():
        if path == "/evaluate":
            return _evaluate(client, {"monthly_queries": 1_000_000})
        return client.get(f"{API}{path}")

    assert [call().status_code for _ in range(2)] == [200, 200]
    refused = call()
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["status"] == 429
