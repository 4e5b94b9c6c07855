"""Admin for the price catalog: admins keep prices, throughputs and assumptions current.

Every changelist warns about entries that are stale or lack a public source
(the same check as ``manage.py catalog_check``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from advisor.costs.models import (
    ApiModel,
    ApiPriceChange,
    CostAssumption,
    GpuOffering,
    OpenModel,
    SelfHostedModelProfile,
    SourcedModel,
)
from advisor.costs.selectors import DEFAULT_MAX_AGE_DAYS, stale_catalog_entries

SOURCE_FIELDS = ("source", "source_url", "as_of")
QUALITY_FIELDS = ("quality_score", "quality_source", "quality_source_url", "quality_as_of")
# Enough names to act on without flooding the page.
_NAMED_IN_WARNING = 10


_Entry = TypeVar("_Entry", bound=SourcedModel)


class StaleWarningAdmin(admin.ModelAdmin[_Entry]):
    """A changelist that warns about stale or unsourced entries, naming those it lists."""

    # Source URLs are public web pages: a bare domain means https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        # A TemplateResponse renders later, so a message added now still shows.
        changelist = getattr(response, "context_data", None) or {}
        if request.method == "GET" and "cl" in changelist:
            self._warn_stale(request, listed=changelist["cl"].queryset)
        return response

    def _warn_stale(self, request: HttpRequest, *, listed: QuerySet[_Entry]) -> None:
        entries = stale_catalog_entries(model=self.model)
        if not entries:
            return
        listed_keys = {str(row) for row in listed}
        shown = [entry for entry in entries if entry.key in listed_keys]
        named = "; ".join(f"{e.key} ({', '.join(e.reasons)})" for e in shown[:_NAMED_IN_WARNING])
        more = len(shown) - _NAMED_IN_WARNING
        if more > 0:
            named += f"; and {more} more"
        elsewhere = len(entries) - len(shown)
        messages.warning(
            request,
            f"{len(entries)} {self.model._meta.verbose_name_plural} in use are older than "
            f"{DEFAULT_MAX_AGE_DAYS} days or lack a public source"
            + (f": {named}" if named else "")
            + (f" ({elsewhere} not in this list)" if elsewhere and named else "")
            + ". Update them (manage.py import_prices) or cite a public source; "
            "manage.py catalog_check lists them all.",
        )


class ApiPriceChangeInline(admin.TabularInline[ApiPriceChange, ApiModel]):
    model = ApiPriceChange
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "starts_on",
        "input_usd_per_million_tokens",
        "output_usd_per_million_tokens",
        "cached_input_usd_per_million_tokens",
        "batch_input_usd_per_million_tokens",
        "batch_output_usd_per_million_tokens",
        *SOURCE_FIELDS,
    ]


@admin.register(ApiModel)
class ApiModelAdmin(StaleWarningAdmin[ApiModel]):
    list_display = [
        "key",
        "name",
        "provider",
        "tier",
        "open_weights",
        "input_usd_per_million_tokens",
        "output_usd_per_million_tokens",
        "cached_input_usd_per_million_tokens",
        "batch_input_usd_per_million_tokens",
        "batch_output_usd_per_million_tokens",
        "context_window_tokens",
        "quality_score",
        "active",
        "is_default",
        "as_of",
    ]
    list_filter = ["provider", "tier", "open_weights", "active", "is_default"]
    search_fields = ["key", "name", "provider", "source"]
    ordering = ["provider", "key"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "key",
                    "name",
                    "provider",
                    "tier",
                    "open_weights",
                    "open_model_key",
                    "context_window_tokens",
                    "active",
                    "is_default",
                ]
            },
        ),
        (
            "Prices (USD per 1M tokens)",
            {
                "fields": [
                    ("input_usd_per_million_tokens", "output_usd_per_million_tokens"),
                    ("cached_input_usd_per_million_tokens", "cache_write_usd_per_million_tokens"),
                    ("batch_input_usd_per_million_tokens", "batch_output_usd_per_million_tokens"),
                ],
                "description": "Empty cache and batch prices mean 'not listed': the cost model "
                "then uses the input price for cache reads and half the standard price for "
                "batch, and says so.",
            },
        ),
        ("Source", {"fields": SOURCE_FIELDS}),
        (
            "Quality",
            {
                "fields": QUALITY_FIELDS,
                "description": "One public leaderboard for every model; empty score: not rated.",
            },
        ),
        (
            "Import record",
            {
                "fields": ["imported_fingerprint"],
                "description": "Written by the price importer. Editing a price by hand makes "
                "refresh_catalog keep your edit and report the conflict.",
            },
        ),
    ]
    readonly_fields = ["imported_fingerprint"]
    inlines = [ApiPriceChangeInline]


@admin.register(OpenModel)
class OpenModelAdmin(StaleWarningAdmin[OpenModel]):
    list_display = [
        "key",
        "name",
        "tier",
        "total_parameters_billions",
        "active_parameters_billions",
        "licence",
        "quality_score",
        "active",
        "as_of",
    ]
    list_filter = ["tier", "active"]
    search_fields = ["key", "name", "licence", "source"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "key",
                    "name",
                    ("total_parameters_billions", "active_parameters_billions"),
                    "licence",
                    "tier",
                    "active",
                ]
            },
        ),
        ("Source", {"fields": SOURCE_FIELDS}),
        (
            "Quality",
            {
                "fields": QUALITY_FIELDS,
                "description": "One public leaderboard for every model; empty score: not rated.",
            },
        ),
    ]


@admin.register(GpuOffering)
class GpuOfferingAdmin(StaleWarningAdmin[GpuOffering]):
    list_display = [
        "key",
        "name",
        "memory_gb",
        "usd_per_hour",
        "owned_usd_per_gpu",
        "power_kw_per_gpu",
        "active",
        "as_of",
        "owned_as_of",
    ]
    list_filter = ["active", "memory_gb"]
    search_fields = ["key", "name", "source", "owned_source"]
    fieldsets = [
        (None, {"fields": ["key", "name", "memory_gb", "active"]}),
        ("Rented (on demand)", {"fields": ["usd_per_hour", *SOURCE_FIELDS]}),
        (
            "Owned hardware",
            {
                "fields": [
                    "gpus_per_server",
                    "owned_usd_per_gpu",
                    "power_kw_per_gpu",
                    "owned_source",
                    "owned_source_url",
                    "owned_as_of",
                ]
            },
        ),
    ]


@admin.register(SelfHostedModelProfile)
class SelfHostedModelProfileAdmin(StaleWarningAdmin[SelfHostedModelProfile]):
    list_display = [
        "key",
        "name",
        "tier",
        "parameters_billions",
        "gpu",
        "gpus_per_replica",
        "output_tokens_per_second",
        "input_tokens_per_second",
        "serving_stack",
        "precision",
        "active",
        "is_default_for_tier",
        "as_of",
    ]
    list_filter = ["tier", "gpu", "active"]
    search_fields = ["key", "name", "serving_stack", "source"]
    list_select_related = ["gpu"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "key",
                    "name",
                    "model_key",
                    "parameters_billions",
                    "tier",
                    "active",
                    "is_default_for_tier",
                ]
            },
        ),
        (
            "Measured throughput",
            {
                "fields": [
                    ("gpu", "gpus_per_replica"),
                    ("output_tokens_per_second", "input_tokens_per_second"),
                    ("serving_stack", "precision"),
                    ("benchmark_input_tokens", "benchmark_output_tokens"),
                ]
            },
        ),
        ("Source", {"fields": SOURCE_FIELDS}),
    ]


@admin.register(CostAssumption)
class CostAssumptionAdmin(StaleWarningAdmin[CostAssumption]):
    list_display = ["key", "label", "value", "low", "high", "unit", "judgement", "source", "as_of"]
    list_filter = ["judgement"]
    search_fields = ["key", "source"]
    fieldsets = [
        (None, {"fields": ["key", ("value", "low", "high")]}),
        ("Judgement", {"fields": ["judgement", "reasoning"]}),
        ("Source", {"fields": SOURCE_FIELDS}),
    ]

    @admin.display(description="Assumption")
    def label(self, obj: CostAssumption) -> str:
        return obj.get_key_display()
