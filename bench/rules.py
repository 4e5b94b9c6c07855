"""Benchmark: one evaluation of the seeded ruleset, and how it grows with rules.

    .venv/bin/python -m bench.rules [--runs 5000]

Pure and in-process: each seeded ruleset version is read from its fixture
(fixtures/20-... is v1, 21-... v2, and so on to 24-... v5; no database), compiled
once, then ``engine.evaluate`` runs over the scenario answers with representative
derived cost figures. Prints the median and p99 per evaluation for each version,
then for the current one plus generated rules (100, 250, 500) to show the growth with
the rule count, and the fast re-scoring of 200 Monte Carlo draws
(``evaluate_recommendations``, same answers, drawn figures). The cost
projection is not part of these figures (see advisor/costs).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor.costs.projection import DERIVED_FIGURES  # noqa: E402
from advisor.rules.answers import QuestionSpec, apply_defaults, parse_answers  # noqa: E402
from advisor.rules.engine import (  # noqa: E402
    CompiledRuleset,
    RuleSpec,
    compile_ruleset,
    evaluate,
    evaluate_recommendations,
)

FIXTURES = {
    "1": ROOT / "fixtures" / "20-ruleset-brief-2026.json",
    "2": ROOT / "fixtures" / "21-ruleset-brief-2026-v2.json",
    "3": ROOT / "fixtures" / "22-ruleset-brief-2026-v3.json",
    "4": ROOT / "fixtures" / "23-ruleset-brief-2026-v4.json",
    "5": ROOT / "fixtures" / "24-ruleset-brief-2026-v5.json",
}
DRAWS = 200
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


def generated_rules(count: int, questions: list[QuestionSpec], seed: int = 7) -> list[RuleSpec]:
    """Rules of the seeded kinds: thresholds, choices, regimes, cost figures, and/or."""
    rng = random.Random(seed)
    choices = [q for q in questions if q.type == "choice"]
    numbers = [q for q in questions if q.type in ("integer", "number") and q.max is not None]

    def term() -> str:
        kind = rng.randrange(4)
        if kind == 0:
            question = rng.choice(numbers)
            return f"{question.key} > {rng.uniform(question.min or 0, question.max):.0f}"
        if kind == 1:
            question = rng.choice(choices)
            return f"{question.key} == '{rng.choice(question.choice_values)}'"
        if kind == 2:
            return f"'{rng.choice(['hipaa', 'soc2', 'gdpr', 'fedramp'])}' in regimes"
        figure = rng.choice(["tco_ratio_self_host", "tco_ratio_hybrid", "break_even_month_hybrid"])
        return f"({figure} ?? 99) < {rng.uniform(0.5, 20):.2f}"

    return [
        RuleSpec(
            code=f"generated-{index}",
            title=f"Generated {index}",
            condition=" and ".join(term() for _ in range(rng.randint(1, 3))),
            rationale="generated",
            score_deltas={rng.choice(["api", "self_host", "hybrid"]): rng.uniform(-3, 3)},
            order=1000 + index,
        )
        for index in range(count)
    ]


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


def measure(compiled: CompiledRuleset, answers: list[dict[str, Any]], runs: int) -> list[float]:
    timings = []
    for index in range(runs):
        facts = answers[index % len(answers)]
        figures = FIGURE_SETS[index % len(FIGURE_SETS)]
        start = time.perf_counter()
        evaluate(compiled, facts, figures)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def measure_draws(
    compiled: CompiledRuleset, answers: list[dict[str, Any]], runs: int
) -> list[float]:
    """Milliseconds to re-score DRAWS figure draws of one answer set (as the Monte Carlo does)."""
    rng = random.Random(12)
    timings = []
    for index in range(runs):
        facts = answers[index % len(answers)]
        base = FIGURE_SETS[index % len(FIGURE_SETS)]
        draws = [
            {
                **base,
                "tco_ratio_self_host": base["tco_ratio_self_host"] * rng.lognormvariate(0, 0.5),
                "tco_ratio_hybrid": base["tco_ratio_hybrid"] * rng.lognormvariate(0, 0.5),
            }
            for _ in range(DRAWS)
        ]
        start = time.perf_counter()
        evaluate_recommendations(compiled, [facts] * DRAWS, draws)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def report(label: str, compiled: CompiledRuleset, timings: list[float]) -> None:
    ordered = sorted(timings)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    median = statistics.median(ordered)
    per_rule = median / max(1, len(compiled.rules)) * 1000
    print(
        f"{label:<32} {len(compiled.rules):>4} rules   median {median:7.3f} ms   "
        f"p99 {p99:7.3f} ms   {per_rule:5.1f} µs/rule"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5000)
    runs = parser.parse_args().runs

    def build(version: str, extra: int) -> tuple[CompiledRuleset, list[dict[str, Any]]]:
        questions, rules = seeded(version)
        start = time.perf_counter()
        compiled = compile_ruleset(
            name="brief-2026", version=version, questions=questions,
            rules=rules + generated_rules(extra, questions), derived_figures=DERIVED_FIGURES,
        )  # fmt: skip
        assert not compiled.invalid, compiled.invalid
        print(f"  (compiled {len(compiled.rules)} rules in {(time.perf_counter() - start):.2f} s)")
        return compiled, answer_sets(questions)

    print(f"Python {sys.version.split()[0]}, {runs} evaluations each, scenario answer sets")
    runs_of = [(version, 0) for version in FIXTURES] + [(CURRENT, n) for n in (100, 250, 500)]
    for version, extra in runs_of:
        label = f"v{version} + {extra} generated" if extra else f"seeded ruleset v{version}"
        compiled, answers = build(version, extra)
        measure(compiled, answers, min(runs, 200))  # warm-up
        report(label, compiled, measure(compiled, answers, runs))
    compiled, answers = build(CURRENT, 0)
    timings = sorted(measure_draws(compiled, answers, max(20, runs // 50)))
    print(
        f"{f'v{CURRENT}, {DRAWS} draws re-scored':<32} {len(compiled.rules):>4} rules   "
        f"median {statistics.median(timings):7.3f} ms   "
        f"p99 {timings[min(len(timings) - 1, int(len(timings) * 0.99))]:7.3f} ms   (per 200 draws)"
    )


if __name__ == "__main__":
    main()
