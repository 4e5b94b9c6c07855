"""The figures a v3 result shows, all from one source: the verdict's adjusted median paths.

The point projection (whole replicas, v2's budget-share overhead, no cost
effects) still plans the fleet and answers the rules that read the workload;
but what the page, the PDF and the rules' sentences *show* of each option's
cost comes from the verdict: the table's adjusted TCO is the median of the
draws, and the chart, its data table, the yearly table, the break-even
months and the caveats' figures are read from the same month-by-month
median path (:class:`~advisor.scoring.simulation.CostPath`), whose last
month is that adjusted TCO.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.costs.assumptions import FIRST_YEAR_MONTHS
from advisor.scoring.simulation import CostPath, Verdict

# The options the rules' derived figures name (the three projected ones).
_PROJECTED = ("api", "self_host", "hybrid")
_OWN = ("self_host", "hybrid")


def shown_figures(
    verdict: Verdict, projected: Mapping[str, float | int | None]
) -> dict[str, float | int | None]:
    """``projected`` (the projection's derived figures) with the money figures the result
    shows replaced by the verdict's: adjusted TCOs and their ratios, cost per 1,000
    queries, break-even months, first-year costs and the month-36 volume."""
    figures = dict(projected)
    paths = {option: outcome.path for option, outcome in verdict.options.items()}
    for option in _PROJECTED:
        outcome = verdict.options.get(option)
        if outcome is None:
            continue
        adjusted = outcome.adjusted_tco_usd
        tco, per_1k = (
            projected.get(f"tco_{option}_usd"),
            projected.get(f"cost_per_1k_queries_{option}_usd"),
        )
        figures[f"tco_{option}_usd"] = adjusted
        if tco and per_1k:
            figures[f"cost_per_1k_queries_{option}_usd"] = adjusted / (float(tco) / float(per_1k))
    api = verdict.options.get("api")
    for option in _OWN:
        outcome = verdict.options.get(option)
        if outcome is None or api is None:
            continue
        figures[f"tco_ratio_{option}"] = (
            outcome.adjusted_tco_usd / api.adjusted_tco_usd if api.adjusted_tco_usd > 0 else None
        )
        figures[f"break_even_month_{option}"] = verdict.break_even_month(option)
    for option, path in paths.items():
        if path is not None and f"first_year_{option}_usd" in figures:
            figures[f"first_year_{option}_usd"] = path.total_to_month(FIRST_YEAR_MONTHS)
    for option in _OWN:
        path = paths.get(option)
        if path is not None:
            figures[f"first_year_overhead_{option}_usd"] = first_year_component(path, "overhead")
    # The answer's growth stays the projection's (its caveat speaks of it); the costs'
    # month-36 volume is the verdict's (a fitted growth stops at 10 times today's).
    figures["costed_monthly_queries_at_horizon"] = verdict.month_36_monthly_queries
    return figures


def first_year_component(path: CostPath, name: str) -> float:
    """A component's cost over the path's first 12 months (USD)."""
    return float(sum(path.components.get(name, ())[:FIRST_YEAR_MONTHS]))


def shown_series(path: CostPath) -> dict[str, Any]:
    """An option's month-by-month figures as a result stores them (the chart's, the tables')."""
    cumulative = [round(value, 2) for value in path.cumulative_p50]
    # Each month is the difference of the rounded running totals, so any run of
    # months adds up to what the chart shows at its end, to the cent.
    monthly = [
        round(now - before, 2) for now, before in zip(cumulative, [0.0, *cumulative], strict=False)
    ]
    return {
        "monthly_usd": monthly,
        "cumulative_usd": cumulative,
        "cumulative_usd_band": {
            "p10": [round(value, 2) for value in path.cumulative_p10],
            "p90": [round(value, 2) for value in path.cumulative_p90],
        },
        "components": {
            name: [round(value, 2) for value in series] for name, series in path.components.items()
        },
    }
