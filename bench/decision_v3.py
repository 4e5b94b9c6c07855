"""Decision model v3's calibration table on the seeded ruleset and catalog, and its speed.

    .venv/bin/python -m bench.decision_v3        (after `make seed`, on the SQLite default)

Through the product's own entry point (``advice_for_answers``, the current
ruleset): for each volume (1M to 1B queries a month) and load pattern
(steady, business hours), with and without production data, every option's
adjusted median 36-month cost, the staged plan's, the recommendation and its
confidence; then self-hosting's break-even volume against the closed API and
against the hosted open model (adjusted medians, production data, steady);
then the median time of a completion's scoring (``build_snapshot``: the
verdict, the uncertainty figures, the answer flips) and of one verdict,
each against ``GET /healthz`` in the same process.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

VOLUMES = (1e6, 5e6, 1e7, 3e7, 1e8, 3e8, 1e9)
PATTERNS = ("steady", "business_hours")
OPTIONS = ("api", "open_api", "self_host", "hybrid")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django

    django.setup()
    from django.test import Client

    from advisor.assessments.results import build_snapshot
    from advisor.rules.services import advice_for_answers

    def verdict(answers: dict[str, Any]) -> Any:
        return advice_for_answers(answers=answers, uncertainty=False)

    sample = verdict({"monthly_queries": 1_000_000})
    print(
        f"closed API: {sample.assumptions[0].label}; hosted open model: {sample.open_api_model}\n"
    )
    print("| volume | load | data | api | open_api | self_host | hybrid | plan | decision |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for pattern in PATTERNS:
        for volume in VOLUMES:
            for measured in (True, False):
                advice = verdict(
                    {
                        "monthly_queries": int(volume),
                        "load_pattern": pattern,
                        "has_production_data": measured,
                    }
                )
                result = advice.verdict
                cells = [_money(result.options[option].adjusted_tco_usd) for option in OPTIONS]
                plan = result.plan
                plan_cell = (
                    f"{_money(plan.tco_usd)}: {plan.start} then {plan.then} above "
                    f"{plan.trigger_monthly_queries / 1e6:,.0f}M"
                    if plan
                    else "-"
                )
                print(
                    f"| {volume / 1e6:,.0f}M | {pattern} | {'yes' if measured else 'no'} | "
                    + " | ".join(cells)
                    + f" | {plan_cell} | {result.recommendation} {result.confidence:.0%} |"
                )

    print("\nSelf-hosting's break-even (adjusted medians, steady, production data):")
    for rival in ("api", "open_api"):
        found = None
        for step in range(161):
            volume = 10 ** (6 + 5 * step / 160)
            options = verdict(
                {
                    "monthly_queries": int(volume),
                    "load_pattern": "steady",
                    "has_production_data": True,
                }
            ).verdict.options
            if options["self_host"].adjusted_tco_usd < options[rival].adjusted_tco_usd:
                found = volume
                break
        print(f"- against {rival}: " + (f"{found / 1e6:,.1f}M a month" if found else "beyond 100B"))

    client = Client(HTTP_HOST="127.0.0.1")
    answers = {"monthly_queries": 60_000_000, "load_pattern": "steady"}
    completion_ms = _median_ms(lambda: build_snapshot(answers=answers), 15)
    verdict_ms = _median_ms(lambda: verdict(answers), 15)
    health_ms = _median_ms(lambda: client.get("/healthz"), 300)
    print(
        f"\nCompletion scoring (build_snapshot: verdict, uncertainty, flips): median "
        f"{completion_ms:.0f} ms = {completion_ms / health_ms:.0f}x /healthz ({health_ms:.2f} ms)"
    )
    print(f"One verdict (advice_for_answers without the uncertainty figures): {verdict_ms:.0f} ms")
    return 0


def _median_ms(call: Callable[[], Any], runs: int) -> float:
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
