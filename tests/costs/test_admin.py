"""The catalog is maintained in Django admin: every changelist renders its rows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("apimodel", ["gpt-4.1", "claude-sonnet-4-20250514", "Input usd per million tokens"]),
        ("gpuoffering", ["NVIDIA H100 80GB", "3.8000"]),
        ("selfhostedmodelprofile", ["llama-3.1-70b-fp8", "Output tokens per second"]),
        ("costassumption", ["engineer_monthly_cost_usd", "USD/month", "22500.0000"]),
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
