"""The decision rule of model v3, for one case or for every Monte Carlo draw.

The recommendation is the allowed candidate (an option, or the staged plan)
with the lowest adjusted TCO, except that the brief's default, the closed
API, holds unless another candidate is cheaper than it by more than the
default margin (``margin_pct`` of the API's adjusted TCO). Nothing else
decides: reasons that are not money are gates (exclusions), cost effects
(money) or ranges (uncertainty), never score points.

``probability_best`` is the share of draws each candidate wins under the same
rule, with half a draw of prior weight per candidate (a Jeffreys-style
estimate): a finite sample never proves certainty, so a probability of 1 is
reserved for the one candidate the gates leave, and the figures still sum
to 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

DEFAULT_OPTION = "api"
RULE_NAME = "cheapest_adjusted_with_default_margin"
# Prior weight per candidate in probability_best, in draws.
PRIOR_DRAWS = 0.5


def winner(adjusted: Mapping[str, float], margin_pct: float) -> str | None:
    """The candidate the rule picks among ``adjusted`` (candidate -> adjusted TCO, USD).

    Ties go to the earlier candidate in ``adjusted``'s order; None without a
    candidate.
    """
    if not adjusted:
        return None
    names = list(adjusted)
    cheapest = min(names, key=lambda name: (adjusted[name], names.index(name)))
    if (
        DEFAULT_OPTION in adjusted
        and cheapest != DEFAULT_OPTION
        and adjusted[cheapest] >= adjusted[DEFAULT_OPTION] * (1 - margin_pct / 100)
    ):
        return DEFAULT_OPTION
    return cheapest


def winners(
    adjusted: Mapping[str, NDArray[np.float64]], margin_pct: NDArray[np.float64] | float
) -> NDArray[np.int_]:
    """:func:`winner` in every draw: the index into ``adjusted``'s order, per draw."""
    names = list(adjusted)
    stacked = np.array([adjusted[name] for name in names])  # (candidates, draws)
    best: NDArray[np.int_] = stacked.argmin(axis=0)
    if DEFAULT_OPTION not in adjusted:
        return best
    default = names.index(DEFAULT_OPTION)
    draws = np.arange(stacked.shape[1])
    cheapest = stacked[best, draws]
    holds = cheapest >= stacked[default] * (1 - np.asarray(margin_pct) / 100)
    chosen: NDArray[np.int_] = np.where(holds, default, best)
    return chosen


def probability_best(
    names: Sequence[str], won: NDArray[np.int_], *, prior: float = PRIOR_DRAWS
) -> dict[str, float]:
    """Each candidate's share of the draws it wins, with ``prior`` draws of weight each."""
    if not names:
        return {}
    if len(names) == 1:
        return {names[0]: 1.0}
    counts = np.bincount(won, minlength=len(names)).astype(float)
    total = counts.sum() + prior * len(names)
    return {name: float((counts[i] + prior) / total) for i, name in enumerate(names)}
