"""Advice: the one result object the web page, the CLI and the PDF all render.

Pure glue between the cost model and the rules engine::

    answers -> workload_from_answers -> project -> derived_figures
            -> engine.evaluate(answers, derived figures) -> Advice

:meth:`Advice.to_dict` is exactly the JSON object of the command-line
contract (design.md, "Contract: command line"), plus a few extra keys
(``skipped_rules``, ``excluded_by``, ``assumptions``, ``notes``, ``answers``)
that readers of the contract may ignore.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from advisor.costs.projection import Assumptions, Projection, project, workload_from_answers
from advisor.rules.engine import CompiledRuleset, Evaluation, evaluate


@dataclass(frozen=True)
class AssumptionLine:
    """One row of the dated, sourced assumptions table."""

    label: str
    value: str
    unit: str
    source: str
    as_of: date | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "as_of": self.as_of.isoformat() if self.as_of else None,
        }


@dataclass(frozen=True)
class Advice:
    """A recommendation with its reasons, its cost projection and its inputs."""

    evaluation: Evaluation
    projection: Projection
    ruleset_name: str
    ruleset_version: str
    answers: Mapping[str, Any]
    assumptions: tuple[AssumptionLine, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def recommendation(self) -> str | None:
        return self.evaluation.recommendation

    def to_dict(self) -> dict[str, Any]:
        """The CLI JSON contract; every value is JSON-serialisable."""
        evaluation = self.evaluation
        return {
            "recommendation": evaluation.recommendation,
            "confidence": evaluation.confidence,
            "scores": {option: round(score, 4) for option, score in evaluation.scores.items()},
            "excluded": {option: list(reasons) for option, reasons in evaluation.excluded.items()},
            "fired_rules": [
                {
                    "code": hit.code,
                    "title": hit.title,
                    "rationale": hit.rationale,
                    "effect": hit.effect,
                    "source": hit.source,
                }
                for hit in evaluation.fired
            ],
            "caveats": [
                {"code": caveat.code, "text": caveat.text} for caveat in evaluation.caveats
            ],
            "costs": self.projection.to_dict(),
            "ruleset": {"name": self.ruleset_name, "version": self.ruleset_version},
            "reasons": {
                "for": list(evaluation.reasons_for),
                "against": list(evaluation.reasons_against),
            },
            # Extra keys, beyond the contract:
            "decision": [
                {
                    "question": step.question,
                    "answer": step.answer,
                    "alternative": step.alternative,
                    "asked": step.asked,
                    "for": list(step.reasons_for),
                    "against": list(step.reasons_against),
                }
                for step in evaluation.steps
            ],
            "cheaper_options": [
                {
                    "option": item.option,
                    "difference_usd": round(item.difference_usd, 2),
                    "excluded": item.excluded,
                    "reasons": list(item.reasons),
                }
                for item in evaluation.cheaper_options
            ],
            "open_questions": [
                {
                    "key": question.key,
                    "prompt": question.prompt,
                    "if_yes": question.if_yes,
                    "if_no": question.if_no,
                }
                for question in evaluation.open_questions
            ],
            "excluded_by": {
                option: list(codes) for option, codes in evaluation.excluded_by.items()
            },
            "skipped_rules": [
                {"code": rule.code, "title": rule.title, "error": rule.error}
                for rule in evaluation.skipped
            ],
            "assumptions": [line.to_dict() for line in self.assumptions],
            "notes": list(self.notes),
            "answers": {key: _jsonable(value) for key, value in self.answers.items()},
        }


def advise(
    compiled: CompiledRuleset,
    answers: Mapping[str, Any],
    assumptions: Assumptions,
    *,
    projection: Projection | None = None,
) -> Advice:
    """Project the costs of ``answers`` and score them with ``compiled``.

    ``answers`` are typed with defaults applied (``advisor.rules.answers``);
    ``assumptions`` are the catalog figures with this assessment's overrides.
    ``projection``, when given, must be ``project(workload_from_answers(answers),
    assumptions)`` computed already: the projection depends on nothing else,
    so answers that differ only outside the workload share it.
    """
    if projection is None:
        projection = project(workload_from_answers(answers), assumptions)
    evaluation = evaluate(
        compiled, {**answers, **model_facts(assumptions)}, projection.derived_figures()
    )
    return Advice(
        evaluation=evaluation,
        projection=projection,
        ruleset_name=compiled.name,
        ruleset_version=compiled.version,
        answers=dict(answers),
        assumptions=tuple(
            AssumptionLine(row.label, row.value, row.unit, row.source, row.as_of)
            for row in assumptions.rows()
        ),
        notes=tuple(assumptions.notes),
    )


def model_facts(assumptions: Assumptions) -> dict[str, str]:
    """The capability tiers of the models costed, as rules read them.

    ``conditions.CATALOG_FACT_SYMBOLS``: rules can warn about inconsistent
    picks (frontier capability required of a mini-class API model) without
    naming catalog keys, which change with every price import.
    """
    return {
        "api_model_tier": assumptions.api_model.tier,
        "self_host_model_tier": assumptions.self_host_model.tier,
    }


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
