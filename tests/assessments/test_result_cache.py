"""The result page's drawn fragments, cached by result version, token and code (result_cache.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor.assessments import result_cache, views
from advisor.assessments.models import Assessment
from tests.conftest import HIGH_VOLUME_ANSWERS


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
    assert f'data-recommendation="{assessment.result["recommendation"]}"' in second


def test_a_new_result_is_drawn_afresh(
    client: Client,
    make_completed: Callable[..., Assessment],
    complete_again: Callable[..., Assessment],
    drawn: list[int],
) -> None:
    assessment = make_completed({**HIGH_VOLUME_ANSWERS, "data_residency": "on_premises"})
    assert "Self-host an open model." in result_page(client, assessment)
    complete_again(assessment, monthly_queries=2_000_000, data_residency="none")

    page = result_page(client, assessment)

    assert drawn == [1, 1]
    assert 'data-recommendation="self_host"' not in page
    assert "Self-host an open model." not in page


def test_a_cached_page_never_reads_the_stored_result(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    result_page(client, assessment)
    with CaptureQueriesContext(connection) as captured:
        page = result_page(client, assessment)
    assert f'data-recommendation="{assessment.result["recommendation"]}"' in page
    # One query: the assessment's row, without the result's column (only a test of it).
    (query,) = captured.captured_queries
    assert '"assessments_assessment"."result",' not in query["sql"]
    assert '"assessments_assessment"."result" IS NOT NULL AS "has_result"' in query["sql"]


def test_the_same_result_under_another_token_is_drawn_with_its_own_links(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    one, other = make_completed(), make_completed()
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


def test_the_key_changes_with_the_code(
    make_completed: Callable[..., Assessment], monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = make_completed()
    before = result_cache.result_fragment_key(assessment)
    monkeypatch.setattr(result_cache, "code_version", lambda: "another-release")
    assert result_cache.result_fragment_key(assessment) != before


def test_the_key_tells_results_and_tokens_apart(
    make_completed: Callable[..., Assessment], complete_again: Callable[..., Assessment]
) -> None:
    key = result_cache.result_fragment_key
    one, other = make_completed(), make_completed()
    before = key(one)
    assert key(Assessment.objects.get(pk=one.pk)) == before
    assert key(other) != before
    assert key(complete_again(one, monthly_queries=2_000_000)) != before
