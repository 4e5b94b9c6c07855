"""The result page's drawn fragments, cached by result, token and code (result_cache.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor.assessments import result_cache, views
from advisor.assessments.models import Assessment


def result_page(client: Client, assessment: Assessment) -> str:
    response = client.get(reverse("assessments:result", args=[assessment.token]))
    assert response.status_code == 200
    return response.content.decode()


def article(page: str) -> str:
    """The result itself, without the per-request CSRF token and script nonce around it."""
    return page[page.index("<article") : page.index("</article>")]


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the uncertainty views built: one per drawing of the fragments."""
    counted: list[int] = []
    real = views.uncertainty_view

    def counting(*args: Any, **kwargs: Any) -> Any:
        counted.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "uncertainty_view", counting)
    return counted


def test_a_second_view_of_the_same_result_draws_nothing_again(
    client: Client, make_completed: Callable[..., Assessment], drawn: list[int]
) -> None:
    assessment = make_completed()
    first = result_page(client, assessment)
    second = result_page(client, assessment)
    assert drawn == [1]
    assert article(second) == article(first)
    assert "What would change this answer" in second
    assert 'data-recommendation="self_host"' in second


def test_a_new_result_is_drawn_afresh(
    client: Client, make_completed: Callable[..., Assessment], drawn: list[int]
) -> None:
    assessment = make_completed()
    assert "Self-host an open model." in result_page(client, assessment)
    low_volume = make_completed({"monthly_queries": 2_000_000})
    Assessment.objects.filter(pk=assessment.pk).update(result=low_volume.result)

    page = result_page(client, assessment)

    assert drawn == [1, 1]
    assert "Use a commercial LLM API" in page
    assert "Self-host an open model." not in page


def test_the_same_result_under_another_token_is_drawn_with_its_own_links(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    one, other = make_completed(), make_completed()
    Assessment.objects.filter(pk=other.pk).update(result=one.result)
    result_page(client, one)
    page = result_page(client, other)
    chart = reverse("assessments:cumulative_chart", args=[other.token])
    assert chart in page
    assert one.token not in page


def test_what_depends_on_the_assessment_is_drawn_on_every_view(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed(client_name="Acme Health")
    assert "Recommendation for Acme Health" in result_page(client, assessment)
    Assessment.objects.filter(pk=assessment.pk).update(
        client_name="Globex", locked_at=timezone.now()
    )
    page = result_page(client, assessment)
    assert "Recommendation for Globex" in page
    assert 'id="locked-notice"' in page


def test_the_key_changes_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = {"recommendation": "api", "confidence": 0.8}
    before = result_cache.result_fragment_key(stored, token="abc")
    monkeypatch.setattr(result_cache, "code_version", lambda: "another-release")
    assert result_cache.result_fragment_key(stored, token="abc") != before


def test_the_key_tells_results_and_tokens_apart() -> None:
    key = result_cache.result_fragment_key
    assert key({"confidence": 0.8}, token="abc") == key({"confidence": 0.8}, token="abc")
    assert key({"confidence": 0.8}, token="abc") != key({"confidence": 0.81}, token="abc")
    assert key({"confidence": 0.8}, token="abc") != key({"confidence": 0.8}, token="abd")
