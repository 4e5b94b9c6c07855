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
refined to 0.8 %.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from advisor import wording
from advisor.costs.monthly import Scenarios
from advisor.costs.uncertainty import Percentiles
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

# Four decades in 21 % steps, and today's volume itself (the curves' anchor).
_GRID = np.union1d(np.geomspace(0.01, 100.0, 49), [1.0])
_TODAY = int(np.flatnonzero(_GRID == 1.0)[0])
_FINE_POINTS = 25  # the refinement: 0.8 % steps


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
    return volume_figures(inputs, verdict)[0]


def volume_figures(
    inputs: DecisionInputs, verdict: Verdict
) -> tuple[tuple[VolumeCrossing, ...], dict[str, Percentiles | None]]:
    """:func:`volume_crossings` and :func:`break_even_volumes`, on one set of curves."""
    if inputs.workload.monthly_queries <= 0:
        return (), {option: None for option in OWN_OPTIONS}
    curves = _Curves(inputs, verdict)
    return _volume_crossings(curves), _break_even_volumes(curves)


def _volume_crossings(curves: _Curves) -> tuple[VolumeCrossing, ...]:
    recommendation = curves.verdict.recommendation
    if recommendation in (None, PLAN) or len(curves.allowed) < 2:
        return ()
    assert recommendation is not None
    winners = curves.winners_on_grid()
    if winners[_TODAY] != recommendation:
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

    def __init__(self, inputs: DecisionInputs, verdict: Verdict) -> None:
        self.inputs = inputs
        self.verdict = verdict
        self.options = [option for option in verdict.options if option != PLAN]
        self.allowed = [option for option in self.options if verdict.options[option].allowed]
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
        self.grid = self._costs(_GRID)
        today = {option: values[_TODAY : _TODAY + 1] for option, values in self.grid.items()}
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

    def winners_on_grid(self) -> NDArray[np.str_]:
        return self._winners(self.grid)

    def winners(self, multipliers: NDArray[np.float64]) -> NDArray[np.str_]:
        return self._winners(self._costs(multipliers))

    def _winners(self, raw: Mapping[str, NDArray[np.float64]]) -> NDArray[np.str_]:
        points = len(next(iter(raw.values())))
        adjusted = {
            option: raw[option] * self.scale[option] + self.effects[option]
            for option in self.allowed
            if option in raw
        }
        margin = self.verdict.margin_pct
        chosen = [
            winner({option: float(values[index]) for option, values in adjusted.items()}, margin)
            or ""
            for index in range(points)
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


def break_even_volumes(inputs: DecisionInputs, verdict: Verdict) -> dict[str, Percentiles | None]:
    """:func:`volume_figures`' break-even volumes."""
    return volume_figures(inputs, verdict)[1]


def _break_even_volumes(curves: _Curves) -> dict[str, Percentiles | None]:
    """Self-hosting's and the hybrid's break-even volume with the API, as a range.

    The same base-case curves, scaled through each option's adjusted P10,
    P50 and P90 at today's volume: the favourable end (the option at its
    P10, the API at its P90) gives the low volume, the unfavourable end the
    high one. A volume is the smallest from which the option stays at or
    below the API up to 100 times today's (interpolated between the grid's
    10 % steps); None when even the favourable end never gets there, and an
    infinite high end when the unfavourable one does not.
    """
    inputs, verdict = curves.inputs, curves.verdict
    present = [option for option in ("api", *OWN_OPTIONS) if option in curves.grid]
    if "api" not in present:
        return {option: None for option in OWN_OPTIONS}
    raw = curves.grid
    today = {option: values[_TODAY : _TODAY + 1] for option, values in raw.items()}

    def curve(option: str, anchor: float) -> NDArray[np.float64]:
        effects = curves.effects[option]
        base = float(today[option][0])
        scale = (anchor - effects) / base if base > 0 else 1.0
        scaled: NDArray[np.float64] = raw[option] * scale + effects
        return scaled

    def volume(option: str, own_end: str, api_end: str) -> float:
        own = curve(option, getattr(verdict.options[option].adjusted, own_end))
        api = curve("api", getattr(verdict.options["api"].adjusted, api_end))
        cheaper = own <= api
        if not cheaper[-1]:
            return math.inf
        dearer = np.flatnonzero(~cheaper)
        if dearer.size == 0:
            return float(_GRID[0]) * inputs.workload.monthly_queries
        index = int(dearer[-1])
        # Interpolate the crossing of (own - api) in log volume between the two grid points.
        before, after = own[index] - api[index], own[index + 1] - api[index + 1]
        share = before / (before - after) if before != after else 1.0
        logs = np.log(_GRID[index : index + 2])
        multiplier = float(np.exp(logs[0] + share * (logs[1] - logs[0])))
        return multiplier * inputs.workload.monthly_queries

    ranges: dict[str, Percentiles | None] = {}
    for option in OWN_OPTIONS:
        if option not in present:
            ranges[option] = None
            continue
        low = volume(option, "p10", "p90")
        middle = volume(option, "p50", "p50")
        high = volume(option, "p90", "p10")
        ranges[option] = None if math.isinf(middle) else Percentiles(low, middle, high)
    return ranges
