"""Decision model v3's calibration table on the seeded catalog, and its speed.

    .venv/bin/python -m bench.decision_v3        (after `make seed`, on the SQLite default)

For each volume (1M to 1B queries a month) and load pattern (steady,
business hours), with and without production data: the adjusted P50 TCO of
every option and of the staged plan, the recommendation and its confidence;
then self-hosting's break-even volume against the closed API and against
``open_api``; then the median time of one v3 decision (every draw, the plan)
against ``GET /healthz`` in the same process.

The open-weights offer is the cheapest active hosted offer of the catalog's
like-for-like open model; the cost effects are the seeded ruleset's
evaluation-and-migration cost (judgement: $20K-150K, base $60K).
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

VOLUMES = (1e6, 5e6, 1e7, 3e7, 1e8, 3e8, 1e9)
PATTERNS = ("steady", "business_hours")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django

    django.setup()
    from django.test import Client

    from advisor.costs.projection import workload_from_answers
    from advisor.costs.selectors import catalog_snapshot
    from advisor.costs.services import assumptions_for
    from advisor.scoring.effects import CostEffect, RangeEffect, Triangle
    from advisor.scoring.simulation import DecisionInputs, decide

    catalog = catalog_snapshot()
    api = catalog.default_api_model()
    offers = [
        entry
        for entry in catalog.api_models
        if entry.price.open_weights and entry.price.tier == api.price.tier
    ]
    open_api = min(offers, key=lambda entry: entry.blended_usd) if offers else None
    migration = (
        "evaluation-and-migration",
        CostEffect(
            ("open_api", "self_host", "hybrid"),
            "Quality evaluation and migration",
            one_off_usd=Triangle(20_000, 60_000, 150_000),
        ),
    )
    print(f"closed API: {api.key}; open_api: {open_api.key if open_api else 'none'}\n")

    def inputs(volume: float, pattern: str, measured: bool) -> DecisionInputs:
        answers: dict[str, Any] = {
            "monthly_queries": int(volume),
            "load_pattern": pattern,
            "has_production_data": measured,
        }
        return DecisionInputs(
            workload=workload_from_answers(answers),
            assumptions=assumptions_for(answers=answers, catalog=catalog),
            open_api_model=open_api.price if open_api else None,
            cost_effects=(migration,),
            range_effects=() if measured else (RangeEffect("monthly_queries", 0.3, 3.0),),
            given=frozenset(answers),
            volume_measured=measured,
        )

    print("| volume | load | data | api | open_api | self_host | hybrid | plan | decision |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for pattern in PATTERNS:
        for volume in VOLUMES:
            for measured in (True, False):
                verdict = decide(inputs(volume, pattern, measured))
                cells = [
                    _money(verdict.options[o].adjusted_tco_usd) if o in verdict.options else "-"
                    for o in ("api", "open_api", "self_host", "hybrid")
                ]
                plan = verdict.plan
                plan_cell = (
                    f"{_money(plan.tco_usd)} ({plan.start}->{plan.then} above "
                    f"{plan.trigger_monthly_queries / 1e6:.0f}M)"
                    if plan
                    else "-"
                )
                print(
                    f"| {volume / 1e6:,.0f}M | {pattern} | {'yes' if measured else 'no'} | "
                    + " | ".join(cells)
                    + f" | {plan_cell} | {verdict.recommendation} {verdict.confidence:.0%} |"
                )

    print("\nSelf-hosting's break-even (adjusted P50, steady, production data):")
    for rival in ("api", "open_api"):
        found = None
        for step in range(121):
            volume = 10 ** (6 + 4 * step / 120)
            verdict = decide(inputs(volume, "steady", True))
            if rival in verdict.options and (
                verdict.options["self_host"].adjusted_tco_usd
                < verdict.options[rival].adjusted_tco_usd
            ):
                found = volume
                break
        print(f"- against {rival}: " + (f"{found / 1e6:,.1f}M a month" if found else "beyond 10B"))

    client = Client(HTTP_HOST="127.0.0.1")
    sample = inputs(1e8, "steady", False)
    decision_ms = _median_ms(lambda: decide(sample), 30)
    health_ms = _median_ms(lambda: client.get("/healthz"), 200)
    print(
        f"\nOne v3 decision (draws and plan): median {decision_ms:.1f} ms; /healthz "
        f"{health_ms:.2f} ms; ratio {decision_ms / health_ms:.0f}x"
    )
    return 0


def _median_ms(call: Any, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _money(usd: float) -> str:
    return f"${usd / 1e6:,.2f}M"


if __name__ == "__main__":
    raise SystemExit(main())
