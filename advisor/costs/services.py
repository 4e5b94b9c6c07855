"""The bridge between the price catalog (ORM) and the pure cost model.

Views and other apps call these functions; nothing else maps catalog rows to
``projection`` dataclasses. The catalog is the one source of truth for the
figures (seeded from ``fixtures/10-catalog.json``): when a row the model
needs is missing, :class:`CatalogNotSeeded` says so rather than inventing one.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    """Defaults of the catalog-backed question keys, as the catalog stands now."""
    api = _default_api_model()
    self_host = _default_profile(projection.like_for_like_tier(api.tier))
    values, _ = _scalars()
    return {
        "api_model": api.key,
        "self_host_model": self_host.key,
        "small_model": _default_profile("small").key,
        "gpu": self_host.gpu.key,
        "engineer_monthly_cost_usd": values["engineer_monthly_cost_usd"],
        "first_year_budget_usd": values["first_year_budget_usd"],
    }


def assumptions_for(*, answers: Mapping[str, Any]) -> Assumptions:
    """The catalog's figures with this assessment's overrides applied.

    ``api_model``, ``self_host_model``, ``small_model`` and ``gpu`` pick
    catalog entries by key; an unknown or inactive key falls back to the
    default and says so in ``Assumptions.notes``. Without ``self_host_model``
    the open model is the like-for-like default of the API model's tier
    (``projection.like_for_like_tier``), preferring a profile measured on the
    chosen ``gpu`` when there is one. ``engineer_monthly_cost_usd`` and
    ``first_year_budget_usd`` replace the catalog figures when given.
    """
    notes: list[str] = []
    api = _pick(ApiModel, answers.get("api_model"), "api_model", notes) or _default_api_model()
    gpu = _pick(GpuOffering, answers.get("gpu"), "gpu", notes)
    big = _pick(SelfHostedModelProfile, answers.get("self_host_model"), "self_host_model", notes)
    if big is None:
        big = _profile_for(projection.like_for_like_tier(api.tier), gpu, notes)
    small = _pick(SelfHostedModelProfile, answers.get("small_model"), "small_model", notes)
    if small is None:
        small = _profile_for("small", gpu, notes)
    values, sources = _scalars()
    for key in NUMERIC_OVERRIDES:
        override = answers.get(key)
        if override is not None:
            values[key] = float(override)
            sources[key] = Source(ENTERED_IN_ASSESSMENT)
    return Assumptions(
        api_model=_api_price(api),
        self_host_model=_serving_profile(big),
        small_model=_serving_profile(small),
        sources=sources,
        notes=tuple(dict.fromkeys(notes)),  # the same note can arise twice
        **{
            name: int(value) if name in INTEGER_ASSUMPTIONS else value
            for name, value in values.items()
        },
    )


# --- catalog rows -> projection dataclasses ---------------------------------


def _api_price(row: ApiModel) -> projection.ApiModelPrice:
    return projection.ApiModelPrice(
        key=row.key,
        name=row.name,
        provider=row.provider,
        tier=row.tier,
        usd_per_input_token=float(row.input_usd_per_million_tokens) / 1_000_000,
        usd_per_output_token=float(row.output_usd_per_million_tokens) / 1_000_000,
        source=Source(row.source, row.as_of),
    )


def _gpu_price(row: GpuOffering) -> projection.GpuPrice:
    return projection.GpuPrice(
        key=row.key,
        name=row.name,
        usd_per_hour=float(row.usd_per_hour),
        source=Source(row.source, row.as_of),
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
        source=Source(row.source, row.as_of),
    )


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


def _profile_for(tier: str, gpu: GpuOffering | None, notes: list[str]) -> SelfHostedModelProfile:
    default = _default_profile(tier)
    if gpu is None or default.gpu_id == gpu.pk:
        return default
    # Throughput is measured on one GPU type: only a profile measured on the
    # chosen GPU can honestly be costed at that GPU's price.
    on_gpu = (
        SelfHostedModelProfile.objects.active()
        .select_related("gpu")
        .filter(tier=tier, gpu=gpu)
        .order_by("-is_default_for_tier", "-parameters_billions", "key")
        .first()
    )
    if on_gpu is None:
        notes.append(f"No {tier}-tier profile is measured on {gpu.name}: {default.name} is used.")
        return default
    return on_gpu


def _scalars() -> tuple[dict[str, float], dict[str, Source]]:
    """Global assumption values and their sources, keyed by field name."""
    rows = {row.key: row for row in CostAssumption.objects.all()}
    missing = [spec.name for spec in SCALAR_ASSUMPTIONS if spec.name not in rows]
    if missing:
        raise CatalogNotSeeded(f"Missing cost assumptions {missing}: run `manage.py seed`.")
    names = [spec.name for spec in SCALAR_ASSUMPTIONS]
    values = {name: float(rows[name].value) for name in names}
    sources = {name: Source(rows[name].source, rows[name].as_of) for name in names}
    return values, sources
