"""Benchmark the cost model: one projection, the planner, the break-even solve.

    .venv/bin/python -m bench.costs [--repeat 200]

Seeds a throw-away SQLite database from fixtures/ (the catalog as `seed`
loads it), then prints the median time of:

(a) one 36-month projection of the three options and the router variant,
    with the GPU chosen (no planner, no break-even solve): target under 1 ms;
(b) the capacity planner choosing among every measured GPU profile of both
    models (``planned``): target under 5 ms;
(c) one break-even volume solve (self-host against the API, re-planning at
    every volume probed);
(d) ``project()`` as completion calls it: planner, variants and both solves;
(e) the uncertainty analysis (costs only, and with the decision re-scored per
    draw by the rules engine, as completion runs it): target under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_PROJECTION_MS = 1.0
TARGET_PLANNER_MS = 5.0
ANSWERS = {"monthly_queries": 30_000_000, "load_pattern": "steady"}


def median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm caches and numpy's first-call costs
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    repeat = parser.parse_args().repeat
    database = Path(tempfile.mkdtemp()) / "bench-costs.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from advisor.costs.assumptions import workload_from_answers
    from advisor.costs.break_even import break_even_volume_multiplier
    from advisor.costs.monthly import planned
    from advisor.costs.projection import project
    from advisor.costs.services import assumptions_for

    call_command("migrate", verbosity=0)
    call_command("seed", "--no-demo-users", stdout=StringIO())
    workload = workload_from_answers(ANSWERS)
    fixed = assumptions_for(answers={**ANSWERS, "gpu": "h100-80gb"})
    fixed = planned(workload, fixed)
    candidates = assumptions_for(answers=ANSWERS)
    count = len(candidates.self_host_candidates) + len(candidates.small_candidates)

    projection_ms = median_ms(lambda: project(workload, fixed, sensitivity=False), repeat)
    planner_ms = median_ms(lambda: planned(workload, candidates), repeat)
    solve_ms = median_ms(
        lambda: break_even_volume_multiplier("self_host", workload, candidates), repeat
    )
    full_ms = median_ms(lambda: project(workload, candidates), repeat)
    from advisor.costs.uncertainty import analyse
    from advisor.rules.services import advice_for_answers

    given = frozenset(ANSWERS)
    costs_only_ms = median_ms(
        lambda: analyse(workload, candidates, given=given), max(5, repeat // 10)
    )
    advice = advice_for_answers(answers=ANSWERS)
    with_decisions_ms = median_ms(lambda: advice_for_answers(answers=ANSWERS), max(5, repeat // 10))
    without_ms = median_ms(
        lambda: advice_for_answers(answers=ANSWERS, uncertainty=False), max(5, repeat // 10)
    )
    print(
        f"one projection, all options and the router (GPU chosen): median {projection_ms:.3f} ms "
        f"(target < {TARGET_PROJECTION_MS} ms)"
    )
    print(
        f"planner over {count} GPU profiles:                         median {planner_ms:.3f} ms "
        f"(target < {TARGET_PLANNER_MS} ms)"
    )
    print(f"break-even solve, self-host (re-planning):                median {solve_ms:.3f} ms")
    print(f"project() as completion calls it (planner, both solves):  median {full_ms:.3f} ms")
    draws = advice.uncertainty.draws if advice.uncertainty else 0
    print(f"uncertainty analysis, costs only ({draws} draws): median {costs_only_ms:.1f} ms")
    print(
        "advice_for_answers() with the uncertainty analysis (decisions re-scored): "
        f"median {with_decisions_ms:.1f} ms "
        f"(without: {without_ms:.1f} ms; the analysis: {with_decisions_ms - without_ms:.1f} ms, "
        "target < 50 ms)"
    )
    within = projection_ms < TARGET_PROJECTION_MS and planner_ms < TARGET_PLANNER_MS
    print("within targets" if within else "OUTSIDE TARGETS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
