"""The bridge between the price catalog (ORM) and the pure cost model.

Views and other apps call these functions; nothing else maps catalog rows to
``projection`` dataclasses. The catalog is the one source of truth for the
figures (seeded from ``fixtures/10-catalog.json``): when a row the model
needs is missing, :class:`CatalogNotSeeded` says so rather than inventing one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any, TypeVar

from advisor.costs import projection
from advisor.costs.models import ApiModel, CostAssumption, GpuOffering, SelfHostedModelProfile
from advisor.costs.projection import (
    INTEGER_ASSUMPTIONS,
    SCALAR_ASSUMPTIONS,
    Assumptions,
    Source,
)

CATALOG_KINDS: tuple[str, ...] = ("api_model", "self_host_model", "small_model", "gpu")
# Answer keys that override a global assumption for one assessment.
NUMERIC_OVERRIDES: tuple[str, ...] = ("engineer_monthly_cost_usd", "first_year_budget_usd")
ENTERED_IN_ASSESSMENT = "Entered in this assessment"

_Row = TypeVar("_Row", ApiModel, GpuOffering, SelfHostedModelProfile)


class CatalogNotSeeded(LookupError):
    """The catalog lacks a row the cost model needs (run ``manage.py seed``)."""


def catalog_choices(kind: str) -> list[tuple[str, str]]:
    """``(key, label)`` pairs of the active catalog entries of ``kind``."""
    if kind == "api_model":
        return [(row.key, f"{row.name} ({row.key})") for row in ApiModel.objects.active()]
    if kind == "gpu":
        return [
            (row.key, f"{row.name} (${row.usd_per_hour:.2f}/h)")
            for row in GpuOffering.objects.active()
        ]
    if kind in ("self_host_model", "small_model"):
        profiles = SelfHostedModelProfile.objects.active()
        if kind == "small_model":
            profiles = profiles.filter(tier="small")
        return [(row.key, row.name) for row in profiles]
    raise ValueError(f"unknown catalog kind {kind!r}; expected one of {CATALOG_KINDS}")


def catalog_defaults() -> dict[str, Any]:
    """Defaults of the catalog-backed question keys, as the catalog stands now.

    The GPU has none: left unanswered, the capacity planner picks it per
    workload (see :func:`assumptions_for`).
    """
    api = _default_api_model()
    self_host = _default_profile(projection.like_for_like_tier(api.tier))
    values, _ = _scalars()
    return {
        "api_model": api.key,
        "self_host_model": self_host.key,
        "small_model": _default_profile("small").key,
        "engineer_monthly_cost_usd": values["engineer_monthly_cost_usd"],
        "first_year_budget_usd": values["first_year_budget_usd"],
    }


def assumptions_for(*, answers: Mapping[str, Any]) -> Assumptions:
    """The catalog's figures with this assessment's overrides applied, planned.

    ``api_model``, ``self_host_model``, ``small_model`` and ``gpu`` pick
    catalog entries by key; an unknown or inactive key falls back to the
    default and says so in ``Assumptions.notes``. A chosen model profile is
    used as it is. Otherwise the open model is the like-for-like default of
    the API model's tier (``projection.like_for_like_tier``) and the planner
    costs every active profile of that model (on the chosen ``gpu`` only,
    when there is one) and keeps the cheapest for this workload.
    ``engineer_monthly_cost_usd`` and ``first_year_budget_usd`` replace the
    catalog figures when given.
    """
    notes: list[str] = []
    api = _pick(ApiModel, answers.get("api_model"), "api_model", notes) or _default_api_model()
    gpu = _pick(GpuOffering, answers.get("gpu"), "gpu", notes)
    big = _pick(SelfHostedModelProfile, answers.get("self_host_model"), "self_host_model", notes)
    big_candidates: tuple[SelfHostedModelProfile, ...] = ()
    if big is None:
        big_candidates = _candidates_for(projection.like_for_like_tier(api.tier), gpu, notes)
        big = big_candidates[0]
    small = _pick(SelfHostedModelProfile, answers.get("small_model"), "small_model", notes)
    small_candidates: tuple[SelfHostedModelProfile, ...] = ()
    if small is None:
        small_candidates = _candidates_for("small", gpu, notes)
        small = small_candidates[0]
    values, sources = _scalars()
    for key in NUMERIC_OVERRIDES:
        override = answers.get(key)
        if override is not None:
            values[key] = float(override)
            sources[key] = Source(ENTERED_IN_ASSESSMENT)
    router = _router_model(api)
    unplanned = Assumptions(
        api_model=_api_price(api),
        self_host_model=_serving_profile(big),
        small_model=_serving_profile(small),
        router_model=_api_price(router) if router is not None else None,
        self_host_candidates=tuple(_serving_profile(row) for row in big_candidates),
        small_candidates=tuple(_serving_profile(row) for row in small_candidates),
        sources=sources,
        **{
            name: int(value) if name in INTEGER_ASSUMPTIONS else value
            for name, value in values.items()
        },
    )
    workload = projection.workload_from_answers(answers)
    chosen = projection.planned(workload, unplanned)
    notes.extend(_plan_notes(chosen, workload))
    return replace(chosen, notes=tuple(dict.fromkeys(notes)))  # the same note can arise twice


def _plan_notes(assumptions: Assumptions, workload: projection.Workload) -> list[str]:
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


# --- catalog rows -> projection dataclasses ---------------------------------


def _api_price(row: ApiModel) -> projection.ApiModelPrice:
    return projection.ApiModelPrice(
        key=row.key,
        name=row.name,
        provider=row.provider,
        tier=row.tier,
        usd_per_input_token=_per_token(row.input_usd_per_million_tokens),
        usd_per_output_token=_per_token(row.output_usd_per_million_tokens),
        source=_source(row),
        usd_per_cached_input_token=_per_token(row.cached_input_usd_per_million_tokens),
        usd_per_batch_input_token=_per_token(row.batch_input_usd_per_million_tokens),
        usd_per_batch_output_token=_per_token(row.batch_output_usd_per_million_tokens),
        open_weights=row.open_weights,
    )


def _gpu_price(row: GpuOffering) -> projection.GpuPrice:
    owned = None
    if row.owned_usd_per_gpu is not None and row.power_kw_per_gpu is not None:
        owned = projection.OwnedHardware(
            usd_per_gpu=float(row.owned_usd_per_gpu),
            power_kw_per_gpu=float(row.power_kw_per_gpu),
            gpus_per_server=row.gpus_per_server,
            source=Source(row.owned_source, row.owned_as_of, row.owned_source_url),
        )
    return projection.GpuPrice(
        key=row.key,
        name=row.name,
        usd_per_hour=float(row.usd_per_hour),
        source=_source(row),
        owned=owned,
    )


def _serving_profile(row: SelfHostedModelProfile) -> projection.ServingProfile:
    return projection.ServingProfile(
        key=row.key,
        name=row.name,
        tier=row.tier,
        parameters_billions=float(row.parameters_billions),
        gpus_per_replica=row.gpus_per_replica,
        gpu=_gpu_price(row.gpu),
        output_tokens_per_second=float(row.output_tokens_per_second),
        input_tokens_per_second=float(row.input_tokens_per_second),
        source=_source(row),
    )


def _source(row: ApiModel | GpuOffering | SelfHostedModelProfile | CostAssumption) -> Source:
    judgement = bool(getattr(row, "judgement", False))
    text = row.source
    reasoning = getattr(row, "reasoning", "")
    if judgement and reasoning:
        text = f"{text}: {reasoning}"
    return Source(text, row.as_of, row.source_url, judgement)


def _per_token(per_million: Decimal | None) -> float | None:
    return None if per_million is None else float(per_million) / 1_000_000


# --- selectors --------------------------------------------------------------


def _pick(model: type[_Row], key: Any, answer_key: str, notes: list[str]) -> _Row | None:
    if key in (None, ""):
        return None
    queryset = model.objects.active()
    if model is SelfHostedModelProfile:
        queryset = queryset.select_related("gpu")
    row = queryset.filter(key=str(key)).first()
    if row is None:
        notes.append(f"Unknown {answer_key} {key!r}: the catalog default is used.")
    return row


def _default_api_model() -> ApiModel:
    row = (
        ApiModel.objects.active().filter(is_default=True).first()
        or ApiModel.objects.active().filter(tier="mid").first()
    )
    if row is None:
        raise CatalogNotSeeded("No active API model in the catalog: run `manage.py seed`.")
    return row


def _default_profile(tier: str) -> SelfHostedModelProfile:
    # The tier's marked default, else its largest model (the best open match).
    row = (
        SelfHostedModelProfile.objects.active()
        .select_related("gpu")
        .filter(tier=tier)
        .order_by("-is_default_for_tier", "-parameters_billions", "key")
        .first()
    )
    if row is None:
        raise CatalogNotSeeded(f"No active {tier}-tier self-hosted profile: run `manage.py seed`.")
    return row


def _candidates_for(
    tier: str, gpu: GpuOffering | None, notes: list[str]
) -> tuple[SelfHostedModelProfile, ...]:
    """The tier's default model on every GPU it is measured on (or on ``gpu`` only).

    Throughput is measured on one GPU type: only a profile measured on the
    chosen GPU can honestly be costed at that GPU's price. The planner compares
    one model across GPUs, never a different model, so like stays like.
    """
    default = _default_profile(tier)
    profiles = SelfHostedModelProfile.objects.active().select_related("gpu").filter(tier=tier)
    if default.model_key:
        profiles = profiles.filter(model_key=default.model_key)
    else:
        profiles = profiles.filter(pk=default.pk)
    if gpu is not None:
        on_gpu = tuple(profiles.filter(gpu=gpu).order_by("gpus_per_replica", "key"))
        if not on_gpu:
            notes.append(
                f"No {tier}-tier profile is measured on {gpu.name}: {default.name} is used."
            )
            return (default,)
        return on_gpu
    others = [row for row in profiles.order_by("gpu__key", "gpus_per_replica", "key")]
    return (default, *(row for row in others if row.pk != default.pk))


def _router_model(api: ApiModel) -> ApiModel | None:
    """The mini-class API model of the "API with a router" variant.

    The cheapest active small-tier model of the same provider (a router that
    stays with one vendor needs no second contract), else of any provider;
    None when the chosen model is itself mini-class.
    """
    if api.tier == "small":
        return None
    small = [row for row in ApiModel.objects.active().filter(tier="small", open_weights=False)]
    if not small:
        return None
    same_provider = [row for row in small if row.provider == api.provider] or small
    return min(same_provider, key=_blended_price)


def _blended_price(row: ApiModel) -> tuple[Decimal, str]:
    # The default workload's 1,500 / 400 token mix, for ranking only.
    return (
        row.input_usd_per_million_tokens * 1500 + row.output_usd_per_million_tokens * 400,
        row.key,
    )


def _scalars() -> tuple[dict[str, float], dict[str, Source]]:
    """Global assumption values and their sources, keyed by field name."""
    rows = {row.key: row for row in CostAssumption.objects.all()}
    missing = [spec.name for spec in SCALAR_ASSUMPTIONS if spec.name not in rows]
    if missing:
        raise CatalogNotSeeded(f"Missing cost assumptions {missing}: run `manage.py seed`.")
    names = [spec.name for spec in SCALAR_ASSUMPTIONS]
    values = {name: float(rows[name].value) for name in names}
    sources = {name: _source(rows[name]) for name in names}
    return values, sources
