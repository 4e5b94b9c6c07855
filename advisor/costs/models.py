"""The price catalog: API models, GPUs, self-hosted model profiles, global assumptions.

Every price and figure carries its ``source`` and ``as_of`` date, because the
"assumptions used" table of each report shows them. ``services.py`` turns
these rows into the pure ``projection.Assumptions``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from advisor.costs.assumptions import SCALAR_ASSUMPTIONS


class Tier(models.TextChoices):
    FRONTIER = "frontier", "Frontier"
    MID = "mid", "Mid (GPT-4-class / 70B-class)"
    SMALL = "small", "Small (mini-class / 8B-class)"


class SourcedModel(models.Model):
    source = models.CharField(
        max_length=300,
        help_text="Where the figure comes from: a public title, or the package and version "
        "it was imported from. Never an internal document.",
    )
    source_url = models.URLField(max_length=500, blank=True, help_text="Public URL of the source.")
    as_of = models.DateField(help_text="The date the figure was true on.")

    class Meta:
        abstract = True


class RatedModel(models.Model):
    """A model's score on one public quality leaderboard (empty score: not rated)."""

    quality_score = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Score on the leaderboard named below. Empty: the leaderboard does not "
        "rate this model ('not rated').",
    )
    quality_source = models.CharField(
        max_length=200, blank=True, help_text="The leaderboard and its version."
    )
    quality_source_url = models.URLField(max_length=500, blank=True)
    quality_as_of = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    def clean_quality(self) -> None:
        if self.quality_score is not None and not (self.quality_source and self.quality_as_of):
            raise ValidationError(
                {"quality_source": "A quality score needs its leaderboard and its date."}
            )


class CatalogVersion(models.Model):
    """One row whose ``token`` changes with every write to a catalog table.

    Workers keep the catalog snapshot (``selectors.catalog_snapshot``)
    between requests while the token they read it at is still the
    database's. A random token, not only a counter: a rolled-back write (a
    test, a failed import) must never leave a number that a later, different
    write reaches again. ``number`` counts the writes, for people.
    """

    token = models.UUIDField(default=uuid.uuid4)
    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"catalog version {self.number}"


SINGLE_ROW = 1


def bump_catalog_version() -> None:
    """Give the catalog a new version: call after writing catalog rows another way.

    Saves and deletes (admin, ``import_prices``, ``loaddata``) and queryset
    ``update``/``bulk_create``/``bulk_update`` on the catalog models call it
    already (signals, :class:`CatalogQuerySet`). The UPDATE locks the row
    until the writer's transaction ends, so concurrent catalog writes take
    versions one after the other.
    """
    changes = {"token": uuid.uuid4(), "number": F("number") + 1, "changed_at": timezone.now()}
    if CatalogVersion.objects.filter(pk=SINGLE_ROW).update(**changes):
        return
    # The row is missing (a flushed test database): create it, or take a
    # concurrent creator's and still move it on.
    _, created = CatalogVersion.objects.get_or_create(pk=SINGLE_ROW)
    if not created:
        CatalogVersion.objects.filter(pk=SINGLE_ROW).update(**changes)


_Row = TypeVar("_Row", bound=models.Model)


class CatalogQuerySet(models.QuerySet[_Row]):
    """Bulk writes skip the save signals: these bump the catalog version themselves."""

    def update(self, **kwargs: Any) -> int:
        rows = super().update(**kwargs)
        bump_catalog_version()
        return rows

    def bulk_create(self, objs: Iterable[_Row], *args: Any, **kwargs: Any) -> list[_Row]:
        created = super().bulk_create(objs, *args, **kwargs)
        bump_catalog_version()
        return created

    def bulk_update(self, objs: Iterable[_Row], *args: Any, **kwargs: Any) -> int:
        rows = super().bulk_update(objs, *args, **kwargs)
        bump_catalog_version()
        return rows


class ActiveQuerySet(CatalogQuerySet[_Row]):
    def active(self) -> ActiveQuerySet[_Row]:
        """Entries offered to buyers (inactive ones stay for old assessments)."""
        return self.filter(active=True)


