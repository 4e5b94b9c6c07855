"""Read-side queries on the price catalog: its snapshot, and its stale entries."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Q

from advisor.costs.catalog import (
    ApiModelEntry,
    CatalogSnapshot,
    CostFigure,
    GpuEntry,
    OpenModelEntry,
    ProfileEntry,
    Quality,
)
from advisor.costs.models import (
    SINGLE_ROW,
    ApiModel,
    ApiPriceChange,
    CatalogVersion,
    CostAssumption,
    GpuOffering,
    OpenModel,
    RatedModel,
    SelfHostedModelProfile,
    SourcedModel,
)
from advisor.costs.prices import (
    ApiModelPrice,
    GpuPrice,
    OwnedHardware,
    ScheduledPrice,
    ServingProfile,
    Source,
)

DEFAULT_MAX_AGE_DAYS = 180
# A figure must cite public evidence; these words mark an internal document.
INTERNAL_SOURCE_WORDS = ("design.md", "internal")
# Words of an author's working notes, which a client reading the report must never see.
WORKING_NOTE_WORDS = ("this session", "recalled", "not verified", "todo")
CATALOG_MODELS: tuple[type[SourcedModel], ...] = (
    ApiModel,
    OpenModel,
    GpuOffering,
    SelfHostedModelProfile,
    CostAssumption,
)


@dataclass(frozen=True)
class StaleEntry:
    """A catalog figure that is too old or has no public source, and why."""

    kind: str
    key: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {'; '.join(self.reasons)}"


def stale_catalog_entries(
    *,
    today: date | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    model: type[SourcedModel] | None = None,
) -> list[StaleEntry]:
    """Entries the projection uses whose figures are older than ``max_age_days`` or unsourced.

    Inactive API models, GPUs and profiles are left out: no new assessment
    uses them. For a GPU with owned-hardware figures, those are checked too.
    """
    today = today or date.today()
    oldest = today - timedelta(days=max_age_days)
    entries: list[StaleEntry] = []
    for catalog_model in CATALOG_MODELS if model is None else (model,):
        kind = str(catalog_model._meta.verbose_name)
        # A model card's parameters and licence are a release's fixed facts: they never age.
        limit = date.min if catalog_model is OpenModel else oldest
        for row in _in_use(catalog_model):
            reasons = _figure_problems(
                row.source, row.as_of, today=today, oldest=limit, room=_room(row, "source")
            )
            if isinstance(row, GpuOffering) and _has_owned_figures(row):
                reasons += tuple(
                    f"owned hardware: {reason}"
                    for reason in _figure_problems(
                        row.owned_source,
                        row.owned_as_of,
                        today=today,
                        oldest=oldest,
                        room=_room(row, "owned_source"),
                    )
                )
            if reasons:
                entries.append(StaleEntry(kind, str(row), reasons))
    return entries


def _in_use(catalog_model: type[SourcedModel]) -> models.QuerySet[SourcedModel]:
    rows = catalog_model._default_manager.all()
    if any(f.name == "active" for f in catalog_model._meta.get_fields()):
        # A Q, not filter(active=True): only some SourcedModels have the field (checked above).
        rows = rows.filter(Q(active=True))
    return rows.order_by("pk")


def _room(row: SourcedModel, name: str) -> int | None:
    field = row._meta.get_field(name)
    return field.max_length if isinstance(field, models.Field) else None


def _figure_problems(
    source: str, as_of: date | None, *, today: date, oldest: date, room: int | None = None
) -> tuple[str, ...]:
    problems: list[str] = []
    if as_of is None:
        problems.append("no as-of date")
    elif as_of < oldest:
        problems.append(f"as of {as_of.isoformat()}, {(today - as_of).days} days old")
    if not source.strip():
        problems.append("no source")
    elif cited := [word for word in INTERNAL_SOURCE_WORDS if word in source.lower()]:
        problems.append(f"cites an internal document ({', '.join(cited)})")
    if noted := [word for word in WORKING_NOTE_WORDS if word in source.lower()]:
        problems.append(f"reads as a working note, not a citation ({', '.join(noted)})")
    if room is not None and len(source) >= room:
        problems.append(f"fills all {room} characters, so it is probably cut off")
    return tuple(problems)


def _has_owned_figures(gpu: GpuOffering) -> bool:
    return gpu.owned_usd_per_gpu is not None or gpu.power_kw_per_gpu is not None


# --- the catalog snapshot -----------------------------------------------------

_kept: CatalogSnapshot | None = None
_kept_lock = threading.Lock()


def catalog_version() -> str:
    """The catalog's current version token ("" when the database has no version row)."""
    token = CatalogVersion.objects.filter(pk=SINGLE_ROW).values_list("token", flat=True).first()
    return "" if token is None else str(token)


