"""The one entry point: answers parsed once, the configuration derived once, a typed result."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.costs import services as cost_services
from advisor.costs.selectors import catalog_snapshot
from advisor.rules import services as rule_services
from advisor.rules.models import Ruleset
from advisor.rules.services import build_snapshot, compiled_ruleset
from advisor.scoring import score as score_module
from advisor.scoring.score import AnswersBeyondTheModel, InvalidAnswers, score
from advisor.snapshot import MeasuredAnswers, MeasuredFigure, ResultSnapshot

ANSWERS = {"monthly_queries": 20_000_000, "load_pattern": "steady"}


def counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(module, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_a_result_parses_the_answers_once_and_configures_the_catalog_once(
    brief_ruleset: Ruleset, monkeypatch: pytest.MonkeyPatch
) -> None:
    parses = counted(monkeypatch, score_module, "parse_answers")
    configurations = counted(monkeypatch, score_module, "assumptions_for")
    # The Django shell parsed and the flips configured again before (a second parse).
    shell_parses = counted(monkeypatch, rule_services, "parse_answers")
    shell_configurations = counted(monkeypatch, cost_services, "assumptions_for")

    result = build_snapshot(answers=ANSWERS, ruleset=brief_ruleset)

    assert (len(parses), len(configurations)) == (1, 1)
    assert shell_parses == shell_configurations == []
    assert result.answer_changes  # the flips ran, on the same configuration
    assert result.computed_at  # stamped by the shell, not by the pure scorer


def test_the_result_is_typed_and_reads_back_from_its_json(brief_ruleset: Ruleset) -> None:
    measured = MeasuredAnswers(
        label="measured",
        keys=("monthly_queries",),
        figures=(MeasuredFigure("monthly_queries", "Queries a month", 20_000_000, "20M"),),
    )
    result = score(ANSWERS, compiled_ruleset(brief_ruleset), catalog_snapshot(), measured=measured)

    api = result.costs.options["api"]
    assert api.adjusted_tco_usd is not None and api.compared_tco_usd == api.adjusted_tco_usd
    assert result.costs.probability_best is not None
    assert sum(result.costs.probability_best.values()) == pytest.approx(1, abs=1e-3)
    assert result.measured == measured
    assert ResultSnapshot.from_dict(result.to_dict()) == result


def test_answers_that_do_not_fit_name_their_field(brief_ruleset: Ruleset) -> None:
    with pytest.raises(InvalidAnswers) as error:
        score({"monthly_queries": "lots"}, compiled_ruleset(brief_ruleset), catalog_snapshot())
    assert [problem.key for problem in error.value.errors] == ["monthly_queries"]
    assert not isinstance(error.value, AnswersBeyondTheModel)
