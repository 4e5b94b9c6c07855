"""The seeded rulesets as the pure engine reads them, straight from their fixtures.

No database: each version's questions and rules are read from its fixture
(fixtures/20-... is v1, 21-... v2, and so on), with the scenario library's
answers and representative derived cost figures. Used by
``tests/rules/test_fast_evaluator.py`` and by ``python -m bench.rules``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from advisor.rules.answers import QuestionSpec, apply_defaults, parse_answers
from advisor.rules.engine import RuleSpec

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = {
    "1": ROOT / "fixtures" / "20-ruleset-brief-2026.json",
    "2": ROOT / "fixtures" / "21-ruleset-brief-2026-v2.json",
    "3": ROOT / "fixtures" / "22-ruleset-brief-2026-v3.json",
    "4": ROOT / "fixtures" / "23-ruleset-brief-2026-v4.json",
    "5": ROOT / "fixtures" / "24-ruleset-brief-2026-v5.json",
}
# The package's scenario library (advisor.rules.preview.SCENARIOS_DIR; that module needs Django).
SCENARIOS = ROOT / "advisor" / "rules" / "scenarios"
CATALOG_FACTS = {
    "api_model": "gpt-4.1",
    "self_host_model": "llama-3.1-70b-fp8",
    "small_model": "llama-3.1-8b-fp8",
    "gpu": "h100-80gb",
    "engineer_monthly_cost_usd": 22_500.0,
    "first_year_budget_usd": 250_000.0,
}
MODEL_FACTS = {"api_model_tier": "mid", "self_host_model_tier": "mid"}  # advice.model_facts
# Figures shaped like the projection's at 20M queries/month, and a no-break-even case.
FIGURE_SETS = (
    {
        "tco_api_usd": 4_464_000.0, "tco_self_host_usd": 4_071_000.0, "tco_hybrid_usd": 3_143_000.0,
        "tco_ratio_self_host": 0.912, "tco_ratio_hybrid": 0.704,
        "cost_per_1k_queries_api_usd": 6.2, "cost_per_1k_queries_self_host_usd": 5.65,
        "cost_per_1k_queries_hybrid_usd": 4.37, "break_even_month_self_host": 13,
        "break_even_month_hybrid": 5, "break_even_volume_multiplier_self_host": 0.68,
        "break_even_volume_multiplier_hybrid": 0.31, "peak_gpus_self_host": 4,
        "peak_gpus_hybrid": 2, "average_monthly_queries": 20_000_000.0,
    },
    {
        "tco_api_usd": 223_200.0, "tco_self_host_usd": 1_286_000.0, "tco_hybrid_usd": 755_000.0,
        "tco_ratio_self_host": 5.76, "tco_ratio_hybrid": 3.38,
        "cost_per_1k_queries_api_usd": 6.2, "cost_per_1k_queries_self_host_usd": 35.7,
        "cost_per_1k_queries_hybrid_usd": 21.0, "break_even_month_self_host": None,
        "break_even_month_hybrid": None, "break_even_volume_multiplier_self_host": 7.09,
        "break_even_volume_multiplier_hybrid": 6.2, "peak_gpus_self_host": 4,
        "peak_gpus_hybrid": 2, "average_monthly_queries": 1_000_000.0,
    },
)  # fmt: skip


CURRENT = max(FIXTURES, key=int)


def seeded(version: str = CURRENT) -> tuple[list[QuestionSpec], list[RuleSpec]]:
    rows = json.loads(FIXTURES[version].read_text(encoding="utf-8"))
    fields = [(row["model"], row["fields"]) for row in rows]
    questions = [_question(f) for model, f in fields if model == "rules.question"]
    rules = [_rule(f) for model, f in fields if model == "rules.rule" and f["enabled"]]
    return questions, rules


def _question(f: dict[str, Any]) -> QuestionSpec:
    return QuestionSpec(
        key=f["key"], type=f["type"], choices=tuple((v, label) for v, label in f["choices"]),
        catalog=f["catalog"], min=f["min_value"], max=f["max_value"], default=f["default"],
        required=f["required"], show_if=f["show_if"], prompt=f["prompt"],
    )  # fmt: skip


def _rule(f: dict[str, Any]) -> RuleSpec:
    return RuleSpec(
        code=f["code"], title=f["title"], condition=f["condition"], rationale=f["rationale"],
        score_deltas=f["score_deltas"], excludes=tuple(f["excludes"]),
        caveat_code=f["caveat_code"], caveat_text=f["caveat_text"], source=f["source"],
        order=f["order"],
    )  # fmt: skip


def answer_sets(questions: list[QuestionSpec]) -> list[dict[str, Any]]:
    sets = []
    keys = {question.key for question in questions}
    for path in sorted(SCENARIOS.glob("*.json")):
        raw = json.loads(path.read_text())["answers"]
        # v1 lacks v2's questions; catalog keys are the bench's own facts.
        raw = {key: value for key, value in raw.items() if key in keys and key not in CATALOG_FACTS}
        parsed = parse_answers(raw, questions)
        assert parsed.ok, (path.name, parsed.errors)
        sets.append({**apply_defaults(parsed.answers, questions, CATALOG_FACTS), **MODEL_FACTS})
    return sets
