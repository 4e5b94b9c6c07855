"""The catalog is maintained in Django admin: every changelist renders its rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from advisor.costs.models import ApiModel, CostAssumption, GpuOffering

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            "apimodel",
            ["claude-sonnet-5-5", "claude-sonnet-4-20250514", "Input usd per million tokens"],
        ),
        ("gpuoffering", ["NVIDIA H100 80GB", "2.9500"]),
        ("openmodel", ["gpt-oss-120b", "Active parameters billions", "Apache 2.0"]),
        ("selfhostedmodelprofile", ["llama-3.3-70b-fp8-2xh100", "Output tokens per second"]),
        ("costassumption", ["engineer_monthly_cost_usd", "USD/month", "21700.0000"]),
    ],
)
def test_changelist_renders(admin_client: Client, model: str, expected: list[str]) -> None:
    response = admin_client.get(reverse(f"admin:costs_{model}_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    for text in expected:
        assert text in content


def test_changelist_search_and_filter(admin_client: Client) -> None:
    url = reverse("admin:costs_apimodel_changelist")

    searched = admin_client.get(url, {"q": "claude"}).content.decode()
    filtered = admin_client.get(url, {"tier__exact": "small"}).content.decode()

    assert "claude-opus-4-20250514" in searched
    assert "gpt-4.1</a>" not in searched
    assert "gpt-4.1-mini" in filtered
    assert "claude-opus-4-20250514" not in filtered


def test_change_form_renders(admin_client: Client) -> None:
    response = admin_client.get(reverse("admin:costs_selfhostedmodelprofile_change", args=[1]))

    assert response.status_code == 200
    assert "Prefill throughput" in response.content.decode()


def make_stale() -> None:
    """Every API model dated 2025-09-01 and citing the design document (not evidence)."""
    ApiModel.objects.update(as_of=date(2025, 9, 1), source="Price map, design.md figures")


def test_changelist_warns_about_stale_and_unsourced_entries(admin_client: Client) -> None:
    make_stale()

    response = admin_client.get(reverse("admin:costs_apimodel_changelist"))

    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "API models in use are older than 180 days or lack a public source" in warnings[0]
    assert "gpt-4.1 (as of 2025-09-01" in warnings[0]
    assert "cites an internal document (design.md)" in warnings[0]


def test_no_warning_when_every_entry_is_fresh_and_public(admin_client: Client) -> None:
    CostAssumption.objects.update(source="Levels.fyi, ML engineer pay", as_of=date.today())

    response = admin_client.get(reverse("admin:costs_costassumption_changelist"))

    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_api_model_form_shows_cache_batch_and_source_fields(admin_client: Client) -> None:
    row = ApiModel.objects.get(key="gpt-4.1")

    response = admin_client.get(reverse("admin:costs_apimodel_change", args=[row.pk]))

    content = response.content.decode()
    for field in (
        "cached_input_usd_per_million_tokens",
        "cache_write_usd_per_million_tokens",
        "batch_input_usd_per_million_tokens",
        "batch_output_usd_per_million_tokens",
        "open_weights",
        "source_url",
    ):
        assert f'name="{field}"' in content
    assert "half the standard price for batch" in content


def test_gpu_form_shows_owned_hardware_fields(admin_client: Client) -> None:
    gpu = GpuOffering.objects.order_by("pk").first()

    response = admin_client.get(reverse("admin:costs_gpuoffering_change", args=[gpu.pk]))

    content = response.content.decode()
    for field in ("owned_usd_per_gpu", "power_kw_per_gpu", "owned_source", "owned_as_of"):
        assert f'name="{field}"' in content


def test_warning_names_only_the_listed_entries(admin_client: Client) -> None:
    make_stale()
    total = ApiModel.objects.active().count()
    small = ApiModel.objects.active().filter(tier="small").count()
    url = reverse("admin:costs_apimodel_changelist")

    response = admin_client.get(url, {"tier__exact": "small"})

    (warning,) = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warning.startswith(f"{total} API models in use are older than 180 days")
    assert "gpt-4.1-mini (as of" in warning
    assert "claude-opus-4-20250514" not in warning
    assert f"({total - small} not in this list)" in warning
