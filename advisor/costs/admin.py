"""Admin for the price catalog: admins keep prices, throughputs and assumptions current."""

from __future__ import annotations

from django.contrib import admin

from advisor.costs.models import ApiModel, CostAssumption, GpuOffering, SelfHostedModelProfile


@admin.register(ApiModel)
class ApiModelAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "name",
        "provider",
        "tier",
        "input_usd_per_million_tokens",
        "output_usd_per_million_tokens",
        "context_window_tokens",
        "active",
        "is_default",
        "as_of",
    ]
    list_filter = ["provider", "tier", "active", "is_default"]
    search_fields = ["key", "name", "provider"]
    ordering = ["provider", "key"]


@admin.register(GpuOffering)
class GpuOfferingAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "memory_gb", "usd_per_hour", "active", "as_of"]
    list_filter = ["active", "memory_gb"]
    search_fields = ["key", "name", "source"]


@admin.register(SelfHostedModelProfile)
class SelfHostedModelProfileAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "name",
        "tier",
        "parameters_billions",
        "gpu",
        "gpus_per_replica",
        "output_tokens_per_second",
        "input_tokens_per_second",
        "active",
        "is_default_for_tier",
        "as_of",
    ]
    list_filter = ["tier", "gpu", "active"]
    search_fields = ["key", "name", "serving_stack"]
    list_select_related = ["gpu"]


@admin.register(CostAssumption)
class CostAssumptionAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "value", "unit", "source", "as_of"]
    search_fields = ["key", "source"]

    @admin.display(description="Assumption")
    def label(self, obj: CostAssumption) -> str:
        return obj.get_key_display()
