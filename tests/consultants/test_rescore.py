"""Re-scoring with a newer ruleset or newer prices: a diff first, history kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from advisor.assessments.models import PastResult
from advisor.costs.models import ApiModel
from advisor.rules.models import Question, Rule
from advisor.rules.publishing import ruleset_clone, ruleset_publish
from advisor.rules.services import clear_compiled_cache

from .conftest import client_for


@pytest.fixture
def newer_ruleset(brief_ruleset, staff_user):
    draft = ruleset_clone(ruleset=brief_ruleset, user=staff_user)
    # The new version leaves only the API (decision model v3: a gate, not score points).
    Rule.objects.create(
        ruleset=draft, code="test-always-api", title="Test: always the API",
        condition="monthly_queries >= 0", excludes=["open_api", "self_host", "hybrid"], order=1,
        rationale="A test rule.", caveat_code="test_new_caveat", caveat_text="A new caveat.",
    )  # fmt: skip
    clear_compiled_cache()
    return ruleset_publish(ruleset=draft, user=staff_user)


def rescore_url(assessment) -> str:
    return reverse("consultants:assessment_rescore", args=[assessment.token])


def test_preview_shows_what_changes_and_writes_nothing(completed_of_a, consultant_a, newer_ruleset):
    before = completed_of_a.result
    response = client_for(consultant_a).get(rescore_url(completed_of_a))
    diff = response.context["diff"]
    assert diff.ruleset_changed
    assert diff.recommendation_after == "api"
    assert [c["code"] for c in diff.caveats_added] == ["test_new_caveat"]
    body = response.content.decode()
    assert 'data-rescore="changed"' in body
    assert 'data-caveat-added="test_new_caveat"' in body
    completed_of_a.refresh_from_db()
    assert completed_of_a.result == before
    assert not PastResult.objects.exists()


def test_accepting_keeps_the_old_result_and_ruleset_in_the_history(
    completed_of_a, consultant_a, newer_ruleset, brief_ruleset
):
    client = client_for(consultant_a)
    old_result = completed_of_a.result
    fingerprint = client.get(rescore_url(completed_of_a)).context["preview"].fingerprint
    response = client.post(rescore_url(completed_of_a), {"fingerprint": fingerprint})
    assert response.status_code == 302
    completed_of_a.refresh_from_db()
    assert completed_of_a.ruleset == newer_ruleset
    assert completed_of_a.result["recommendation"] == "api"
    past = PastResult.objects.get()
    assert (past.ruleset, past.result, past.replaced_by) == (
        brief_ruleset,
        old_result,
        consultant_a,
    )
    page = client.get(reverse("consultants:assessment", args=[completed_of_a.token]))
    assert "Earlier results" in page.content.decode()
    # The buyer's pages keep working on the new ruleset.
    assert (
        client_for(None).get(reverse("assessments:result", args=[completed_of_a.token])).status_code
        == 200
    )


def test_newer_prices_show_as_tco_changes(completed_of_a, consultant_a):
    ApiModel.objects.filter(is_default=True).update(
        input_usd_per_million_tokens=Decimal("20"), output_usd_per_million_tokens=Decimal("80")
    )
    diff = client_for(consultant_a).get(rescore_url(completed_of_a)).context["diff"]
    assert not diff.ruleset_changed
    api = next(change for change in diff.tco if change.option == "api")
    assert api.changed and api.after_usd > api.before_usd


def test_nothing_to_change_says_so(completed_of_a, consultant_a):
    response = client_for(consultant_a).get(rescore_url(completed_of_a))
    assert response.context["diff"].unchanged
    assert 'data-rescore="unchanged"' in response.content.decode()


def test_a_result_that_changed_since_the_preview_is_not_accepted(
    completed_of_a, consultant_a, newer_ruleset
):
    client = client_for(consultant_a)
    fingerprint = client.get(rescore_url(completed_of_a)).context["preview"].fingerprint
    ApiModel.objects.filter(is_default=True).update(input_usd_per_million_tokens=Decimal("99"))
    response = client.post(rescore_url(completed_of_a), {"fingerprint": fingerprint})
    assert response.status_code == 200
    assert "changed again since you looked" in response.content.decode()
    completed_of_a.refresh_from_db()
    assert not PastResult.objects.exists()


def test_answers_that_no_longer_parse_are_explained(
    completed_of_a, consultant_a, brief_ruleset, staff_user
):
    draft = ruleset_clone(ruleset=brief_ruleset, user=staff_user)
    Question.objects.filter(ruleset=draft, key="load_pattern").update(
        choices=[["steady", "Steady"], ["bursty", "Bursty"]], default="bursty"
    )
    Rule.objects.filter(ruleset=draft, condition__contains="load_pattern").delete()
    clear_compiled_cache()
    ruleset_publish(ruleset=draft, user=staff_user)
    completed_of_a.answers = {**completed_of_a.answers, "load_pattern": "spiky"}
    completed_of_a.save()
    response = client_for(consultant_a).get(rescore_url(completed_of_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "do not fit ruleset" in body
    assert "load_pattern" in body
    assert "Accept the new result" not in body


def test_admin_shows_the_history_but_not_the_private_notes(completed_of_a, django_user_model):
    completed_of_a.notes = "private to the consultant"
    completed_of_a.save()
    admin_user = django_user_model.objects.create_superuser("root", password="x-long-pass-1")
    client = client_for(admin_user)
    url = reverse("admin:assessments_assessment_change", args=[completed_of_a.pk])
    body = client.get(url).content.decode()
    assert "Past results" in body
    assert "private to the consultant" not in body


def test_the_buyers_result_page_shows_the_rescored_result(
    completed_of_a, consultant_a, newer_ruleset
):
    buyer = Client()
    result_url = reverse("assessments:result", args=[completed_of_a.token])
    # Seen once, so its fragments are in the cache under the old result's version.
    before = completed_of_a.result["recommendation"]
    assert before != "api"
    assert f'data-recommendation="{before}"' in buyer.get(result_url).content.decode()
    client = client_for(consultant_a)
    fingerprint = client.get(rescore_url(completed_of_a)).context["preview"].fingerprint
    client.post(rescore_url(completed_of_a), {"fingerprint": fingerprint})
    page = buyer.get(result_url).content.decode()
    assert 'data-recommendation="api"' in page
    assert f"version {newer_ruleset.version}" in page