class ApiModel(SourcedModel, RatedModel):
    """A model called per token. ``key`` is its LiteLLM model name.

    ``open_weights`` rows are hosted open-weights providers (the ``open_api``
    option): ``open_model_key`` names the :class:`OpenModel` they serve.
    ``imported_fingerprint`` is the price importer's record of the prices it
    last wrote, so ``refresh_catalog`` tells an admin's hand edit from its own.
    """

    key = models.CharField(max_length=200, unique=True)
    provider = models.CharField(max_length=60)
    name = models.CharField(max_length=120)
    input_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, validators=[MinValueValidator(0)]
    )
    output_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, validators=[MinValueValidator(0)]
    )
    cached_input_usd_per_million_tokens = models.DecimalField(
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Prompt-cache read price. Empty: the input price (no cache discount).",
    )
    cache_write_usd_per_million_tokens = models.DecimalField(
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Prompt-cache write price, where the provider charges one (informational).",
    )
    batch_input_usd_per_million_tokens = models.DecimalField(
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Batch API input price. Empty: half the input price (the usual batch rate).",
    )
    batch_output_usd_per_million_tokens = models.DecimalField(
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Batch API output price. Empty: half the output price.",
    )
    tier = models.CharField(max_length=20, choices=Tier.choices)
    open_weights = models.BooleanField(
        default=False, help_text="An open model served per token by an inference provider."
    )
    open_model_key = models.SlugField(
        max_length=80,
        blank=True,
        help_text="Open-weights rows: the open model (OpenModel key) this provider serves.",
    )
    imported_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="Set by the price importer: a digest of the prices it last wrote. A row "
        "whose prices no longer match it was edited by hand, and a refresh keeps the edit.",
    )
    context_window_tokens = models.PositiveIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)
    is_default = models.BooleanField(
        default=False, help_text="The API model assessments use unless they pick another."
    )

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "key"]
        verbose_name = "API model"
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_api_model"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        super().clean()
        self.clean_quality()
        if self.open_weights:
            if not self.open_model_key:
                raise ValidationError(
                    {"open_model_key": "An open-weights row must name the open model it serves."}
                )
            if not OpenModel.objects.filter(key=self.open_model_key).exists():
                raise ValidationError(
                    {"open_model_key": f"No open model {self.open_model_key!r} in the catalog."}
                )
        elif self.open_model_key:
            raise ValidationError(
                {"open_model_key": "Only an open-weights row serves an open model."}
            )


class ApiPriceChange(SourcedModel):
    """A price change the source announces for an API model, from ``starts_on``.

    Kept beside the current price (on :class:`ApiModel`) so the projection
    prices each month at the price in force then (e.g. an introductory
    price that ends on a date).
    """

    api_model = models.ForeignKey(ApiModel, on_delete=models.CASCADE, related_name="price_changes")
    starts_on = models.DateField()
    input_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, validators=[MinValueValidator(0)]
    )
    output_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, validators=[MinValueValidator(0)]
    )
    cached_input_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    cache_write_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    batch_input_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    batch_output_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["api_model", "starts_on"]
        verbose_name = "API price change"
        constraints = [
            models.UniqueConstraint(
                fields=["api_model", "starts_on"], name="one_price_change_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.api_model_id} from {self.starts_on.isoformat()}"


class OpenModel(SourcedModel, RatedModel):
    """An open-weights model: what self-hosting runs and ``open_api`` providers serve.

    ``key`` is the slug that ``SelfHostedModelProfile.model_key`` and
    ``ApiModel.open_model_key`` name. Parameters are the model card's; a
    mixture-of-experts model has fewer active than total parameters.
    """

    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    total_parameters_billions = models.DecimalField(
        max_digits=7, decimal_places=1, validators=[MinValueValidator(0)]
    )
    active_parameters_billions = models.DecimalField(
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text="Parameters used per token (mixture of experts); the total for a dense model.",
    )
    licence = models.CharField(max_length=120)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["tier", "-total_parameters_billions", "key"]
        verbose_name = "open model"

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        super().clean()
        self.clean_quality()
        if (
            self.active_parameters_billions is not None
            and self.total_parameters_billions is not None
            and self.active_parameters_billions > self.total_parameters_billions
        ):
            raise ValidationError(
                {"active_parameters_billions": "Active parameters cannot exceed the total."}
            )


class GpuOffering(SourcedModel):
    """A GPU: its on-demand rental price (``source``) and, to own it, its server's figures.

    Reserved prices are the on-demand price less the catalog's reserved
    discounts (cost assumptions); owned hardware is priced per GPU from a
    server's price and power draw (``owned_source``).
    """

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    memory_gb = models.PositiveSmallIntegerField()
    usd_per_hour = models.DecimalField(
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(0)],
        help_text="On-demand price per GPU-hour.",
    )
    usd_per_hour_low = models.DecimalField(
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Lowest on-demand price seen across GPU clouds (the uncertainty range).",
    )
    usd_per_hour_high = models.DecimalField(
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Highest on-demand price seen across GPU clouds.",
    )
    gpus_per_server = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1)], help_text="GPUs in one server (owned)."
    )
    owned_usd_per_gpu = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Purchase price of a server divided by its GPUs (owned hardware).",
    )
    power_kw_per_gpu = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="A server's power draw divided by its GPUs, kW.",
    )
    owned_source = models.CharField(max_length=300, blank=True)
    owned_source_url = models.URLField(max_length=500, blank=True)
    owned_as_of = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = "GPU offering"

    def __str__(self) -> str:
        return self.name


