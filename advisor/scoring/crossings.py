"""What would change a v3 verdict: the volumes at which another option would be the best choice.

"What would change this answer" compares the recommendation with what would
actually replace it under the same decision rule (the hosted open model
included), never with the closed API alone. Each allowed option is costed
at base values over a grid of volumes (today's volume times 0.01 to 100, the
growth as answered), its curve scaled to pass through its adjusted median at
today's volume (the figure the table shows and the decision compares), and
the rules' cost effects added at their medians; the decision rule with the
base margin then names the winner at each volume. The nearest volume below
and above today's at which the winner changes is found on the grid and
refined to 0.2 %.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from advisor import wording
from advisor.costs.projection import Scenarios
from advisor.options import OPTION_PHRASES
from advisor.scoring.decision import winner
from advisor.scoring.simulation import (
    OWN_OPTIONS,
    PLAN,
    DecisionInputs,
    Verdict,
    _api_monthly,
    _capped_growth,
    _own_monthly,
    prepare,
)

_GRID = np.geomspace(0.01, 100.0, 97)  # 10 % steps over four decades
_FINE_POINTS = 51


@dataclass(frozen=True)
class VolumeCrossing:
    """Below or above this monthly volume, ``winner`` would be the best choice instead."""

    direction: str  # "below" or "above"
    monthly_queries: float
    multiplier: float  # of today's volume
    winner: str
    recommendation: str  # what is recommended at today's volume

    def to_dict(self) -> dict[str, object]:
        return {
            "direction": self.direction,
            "monthly_queries": round(self.monthly_queries),
            "multiplier": round(self.multiplier, 4),
            "recommendation": self.winner,
            "instead_of": self.recommendation,
            "text": self.text(),
        }

    def text(self) -> str:
        """``If the volume were above about 120M queries a month (today 60M), ...``."""
        today = wording.volume(self.monthly_queries / self.multiplier)
        then = wording.volume(self.monthly_queries)
        instead = (
            f"{OPTION_PHRASES.get(self.winner, self.winner)} would be the best choice instead of "
            f"{OPTION_PHRASES.get(self.recommendation, self.recommendation)}"
        )
        if then == today:
            # Right beside today's volume: naming it would suggest no change at all.
            return (
                f"If the volume were even slightly {self.direction} today's {today} queries a "
                f"month, {instead}."
            )
        return (
            f"If the volume were {self.direction} about {then} queries a month (today {today}), "
            f"{instead}."
        )


def volume_crossings(inputs: DecisionInputs, verdict: Verdict) -> tuple[VolumeCrossing, ...]:
    """The nearest volumes below and above today's that change the verdict (module docstring).

    Empty when the staged plan is recommended (its trigger is the volume that
    matters), when fewer than two options are allowed, or without volume.
    """
    recommendation = verdict.recommendation
    options = [
        option for option, outcome in verdict.options.items() if outcome.allowed and option != PLAN
    ]
    workload = inputs.workload
    if recommendation in (None, PLAN) or len(options) < 2 or workload.monthly_queries <= 0:
        return ()
    assert recommendation is not None
    curves = _Curves(inputs, verdict, options)
    winners = curves.winners(_GRID)
    today = curves.winners(np.ones(1))[0]
    if today != recommendation:
        return ()
    found = []
    above = np.flatnonzero((_GRID > 1) & (winners != recommendation))
    if above.size:
        index = int(above[0])
        low = max(1.0, float(_GRID[index - 1])) if index else 1.0
        found.append(curves.refined("above", low, float(_GRID[index]), recommendation))
    below = np.flatnonzero((_GRID < 1) & (winners != recommendation))
    if below.size:
        index = int(below[-1])
        high = min(1.0, float(_GRID[index + 1]))
        found.append(curves.refined("below", float(_GRID[index]), high, recommendation))
    return tuple(found)


class _Curves:
    """Each option's adjusted cost as a function of a multiplier on today's volume."""

    def __init__(self, inputs: DecisionInputs, verdict: Verdict, options: Sequence[str]) -> None:
        self.inputs = inputs
        self.verdict = verdict
        self.options = list(options)
        workload = inputs.workload
        assumptions = (
            inputs.assumptions if inputs.prepared else prepare(workload, inputs.assumptions)
        )
        self.assumptions = assumptions
        base = replace(Scenarios.point(workload, assumptions), whole_replicas=False)
        if inputs.growth_range is not None:
            growth = min(inputs.growth_range.base, _capped_growth(workload.horizon_months))
            base = replace(base, growth_pct=growth)
        self.base = base
        self.today = base.queries(np.ones(1))  # (1, months)
        today = self._costs(np.ones(1))
        self.effects = {
            option: sum(item.usd for item in verdict.options[option].adjustments)
            for option in self.options
        }
        self.scale = {
            option: (
                (verdict.options[option].adjusted_tco_usd - self.effects[option])
                / float(today[option][0])
                if today[option][0] > 0
                else 1.0
            )
            for option in self.options
        }

    def _costs(self, multipliers: NDArray[np.float64]) -> Mapping[str, NDArray[np.float64]]:
        points = len(multipliers)
        scenarios = self.base.repeat(points)
        queries = np.ascontiguousarray(np.outer(multipliers, self.today[0]))
        assumptions, inputs = self.assumptions, self.inputs
        costs = {}
        for option in self.options:
            if option == "api":
                series = _api_monthly(scenarios, assumptions, queries, assumptions.api_model)
            elif option == "open_api" and inputs.open_api_model is not None:
                series = _api_monthly(scenarios, assumptions, queries, inputs.open_api_model)
            elif option in OWN_OPTIONS:
                overhead = np.full(points, inputs.overhead_pct.base)
                series = _own_monthly(option, scenarios, assumptions, queries, overhead)
            else:
                continue
            costs[option] = series.sum(axis=1)
        return costs

    def winners(self, multipliers: NDArray[np.float64]) -> NDArray[np.str_]:
        raw = self._costs(multipliers)
        adjusted = {
            option: raw[option] * self.scale[option] + self.effects[option] for option in raw
        }
        margin = self.verdict.margin_pct
        chosen = [
            winner({option: float(values[index]) for option, values in adjusted.items()}, margin)
            or ""
            for index in range(len(multipliers))
        ]
        return np.array(chosen)

    def refined(self, direction: str, low: float, high: float, keep: str) -> VolumeCrossing:
        """The crossing between ``low`` and ``high`` (one keeps ``keep``, the other not)."""
        fine = np.geomspace(low, high, _FINE_POINTS)
        winners = self.winners(fine)
        changed = np.flatnonzero(winners != keep)
        if changed.size:
            index = int(changed[0] if direction == "above" else changed[-1])
        else:  # float noise at the ends: the grid's own point
            index = _FINE_POINTS - 1 if direction == "above" else 0
        return VolumeCrossing(
            direction,
            float(fine[index]) * self.inputs.workload.monthly_queries,
            float(fine[index]),
            str(winners[index]) if changed.size else str(self.winners(fine[index : index + 1])[0]),
            keep,
        )
