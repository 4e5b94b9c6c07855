"""Admin for the price catalog: admins keep prices, throughputs and assumptions current.

Every changelist warns about entries that are stale or lack a public source
(the same check as ``manage.py catalog_check``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse

from advisor.costs.models import ApiModel, CostAssumption, GpuOffering, SelfHostedModelProfile
from advisor.costs.selectors import DEFAULT_MAX_AGE_DAYS, stale_catalog_entries

SOURCE_FIELDS = ("source", "source_url", "as_of")
# Enough names to act on without flooding the page.
_NAMED_IN_WARNING = 10


class StaleWarningAdmin(admin.ModelAdmin):
    """A changelist that names its stale or unsourced entries in a warning."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "GET":
            self._warn_stale(request)
        return super().changelist_view(request, extra_context)

    def _warn_stale(self, request: HttpRequest) -> None:
        entries = stale_catalog_entries(model=self.model)
        if not entries:
            return
        named = "; ".join(f"{e.key} ({', '.join(e.reasons)})" for e in entries[:_NAMED_IN_WARNING])
        more = len(entries) - _NAMED_IN_WARNING
        tail = f"; and {more} more" if more > 0 else ""
        messages.warning(
            request,
            f"{len(entries)} {self.model._meta.verbose_name_plural} in use are older than "
            f"{DEFAULT_MAX_AGE_DAYS} days or lack a public source: {named}{tail}. "
            "Update them (manage.py import_prices) or cite a public source; "
            "manage.py catalog_check lists them all.",
        )


@admin.register(ApiModel)
class ApiModelAdmin(StaleWarningAdmin):
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
    ]


@admin.register(GpuOffering)
class GpuOfferingAdmin(StaleWarningAdmin):
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
class SelfHostedModelProfileAdmin(StaleWarningAdmin):
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
class CostAssumptionAdmin(StaleWarningAdmin):
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
