"""The price catalog: API models, GPUs, self-hosted model profiles, global assumptions.

Every price and figure carries its ``source`` and ``as_of`` date, because the
"assumptions used" table of each report shows them. ``services.py`` turns
these rows into the pure ``projection.Assumptions``.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from advisor.costs.projection import SCALAR_ASSUMPTIONS


class Tier(models.TextChoices):
    FRONTIER = "frontier", "Frontier"
    MID = "mid", "Mid (GPT-4-class / 70B-class)"
    SMALL = "small", "Small (mini-class / 8B-class)"


class SourcedModel(models.Model):
    source = models.CharField(max_length=300, help_text="Where the figure comes from.")
    as_of = models.DateField(help_text="The date the figure was true on.")

    class Meta:
        abstract = True


class ActiveQuerySet(models.QuerySet):
    def active(self) -> ActiveQuerySet:
        """Entries offered to buyers (inactive ones stay for old assessments)."""
        return self.filter(active=True)


class ApiModel(SourcedModel):
    """A commercial model called per token. ``key`` is its LiteLLM model name."""

    key = models.CharField(max_length=200, unique=True)
    provider = models.CharField(max_length=60)
    name = models.CharField(max_length=120)
    input_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, validators=[MinValueValidator(0)]
    )
    output_usd_per_million_tokens = models.DecimalField(
        max_digits=12, decimal_places=6, validators=[MinValueValidator(0)]
    )
    tier = models.CharField(max_length=20, choices=Tier.choices)
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


class GpuOffering(SourcedModel):
    """A GPU rented on demand by the hour."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    memory_gb = models.PositiveSmallIntegerField()
    usd_per_hour = models.DecimalField(
        max_digits=8, decimal_places=4, validators=[MinValueValidator(0)]
    )
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
    serving_stack = models.CharField(max_length=60, blank=True)
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


class CostAssumption(SourcedModel):
    """One global figure of the cost model (engineer cost, peak factors, ...)."""

    key = models.CharField(
        max_length=60,
        unique=True,
        choices=[(spec.name, spec.label) for spec in SCALAR_ASSUMPTIONS],
    )
    value = models.DecimalField(max_digits=14, decimal_places=4, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["key"]
        verbose_name = "cost assumption"

    def __str__(self) -> str:
        return self.key

    @property
    def unit(self) -> str:
        return next(spec.unit for spec in SCALAR_ASSUMPTIONS if spec.name == self.key)
