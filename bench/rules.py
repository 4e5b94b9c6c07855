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
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor.costs.projection import DERIVED_FIGURES  # noqa: E402
from advisor.rules.answers import QuestionSpec  # noqa: E402
from advisor.rules.engine import (  # noqa: E402
    CompiledRuleset,
    RuleSpec,
    compile_ruleset,
    evaluate,
    evaluate_recommendations,
)
from tests.rules.seeded_specs import (  # noqa: E402
    CURRENT,
    FIGURE_SETS,
    FIXTURES,
    answer_sets,
    seeded,
)

DRAWS = 200


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
