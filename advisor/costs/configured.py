"""The catalog's figures configured for one assessment's answers (pure).

What the scorer (``advisor.scoring.score``) and the Django bridge
(``advisor.costs.services``, which reads the catalog snapshot when not
given one) both use: the catalog snapshot is always passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from advisor.costs.assumptions import (
    INTEGER_ASSUMPTIONS,
    SCALAR_ASSUMPTIONS,
    Assumptions,
    Workload,
    like_for_like_tier,
    workload_from_answers,
)
from advisor.costs.catalog import CatalogSnapshot, GpuEntry, ProfileEntry
from advisor.costs.monthly import planned
from advisor.costs.prices import Source

# Answer keys that override a global assumption for one assessment.
NUMERIC_OVERRIDES: tuple[str, ...] = ("engineer_monthly_cost_usd", "first_year_budget_usd")
ENTERED_IN_ASSESSMENT = "Entered in this assessment"

_Entry = TypeVar("_Entry")


def catalog_defaults(*, catalog: CatalogSnapshot) -> dict[str, Any]:
    """Defaults of the catalog-backed question keys, as the catalog stands now.

    The GPU has none: left unanswered, the capacity planner picks it per
    workload (see :func:`assumptions_for`).
    """
    api = catalog.default_api_model()
    self_host = catalog.default_profile(like_for_like_tier(api.price.tier))
    values, _, _ = _scalars(catalog)
    return {
        "api_model": api.key,
        "self_host_model": self_host.key,
        "small_model": catalog.default_profile("small").key,
        "engineer_monthly_cost_usd": values["engineer_monthly_cost_usd"],
        "first_year_budget_usd": values["first_year_budget_usd"],
    }


def assumptions_for(*, answers: Mapping[str, Any], catalog: CatalogSnapshot) -> Assumptions:
    """The catalog's figures with this assessment's overrides applied, planned.

    ``api_model``, ``self_host_model``, ``small_model`` and ``gpu`` pick
    catalog entries by key; an unknown or inactive key falls back to the
    default and says so in ``Assumptions.notes``. A chosen model profile is
    used as it is. Otherwise the open model is the like-for-like default of
    the API model's tier (``assumptions.like_for_like_tier``) and the planner
    costs every active profile of that model (on the chosen ``gpu`` only,
    when there is one) and keeps the cheapest for this workload.
    ``engineer_monthly_cost_usd`` and ``first_year_budget_usd`` replace the
    catalog figures when given.
    """
    notes: list[str] = []
    api = _pick(catalog.api_model, answers.get("api_model"), "api_model", notes)
    if api is None and answers.get("frontier_capability") == "required":
        # Frontier capability required and no model named: cost the API side on
        # a frontier model, not the mid-tier default that would not do the job.
        api = catalog.cheapest_closed_model("frontier")
        default = catalog.default_api_model()
        if api is not None and default.price.tier != "frontier":
            notes.append(
                f"Frontier capability is required: the API is costed on {api.label}, the "
                f"cheapest closed frontier model, not the default {default.label}."
            )
    api = api or catalog.default_api_model()
    gpu = _pick(catalog.gpu, answers.get("gpu"), "gpu", notes)
    self_host_model = _pick(
        catalog.profile, answers.get("self_host_model"), "self_host_model", notes
    )
    self_host_candidates: tuple[ProfileEntry, ...] = ()
    if self_host_model is None:
        tier = like_for_like_tier(api.price.tier)
        self_host_candidates = _candidates_for(catalog, tier, gpu, notes)
        self_host_model = self_host_candidates[0]
    small_model = _pick(catalog.profile, answers.get("small_model"), "small_model", notes)
    small_candidates: tuple[ProfileEntry, ...] = ()
    if small_model is None:
        small_candidates = _candidates_for(catalog, "small", gpu, notes)
        small_model = small_candidates[0]
    values, sources, ranges = _scalars(catalog)
    for key in NUMERIC_OVERRIDES:
        override = answers.get(key)
        if override is not None:
            values[key] = float(override)
            sources[key] = Source(ENTERED_IN_ASSESSMENT)
            ranges.pop(key, None)  # an answer the buyer gave is taken as given
    router = catalog.router_model(api)
    unplanned = Assumptions(
        api_model=api.price,
        self_host_model=self_host_model.profile,
        small_model=small_model.profile,
        router_model=None if router is None else router.price,
        self_host_candidates=tuple(entry.profile for entry in self_host_candidates),
        small_candidates=tuple(entry.profile for entry in small_candidates),
        sources=sources,
        ranges=ranges,
        notes=(),
        # Month 1 of the projection is this month: announced price changes fall in place.
        start_date=date.today(),
        # The counts (INTEGER_ASSUMPTIONS) by name; every other scalar is a float.
        operations_base_fleet_gpus=int(values["operations_base_fleet_gpus"]),
        build_out_months=int(values["build_out_months"]),
        build_out_replicas=int(values["build_out_replicas"]),
        migration_ramp_months=int(values["migration_ramp_months"]),
        min_replicas_customer_facing=int(values["min_replicas_customer_facing"]),
        min_replicas_internal=int(values["min_replicas_internal"]),
        **{name: value for name, value in values.items() if name not in INTEGER_ASSUMPTIONS},
    )
    workload = workload_from_answers(answers)
    chosen = planned(workload, unplanned)
    notes.extend(_plan_notes(chosen, workload))
    return replace(chosen, notes=tuple(dict.fromkeys(notes)))  # the same note can arise twice


def _plan_notes(assumptions: Assumptions, workload: Workload) -> list[str]:
    notes = []
    for what, profile, candidates in (
        ("self-hosting", assumptions.self_host_model, assumptions.self_host_candidates),
        ("the hybrid's small model", assumptions.small_model, assumptions.small_candidates),
    ):
        if len(candidates) > 1:
            notes.append(
                f"The capacity planner costed {len(candidates)} measured GPU configurations "
                f"for {what} and chose the cheapest for this workload: "
                f"{profile.gpus_per_replica} x {profile.gpu.name} per replica ({profile.name})."
            )
    if workload.gpu_pricing == "owned":
        for profile in (assumptions.self_host_model, assumptions.small_model):
            if profile.gpu.owned is None:
                notes.append(
                    f"No owned-hardware figures for {profile.gpu.name}: it is costed at its "
                    "on-demand rental price."
                )
    for model in (assumptions.api_model, assumptions.router_model):
        if model is not None and model.fallbacks:
            notes.append(f"{model.name}: " + "; ".join(model.fallbacks) + ".")
    return notes


# --- picking entries from the snapshot -------------------------------------


def _pick(
    lookup: Callable[[str], _Entry | None], key: Any, answer_key: str, notes: list[str]
) -> _Entry | None:
    """The entry an answer names; an unknown key is noted (then the default applies)."""
    if key in (None, ""):
        return None
    entry = lookup(str(key))
    if entry is None:
        notes.append(f"Unknown {answer_key} {key!r}: the catalog default is used.")
    return entry


def _candidates_for(
    catalog: CatalogSnapshot, tier: str, gpu: GpuEntry | None, notes: list[str]
) -> tuple[ProfileEntry, ...]:
    candidates = catalog.candidates_for(tier, None if gpu is None else gpu.key)
    if candidates:
        return candidates
    assert gpu is not None  # without a GPU the candidates always include the default
    default = catalog.default_profile(tier)
    notes.append(
        f"No {tier}-tier profile is measured on {gpu.price.name}: {default.profile.name} is used."
    )
    return (default,)


def _scalars(
    catalog: CatalogSnapshot,
) -> tuple[dict[str, float], dict[str, Source], dict[str, tuple[float, float]]]:
    """Global assumption values, their sources and their (low, high) ranges, by field name."""
    figures = catalog.figures_for(tuple(spec.name for spec in SCALAR_ASSUMPTIONS))
    values = {figure.key: figure.value for figure in figures}
    sources = {figure.key: figure.source for figure in figures}
    ranges = {
        figure.key: (figure.low, figure.high)
        for figure in figures
        if figure.low is not None and figure.high is not None
    }
    return values, sources, ranges
