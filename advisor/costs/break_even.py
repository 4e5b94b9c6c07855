"""The break-even volume solver: from what volume a self-hosted option costs no more.

Pure: no Django. The search (a log-spaced grid, refined around the
crossing) is described in :mod:`advisor.costs.projection`'s docstring.
"""

from __future__ import annotations

import math

import numpy as np

from advisor.costs.assumptions import Assumptions, Workload
from advisor.costs.monthly import Scenarios, option_totals, planned
from advisor.costs.prices import FloatArray, require
from advisor.options import SELF_HOSTED_OPTIONS

MULTIPLIER_BRACKET: tuple[float, float] = (0.01, 10_000.0)


# The break-even grid: 49 points over six decades (a ratio of 1.33 between
# neighbours), then two refinements of 49 points each: 1.33^(1/48^2) is
# 1.0001, the 4 significant digits any input figure carries.
_GRID_POINTS = 49
_REFINE_POINTS = 49
_REFINEMENTS = 2


def break_even_volume_multiplier(
    option: str, workload: Workload, assumptions: Assumptions
) -> float | None:
    """The factor on ``monthly_queries`` from which ``option`` costs no more than the API.

    See the module docstring for the search and the None cases.
    """
    require(option in SELF_HOSTED_OPTIONS, f"no break-even for option {option!r}")
    if workload.monthly_queries == 0:
        return None
    assumptions = planned(workload, assumptions)
    value = float(
        break_even_multipliers(option, Scenarios.point(workload, assumptions), assumptions)[0]
    )
    return None if is_nan(value) else value


def break_even_multipliers(
    option: str,
    scenarios: Scenarios,
    assumptions: Assumptions,
    grids: tuple[int, ...] = (_GRID_POINTS,) + (_REFINE_POINTS,) * _REFINEMENTS,
) -> FloatArray:
    """:func:`break_even_volume_multiplier` for each scenario (NaN where there is none).

    A log-spaced grid of ``grids[0]`` points, then refinements of the next
    sizes around each scenario's crossing; at each volume the planner's
    cheapest configuration counts. The default reaches 4 significant digits;
    the uncertainty analysis asks for coarser grids over many draws.
    """
    rows = scenarios.rows
    low, high = MULTIPLIER_BRACKET
    lower = np.full(rows, low)
    upper = np.full(rows, high)
    result = np.full(rows, np.nan)
    active = np.ones(rows, dtype=bool)
    profiles = assumptions.candidate_profiles(option)
    last_pass = len(grids) - 1
    for refinement, points in enumerate(grids):
        fractions = np.linspace(0.0, 1.0, points)
        grid = lower[:, None] * (upper / lower)[:, None] ** fractions[None, :]  # (rows, points)
        repeated = scenarios.repeat(points)
        queries = _queries_for_grid(repeated, grid)
        api = option_totals("api", repeated, assumptions, queries).sum(axis=1)
        tcos = np.array(
            [
                option_totals(option, repeated, assumptions, queries, profile).sum(axis=1)
                for profile in profiles
            ]
        )
        cheaper = (tcos.min(axis=0) <= api * (1 + 1e-12)).reshape(rows, points)
        best = tcos.argmin(axis=0).reshape(rows, points)
        if refinement == 0:
            result[cheaper.all(axis=1)] = low
            active &= ~cheaper.all(axis=1) & cheaper[:, -1]
        dearer = ~cheaper
        # The last volume at which the option is dearer, and the next one.
        last = points - 1 - np.argmax(dearer[:, ::-1], axis=1)
        last = np.minimum(last, points - 2)
        index = np.arange(rows)
        if refinement == last_pass:
            result[active] = grid[index, last + 1][active]
            return result
        lower, upper = grid[index, last], grid[index, last + 1]
        # Within so narrow a bracket the cheapest configuration is one of
        # those cheapest at its ends: refining needs no others.
        ends = sorted(
            {int(value) for value in best[index, last][active]}
            | {int(value) for value in best[index, last + 1][active]}
        )
        profiles = tuple(profiles[value] for value in ends) or profiles[:1]
    return result  # pragma: no cover - the loop always returns


def _queries_for_grid(scenarios: Scenarios, grid: FloatArray) -> FloatArray:
    """Queries for a (rows, points) grid of multipliers, one scenario row per point."""
    growth = (1 + np.asarray(scenarios.growth_pct, dtype=float) / 100) ** np.arange(
        scenarios.months
    )
    return scenarios.monthly_queries * grid.reshape(-1, 1) * growth


def is_nan(value: float | None) -> bool:
    return value is not None and math.isnan(value)
