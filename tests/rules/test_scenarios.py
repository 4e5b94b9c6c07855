"""The scenario library (advisor/rules/scenarios, the files the admin preview runs), one test each.

Each scenario runs twice: through ``manage.py evaluate`` (the CLI contract)
and through the service (``advisor.rules.services.advice_for_answers`` on the current ruleset).

Beyond the shared format (``recommendation``, ``excluded``, ``caveats``,
``no_caveats``), the project's own scenarios may expect (decision model v2):
``reasons_for`` / ``not_reasons_for`` (rule codes), ``no_fired``,
``open_questions`` (follow-up keys answered "unknown"),
``not_cheapest_because`` ({cheaper option: a rule code that outweighed it}),
``same_recommendation_with`` (answer overrides that must not change the
recommendation: no cliff), ``confidence_below_with`` (overrides, each of
which must give a higher confidence: an unknown fact lowers it; decision
model v2) and ``conditional`` (decision model v3: an open follow-up's
answers, each with the recommendations acceptable once it is given).
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from advisor.rules.preview import SCENARIOS_DIR
from advisor.rules.services import advice_for_answers

SCENARIOS = sorted(SCENARIOS_DIR.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def assert_meets_expectations(result: dict[str, Any], expect: dict[str, Any]) -> None:
    assert result["recommendation"] in expect["recommendation"], result["scores"]
    assert result["recommendation"] not in result["excluded"]
    # The shared scenarios name open_api (decision model v3); a result that does
    # not cost an option does not offer it, which for a gate is what ruling
    # it out means. An option the result does cost must be excluded outright.
    offered = set(result["costs"]["options"])
    for option in expect.get("excluded", []):
        assert option in result["excluded"] or option not in offered, (
            f"{option} should be ruled out"
        )
    codes = {caveat["code"] for caveat in result["caveats"]}
    assert set(expect.get("caveats", [])) <= codes
    assert not set(expect.get("no_caveats", [])) & codes
    assert result["skipped_rules"] == []
    reasons_for = result["reasons"]["for"]
    assert set(expect.get("reasons_for", [])) <= set(reasons_for), reasons_for
    assert not set(expect.get("not_reasons_for", [])) & set(reasons_for), reasons_for
    fired = {rule["code"] for rule in result["fired_rules"]}
    assert not set(expect.get("no_fired", [])) & fired
    open_keys = [question["key"] for question in result["open_questions"]]
    assert open_keys == expect.get("open_questions", [])
    cheaper = {item["option"]: item for item in result["cheaper_options"]}
    for option, code in expect.get("not_cheapest_because", {}).items():
        assert option in cheaper, cheaper
        assert cheaper[option]["difference_usd"] > 0
        assert code in cheaper[option]["reasons"]


def test_the_library_is_here() -> None:
    assert len(SCENARIOS) >= 24


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_scenario(path: Path, seeded: None, tmp_path: Path) -> None:
    scenario = load(path)
    from_command = through_the_command(scenario["answers"], tmp_path)
    from_service = through_the_service(scenario["answers"])
    assert_meets_expectations(from_command, scenario["expect"])
    assert_meets_expectations(from_service, scenario["expect"])
    # One result object, however it is reached: the command's snapshot is the
    # advice plus what only the snapshot builder adds (the single-answer flips).
    assert advice_part(from_command) == from_service
    for overrides in scenario["expect"].get("same_recommendation_with", []):
        neighbour = through_the_service({**scenario["answers"], **overrides})
        assert neighbour["recommendation"] == from_service["recommendation"], overrides
    for overrides in scenario["expect"].get("confidence_below_with", []):
        known = through_the_service({**scenario["answers"], **overrides})
        assert from_service["confidence"] < known["confidence"], overrides
    branches = {branch["if"]: branch for branch in from_service.get("conditional", [])}
    for value, accepted in scenario["expect"].get("conditional", {}).items():
        assert branches[value]["recommendation"] in accepted, branches
        # Each branch is the advice with that answer given, confidence included.
        key = branches[value]["check"]
        answered = through_the_service({**scenario["answers"], key: value})
        assert branches[value]["recommendation"] == answered["recommendation"]
        assert branches[value]["confidence"] == pytest.approx(answered["confidence"], abs=1e-4)


def advice_part(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's JSON without the builder's additions to ``Advice.to_dict()``."""
    advice = {
        key: value
        for key, value in snapshot.items()
        if key not in ("snapshot_version", "computed_at")
    }
    advice["what_would_change"] = [
        change for change in snapshot["what_would_change"] if change["kind"] != "answer"
    ]
    return advice


def through_the_command(answers: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    stdout = StringIO()
    call_command("evaluate", str(answers_file), "--format", "json", stdout=stdout)
    return json.loads(stdout.getvalue())


def through_the_service(raw: dict[str, Any]) -> dict[str, Any]:
    """The advice for raw answers, as JSON would carry it (the product's own entry point)."""
    return json.loads(json.dumps(advice_for_answers(answers=raw).to_dict()))