def catalog_snapshot() -> CatalogSnapshot:
    """The active catalog as one immutable snapshot: pass it down, don't read rows again.

    One query reads the version; the rows are read (one query per table)
    only when this process has no snapshot of that version yet, so a worker
    reuses its snapshot between requests and rebuilds it after any catalog
    write, in any process (the version lives in the database). The version
    is read before the rows: a write committed in between leaves rows newer
    than the version they are kept under, never older, and that version is
    already superseded.
    """
    global _kept
    version = catalog_version()
    kept = _kept
    if version and kept is not None and kept.version == version:
        return kept
    snapshot = _read_snapshot(version)
    if version:
        with _kept_lock:
            _kept = snapshot
    return snapshot


def forget_catalog_snapshot() -> None:
    """Drop this process's kept snapshot (tests that write rows behind the ORM's back)."""
    global _kept
    with _kept_lock:
        _kept = None


def _read_snapshot(version: str) -> CatalogSnapshot:
    changes: dict[int, list[ApiPriceChange]] = {}
    # All of them (a handful), not a join: each catalog table is read once.
    for change in ApiPriceChange.objects.order_by("starts_on"):
        changes.setdefault(change.api_model_id, []).append(change)
    api_models = tuple(
        _api_entry(row, changes.get(row.pk, ())) for row in ApiModel.objects.active()
    )
    return CatalogSnapshot(
        version=version,
        api_models=api_models,
        gpus=tuple(
            GpuEntry(price=_gpu_price(row), label=f"{row.name} (${row.usd_per_hour:.2f}/h)")
            for row in GpuOffering.objects.active()
        ),
        profiles=tuple(
            ProfileEntry(
                profile=_serving_profile(row),
                model_key=row.model_key,
                is_default_for_tier=row.is_default_for_tier,
            )
            for row in SelfHostedModelProfile.objects.active().select_related("gpu")
        ),
        figures=tuple(_figure(row) for row in CostAssumption.objects.all()),
        open_models=tuple(_open_model_entry(row) for row in OpenModel.objects.active()),
    )


# --- catalog rows -> the pure dataclasses ---------------------------------------


def _api_entry(row: ApiModel, changes: Iterable[ApiPriceChange] = ()) -> ApiModelEntry:
    return ApiModelEntry(
        price=_api_price(row, changes),
        label=f"{row.name} ({row.key})",
        is_default=row.is_default,
        blended_usd=_blended_price(row),
        quality=_quality(row),
        open_model_key=row.open_model_key if row.open_weights else "",
    )


def _open_model_entry(row: OpenModel) -> OpenModelEntry:
    return OpenModelEntry(
        key=row.key,
        name=row.name,
        total_parameters_billions=float(row.total_parameters_billions),
        active_parameters_billions=float(row.active_parameters_billions),
        licence=row.licence,
        tier=row.tier,
        quality=_quality(row),
        source=_source(row),
    )


