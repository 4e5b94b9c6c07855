"""Read-side queries on the price catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models

from advisor.costs.models import ApiModel, CostAssumption, GpuOffering, SelfHostedModelProfile

DEFAULT_MAX_AGE_DAYS = 180
# A figure must cite public evidence; these words mark an internal document.
INTERNAL_SOURCE_WORDS = ("design.md", "internal")
CATALOG_MODELS: tuple[type[models.Model], ...] = (
    ApiModel,
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
    model: type[models.Model] | None = None,
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
        for row in _in_use(catalog_model):
            reasons = _figure_problems(row.source, row.as_of, today=today, oldest=oldest)
            if isinstance(row, GpuOffering) and _has_owned_figures(row):
                reasons += tuple(
                    f"owned hardware: {reason}"
                    for reason in _figure_problems(
                        row.owned_source, row.owned_as_of, today=today, oldest=oldest
                    )
                )
            if reasons:
                entries.append(StaleEntry(kind, str(row), reasons))
    return entries


def _in_use(catalog_model: type[models.Model]) -> models.QuerySet:
    rows = catalog_model._default_manager.all()
    if any(f.name == "active" for f in catalog_model._meta.get_fields()):
        rows = rows.filter(active=True)
    return rows.order_by("pk")


def _figure_problems(
    source: str, as_of: date | None, *, today: date, oldest: date
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
    return tuple(problems)


def _has_owned_figures(gpu: GpuOffering) -> bool:
    return gpu.owned_usd_per_gpu is not None or gpu.power_kw_per_gpu is not None
