"""Decision model v3's tornado: what moves the recommendation's cost against the runner-up.

v2 measured self-hosting against the closed API, whatever was recommended.
Under v3 the question a buyer asks of the tornado is "how far can the
inputs move before the recommendation stops being the cheaper choice?", so
it measures the recommended option (what to do now; a recommended plan's
start) against the runner-up: the allowed option with the next-lowest
adjusted median TCO.

The bars come from the one-at-a-time sweep (``costs.uncertainty``): each
input at its low and its high, everything else at base, on the point
projection. The ratio at an end is each option's *adjusted* median (the
figure the cost table shows and the decision compares) moved by what that
end moves the option's cost in the sweep, so with every input at its base
the ratio is exactly the table's ratio, and each bar is that ratio shifted
by one input alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from advisor.costs.uncertainty import TORNADO_ROWS, Swing
from advisor.scoring.simulation import PLAN, Verdict

# The chart draws no bar for a ratio that moves less than this (advisor.reports.charts).
MIN_SPREAD = 0.001


def compared(verdict: Verdict) -> tuple[str, str | None] | None:
    """(the recommended option, the runner-up), the runner-up None when it is the only
    option allowed; None when nothing is recommended."""
    option = verdict.now
    if option is None or option not in verdict.options:
        return None
    others = [
        (outcome.adjusted_tco_usd, name)
        for name, outcome in verdict.options.items()
        if name not in (PLAN, option) and outcome.allowed
    ]
    if not others:
        return option, None
    return option, min(others)[1]


def tornado_figures(swings: Sequence[Swing], verdict: Verdict) -> dict[str, Any] | None:
    """The JSON ``costs["tornado"]`` of a v3 result (module docstring); None without a
    recommendation. ``rows`` is empty when the runner-up is None (one option allowed)."""
    pair = compared(verdict)
    if pair is None:
        return None
    option, against = pair
    if against is None:
        return {"option": option, "against": None, "base_ratio": None, "rows": []}
    adjusted = {name: verdict.options[name].adjusted_tco_usd for name in (option, against)}
    rows: list[dict[str, Any]] = []
    for swing in swings:
        if option not in swing.tco_usd or against not in swing.tco_usd:
            continue
        ends = [_ratio(swing, end, adjusted, option, against) for end in (0, 1)]
        if ends[0] is None or ends[1] is None:
            continue
        rows.append(
            {
                "assumption": swing.key,
                "label": swing.label,
                "unit": swing.unit,
                "low": swing.low,
                "base": swing.base,
                "high": swing.high,
                "ratio": {"low": round(ends[0], 4), "high": round(ends[1], 4)},
            }
        )
    # Widest first, as the bars read; an input that moves neither option (or both alike)
    # has no bar, and leaves its place to one that does.
    rows = [row for row in rows if _spread(row) > MIN_SPREAD]
    rows.sort(key=_spread, reverse=True)
    rows = rows[:TORNADO_ROWS]
    base = adjusted[option] / adjusted[against] if adjusted[against] > 0 else None
    return {
        "option": option,
        "against": against,
        "base_ratio": None if base is None else round(base, 4),
        "rows": rows,
    }


def _spread(row: Mapping[str, Any]) -> float:
    return abs(float(row["ratio"]["high"]) - float(row["ratio"]["low"]))


def _ratio(
    swing: Swing, end: int, adjusted: Mapping[str, float], option: str, against: str
) -> float | None:
    def moved(name: str) -> float:
        return adjusted[name] + swing.tco_usd[name][end] - swing.base_tco_usd[name]

    denominator = moved(against)
    return moved(option) / denominator if denominator > 0 else None
