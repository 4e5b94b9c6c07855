"""The engine's v3 chooser: the rules' verdict on what is allowed, the money's on what wins.

The rules engine evaluates a v3 ruleset's conditions (exclusions, caveats,
typed effects) and asks a :class:`Chooser` for the recommendation among the
options still allowed; the chooser turns the fired rules' cost and range
effects into :class:`~advisor.scoring.simulation.DecisionInputs` and decides
(:func:`~advisor.scoring.simulation.decide`). Verdicts are kept per (allowed
options, fired rules), so an open follow-up's branches, which the engine
evaluates with each answer, cost one simulation each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from advisor.costs.assumptions import SCALAR_ASSUMPTIONS, Assumptions, Workload
from advisor.costs.prices import ApiModelPrice
from advisor.costs.uncertainty import DEFAULT_ANSWER_RANGES
from advisor.options import V3_OPTIONS
from advisor.scoring.effects import CostEffect, Effect, RangeEffect, Triangle
from advisor.scoring.simulation import Costed, DecisionInputs, Verdict, cost, decide, prepare

# The names whose being given (held fixed) changes the draws: the scalar assumptions,
# the GPU price, the answers drawn when left at their defaults, and the load pattern.
DRAWN_KEYS: frozenset[str] = frozenset(
    {spec.name for spec in SCALAR_ASSUMPTIONS}
    | {answer.key for answer in DEFAULT_ANSWER_RANGES}
    | {"gpu_price", "load_pattern", "monthly_growth_pct"}
)


class Fired(Protocol):
    """What the chooser reads of a fired rule (``engine.FiredRule``)."""

    @property
    def code(self) -> str: ...

    @property
    def effects(self) -> tuple[Effect, ...]: ...


@dataclass
class Chooser:
    """Decides v3 verdicts for one assessment; callable as the engine's ``choose``."""

    workload: Workload
    assumptions: Assumptions
    open_api_model: ApiModelPrice | None
    given: frozenset[str]
    volume_measured: bool
    # A growth rate fitted from a short usage history, with the fit's range (% a month).
    growth_range: Triangle | None = None
    # Verdicts by everything they depend on; choosers for variations of one
    # assessment ("what would change") may share one, so answers that change
    # neither the workload, the gates nor the effects are decided once.
    verdicts: dict[tuple[Any, ...], Verdict] = field(default_factory=dict)
    planned: dict[Workload, Assumptions] = field(default_factory=dict)
    # The draws and their costs, by what they depend on (not the gates nor the cost
    # effects): variations that differ only there are decided on the same costs.
    costed: dict[tuple[Any, ...], Costed] = field(default_factory=dict)

    def __call__(self, allowed: Sequence[str], fired: Sequence[Fired]) -> str | None:
        return self.verdict(allowed, fired).now

    def verdict(self, allowed: Sequence[str], fired: Sequence[Fired]) -> Verdict:
        key = (
            self.workload,
            self.given & DRAWN_KEYS,
            self.growth_range,
            self.volume_measured,
            tuple(allowed),
            tuple(sorted(hit.code for hit in fired if hit.effects)),
        )
        verdict = self.verdicts.get(key)
        if verdict is None:
            inputs = self.inputs(allowed, fired)
            cost_key = (
                inputs.workload,
                self.given & DRAWN_KEYS,
                inputs.range_effects,
                inputs.growth_range,
            )
            costed = self.costed.get(cost_key)
            if costed is None:
                costed = cost(inputs)
                self.costed[cost_key] = costed
            verdict = decide(inputs, costed)
            self.verdicts[key] = verdict
        return verdict

    def prepared(self, workload: Workload) -> Assumptions:
        """The assumptions planned for ``workload``, once per chooser and workload."""
        cached = self.planned.get(workload)
        if cached is None:
            cached = prepare(workload, self.assumptions)
            self.planned[workload] = cached
        return cached

    def inputs(self, allowed: Sequence[str], fired: Sequence[Fired]) -> DecisionInputs:
        cost = tuple(
            (hit.code, effect)
            for hit in fired
            for effect in hit.effects
            if isinstance(effect, CostEffect)
        )
        ranges = tuple(
            effect for hit in fired for effect in hit.effects if isinstance(effect, RangeEffect)
        )
        # Where the API may not carry the traffic, it cannot bridge the build-out either.
        workload = replace(self.workload, api_bridge="api" in allowed)
        return DecisionInputs(
            workload=workload,
            assumptions=self.prepared(workload),
            prepared=True,
            open_api_model=self.open_api_model,
            excluded=frozenset(option for option in V3_OPTIONS if option not in allowed),
            cost_effects=cost,
            range_effects=ranges,
            given=self.given,
            volume_measured=self.volume_measured,
            growth_range=self.growth_range,
        )


def volume_measured(answers: Mapping[str, Any]) -> bool:
    """The volume comes from production data (the buyer said so, or a usage export did)."""
    return bool(answers.get("has_production_data"))