class SelfHostedModelProfile(SourcedModel):
    """An open model served on ``gpus_per_replica`` GPUs, with its measured throughput."""

    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    parameters_billions = models.DecimalField(max_digits=7, decimal_places=1)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    gpu = models.ForeignKey(GpuOffering, on_delete=models.PROTECT, related_name="profiles")
    gpus_per_replica = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    output_tokens_per_second = models.DecimalField(
        max_digits=10,
        decimal_places=1,
        validators=[MinValueValidator(1)],
        help_text="Decode throughput of one replica under load.",
    )
    input_tokens_per_second = models.DecimalField(
        max_digits=10,
        decimal_places=1,
        validators=[MinValueValidator(1)],
        help_text="Prefill throughput of one replica (prompt tokens per second).",
    )
    model_key = models.SlugField(
        max_length=80,
        blank=True,
        help_text="The open model (OpenModel key) this profile serves (profiles of one model "
        "on several GPUs share it).",
    )
    serving_stack = models.CharField(max_length=60, blank=True, help_text="Engine and version.")
    precision = models.CharField(max_length=20, blank=True)
    benchmark_input_tokens = models.PositiveIntegerField(null=True, blank=True)
    benchmark_output_tokens = models.PositiveIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)
    is_default_for_tier = models.BooleanField(
        default=False, help_text="The like-for-like choice for its tier."
    )

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["tier", "-parameters_billions", "key"]
        verbose_name = "self-hosted model profile"
        constraints = [
            models.UniqueConstraint(
                fields=["tier"],
                condition=Q(is_default_for_tier=True),
                name="one_default_profile_per_tier",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        super().clean()
        if self.model_key and not OpenModel.objects.filter(key=self.model_key).exists():
            raise ValidationError(
                {"model_key": f"No open model {self.model_key!r} in the catalog."}
            )


class CostAssumption(SourcedModel):
    """One global figure of the cost model (engineer cost, peak factors, ...)."""

    key = models.CharField(
        max_length=60,
        unique=True,
        choices=[(spec.name, spec.label) for spec in SCALAR_ASSUMPTIONS],
    )
    value = models.DecimalField(max_digits=14, decimal_places=4)
    low = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, help_text="Plausible low."
    )
    high = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, help_text="Plausible high."
    )
    judgement = models.BooleanField(
        default=False, help_text="The advisor's own judgement, not a published figure."
    )
    reasoning = models.CharField(
        max_length=300, blank=True, help_text="One sentence: why this value (judgements)."
    )

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = "cost assumption"

    def __str__(self) -> str:
        return self.key

    @property
    def unit(self) -> str:
        return next(spec.unit for spec in SCALAR_ASSUMPTIONS if spec.name == self.key)