def _quality(row: RatedModel) -> Quality | None:
    if row.quality_score is None or row.quality_as_of is None:
        return None  # not rated by the leaderboard
    return Quality(
        score=float(row.quality_score),
        source=row.quality_source,
        url=row.quality_source_url,
        as_of=row.quality_as_of,
    )


def _scheduled(change: ApiPriceChange) -> ScheduledPrice:
    return ScheduledPrice(
        starts_on=change.starts_on,
        usd_per_input_token=float(change.input_usd_per_million_tokens) / 1_000_000,
        usd_per_output_token=float(change.output_usd_per_million_tokens) / 1_000_000,
        usd_per_cached_input_token=_per_token(change.cached_input_usd_per_million_tokens),
        usd_per_batch_input_token=_per_token(change.batch_input_usd_per_million_tokens),
        usd_per_batch_output_token=_per_token(change.batch_output_usd_per_million_tokens),
    )


def _blended_price(row: ApiModel) -> Decimal:
    # The default workload's 1,500 / 400 token mix, for ranking only.
    return row.input_usd_per_million_tokens * 1500 + row.output_usd_per_million_tokens * 400


def _api_price(row: ApiModel, changes: Iterable[ApiPriceChange] = ()) -> ApiModelPrice:
    return ApiModelPrice(
        key=row.key,
        name=row.name,
        provider=row.provider,
        tier=row.tier,
        usd_per_input_token=float(row.input_usd_per_million_tokens) / 1_000_000,
        usd_per_output_token=float(row.output_usd_per_million_tokens) / 1_000_000,
        source=_source(row),
        usd_per_cached_input_token=_per_token(row.cached_input_usd_per_million_tokens),
        usd_per_batch_input_token=_per_token(row.batch_input_usd_per_million_tokens),
        usd_per_batch_output_token=_per_token(row.batch_output_usd_per_million_tokens),
        open_weights=row.open_weights,
        scheduled=tuple(_scheduled(change) for change in changes),
        quality=_quality_text(row),
    )


def _quality_text(row: RatedModel) -> str:
    quality = _quality(row)
    if quality is None:
        return f"not rated{f' by {row.quality_source}' if row.quality_source else ''}"
    return f"{quality.score:g} ({quality.source}, {quality.as_of.isoformat()})"


def _gpu_price(row: GpuOffering) -> GpuPrice:
    owned = None
    if row.owned_usd_per_gpu is not None and row.power_kw_per_gpu is not None:
        owned = OwnedHardware(
            usd_per_gpu=float(row.owned_usd_per_gpu),
            power_kw_per_gpu=float(row.power_kw_per_gpu),
            gpus_per_server=row.gpus_per_server,
            source=Source(row.owned_source, row.owned_as_of, row.owned_source_url),
        )
    return GpuPrice(
        key=row.key,
        name=row.name,
        usd_per_hour=float(row.usd_per_hour),
        source=_source(row),
        owned=owned,
        usd_per_hour_low=None if row.usd_per_hour_low is None else float(row.usd_per_hour_low),
        usd_per_hour_high=None if row.usd_per_hour_high is None else float(row.usd_per_hour_high),
    )


def _serving_profile(row: SelfHostedModelProfile) -> ServingProfile:
    return ServingProfile(
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


def _figure(row: CostAssumption) -> CostFigure:
    return CostFigure(
        key=row.key,
        value=float(row.value),
        source=_source(row),
        low=None if row.low is None else float(row.low),
        high=None if row.high is None else float(row.high),
    )


def _source(
    row: ApiModel | OpenModel | GpuOffering | SelfHostedModelProfile | CostAssumption,
) -> Source:
    judgement = bool(getattr(row, "judgement", False))
    text = row.source
    reasoning = getattr(row, "reasoning", "")
    if judgement and reasoning:
        text = f"{text}: {reasoning}"
    return Source(text, row.as_of, row.source_url, judgement)


def _per_token(per_million: Decimal | None) -> float | None:
    return None if per_million is None else float(per_million) / 1_000_000
