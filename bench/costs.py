"""Benchmark the cost model: one projection, one sensitivity solve.

    .venv/bin/python -m bench.costs [--repeat 200]

Prints the median time of (a) one 36-month projection of all three options
without the sensitivity solve and (b) one break-even volume solve (self-host
against the API), with the seeded catalog's default figures read from
fixtures/10-catalog.json (no database needed). Targets: under 1 ms and
under 20 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.costs.projection import (  # noqa: E402
    INTEGER_ASSUMPTIONS,
    ApiModelPrice,
    Assumptions,
    GpuPrice,
    ServingProfile,
    Source,
    Workload,
    break_even_volume_multiplier,
    project,
)

TARGET_PROJECTION_MS = 1.0
TARGET_SOLVE_MS = 20.0


def seeded_assumptions(fixture: Path) -> Assumptions:
    """The catalog defaults (default API model, default profiles) straight from the fixture."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for entry in json.loads(fixture.read_text(encoding="utf-8")):
        rows.setdefault(entry["model"], []).append({"pk": entry["pk"], **entry["fields"]})

    def source(row: dict[str, Any]) -> Source:
        return Source(row["source"], date.fromisoformat(row["as_of"]))

    gpus = {
        row["pk"]: GpuPrice(row["key"], row["name"], float(row["usd_per_hour"]), source(row))
        for row in rows["costs.gpuoffering"]
    }
    api = next(row for row in rows["costs.apimodel"] if row["is_default"])
    profiles = {
        row["tier"]: ServingProfile(
            row["key"],
            row["name"],
            row["tier"],
            float(row["parameters_billions"]),
            row["gpus_per_replica"],
            gpus[row["gpu"]],
            float(row["output_tokens_per_second"]),
            float(row["input_tokens_per_second"]),
            source(row),
        )
        for row in rows["costs.selfhostedmodelprofile"]
        if row["is_default_for_tier"]
    }
    scalars = {
        row["key"]: int(float(row["value"]))
        if row["key"] in INTEGER_ASSUMPTIONS
        else float(row["value"])
        for row in rows["costs.costassumption"]
    }
    return Assumptions(
        api_model=ApiModelPrice(
            api["key"],
            api["name"],
            api["provider"],
            api["tier"],
            float(api["input_usd_per_million_tokens"]) / 1e6,
            float(api["output_usd_per_million_tokens"]) / 1e6,
            source(api),
        ),
        self_host_model=profiles["mid"],
        small_model=profiles["small"],
        **scalars,
    )


def median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm up
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    arguments = parser.parse_args()
    assumptions = seeded_assumptions(ROOT / "fixtures" / "10-catalog.json")
    workload = Workload(monthly_queries=10_000_000, load_pattern="steady", horizon_months=36)

    projection_ms = median_ms(
        lambda: project(workload, assumptions, sensitivity=False), arguments.repeat
    )
    solve_ms = median_ms(
        lambda: break_even_volume_multiplier("self_host", workload, assumptions), arguments.repeat
    )
    full_ms = median_ms(lambda: project(workload, assumptions), arguments.repeat)

    print(
        f"projection, 3 options x 36 months: median {projection_ms:.3f} ms "
        f"(target < {TARGET_PROJECTION_MS} ms)"
    )
    print(
        f"sensitivity solve (self_host):     median {solve_ms:.3f} ms "
        f"(target < {TARGET_SOLVE_MS} ms)"
    )
    print(f"project() with both solves:        median {full_ms:.3f} ms")
    within = projection_ms < TARGET_PROJECTION_MS and solve_ms < TARGET_SOLVE_MS
    print("within targets" if within else "OUTSIDE TARGETS")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
