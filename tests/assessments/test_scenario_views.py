"""Scenarios on the buyer's result page and the consultant's page: forms, htmx, access."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor.assessments.models import ScenarioVariant
from tests.conftest import make_consultant
from tests.consultants.conftest import XSS, client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _post(token: str, **fields: str) -> dict[str, str]:
    return {f"scenario-{name}": value for name, value in fields.items()}


def test_a_buyer_adds_a_variant_without_javascript_and_sees_it_beside_the_result(make_completed):
    assessment = make_completed()
    client = Client()
    url = reverse("assessments:scenario_add", args=[assessment.token])
    response = client.post(
        url, _post(assessment.token, name="Volume x3", key_1="monthly_queries", value_1="x3")
    )
    assert response.status_code == 303
    assert response["Location"].endswith(f"/{assessment.token}/result/#scenarios")
    page = client.get(response["Location"]).content.decode()
    assert "Scenario “Volume x3” added." in page
    assert '<th scope="col" class="scenario-name" data-scenario="1">Volume x3</th>' in page
    assert "900,000,000 queries" in page  # the changed answer, in the questionnaire's words
    assert 'data-row="recommendation"' in page
    # The wide drawing and the phone's; CSS shows one.
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg" class="scenario-chart-svg scenario-chart-wide"'
        in page
    )
    assert 'class="scenario-chart-svg scenario-chart-phone"' in page


def test_htmx_gets_the_section_alone(make_completed):
    assessment = make_completed()
    url = reverse("assessments:scenario_add", args=[assessment.token])
    response = Client().post(
        url,
        _post(assessment.token, name="BAA", key_1="load_pattern", value_1="spiky"),
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<section") and "<html" not in body
    assert 'id="scenarios"' in body and ">BAA</th>" in body
    assert ScenarioVariant.objects.get().overrides == {"load_pattern": "spiky"}


def test_a_bad_answer_comes_back_on_its_field_with_the_wizards_message(make_completed):
    assessment = make_completed()
    url = reverse("assessments:scenario_add", args=[assessment.token])
    for headers in ({}, HTMX):
        response = Client().post(
            url,
            _post(assessment.token, name="Neg", key_1="monthly_queries", value_1="-5"),
            **headers,
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert 'id="id_scenario-value_1-error">Enter at least 0 queries/month.</div>' in body
        assert 'aria-invalid="true"' in body and 'value="-5"' in body
    assert not ScenarioVariant.objects.exists()


def test_an_incomplete_row_and_a_missing_name_are_named(make_completed):
    assessment = make_completed()
    url = reverse("assessments:scenario_add", args=[assessment.token])
    body = Client().post(url, _post(assessment.token, key_1="monthly_queries"), **HTMX)
    text = body.content.decode()
    assert "Give the scenario a name" in text
    assert "Enter the answer this scenario changes it to." in text


def test_names_are_escaped_on_the_page_and_in_the_partial(make_completed):
    assessment = make_completed()
    client = Client()
    url = reverse("assessments:scenario_add", args=[assessment.token])
    htmx = client.post(
        url, _post(assessment.token, name=XSS[:60], key_1="monthly_queries", value_1="x2"), **HTMX
    )
    page = client.get(reverse("assessments:result", args=[assessment.token]))
    for body in (htmx.content.decode(), page.content.decode()):
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body


def test_every_post_needs_the_csrf_token(make_completed):
    assessment = make_completed()
    client = Client(enforce_csrf_checks=True)
    for name in ("assessments:scenario_add", "assessments:scenario_remove"):
        response = client.post(reverse(name, args=[assessment.token]), {})
        assert response.status_code == 403


def test_removing_takes_the_column_away(make_completed):
    assessment = make_completed()
    client = Client()
    client.post(
        reverse("assessments:scenario_add", args=[assessment.token]),
        _post(assessment.token, name="Twice", key_1="monthly_queries", value_1="x2"),
    )
    variant = ScenarioVariant.objects.get()
    response = client.post(
        reverse("assessments:scenario_remove", args=[assessment.token]),
        {"variant": str(variant.pk)},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Scenario removed." in body and "Twice" not in body


def test_a_locked_assessment_shows_its_variants_without_the_forms(make_completed, consultant):
    assessment = make_completed(owner=consultant)
    Client().post(
        reverse("assessments:scenario_add", args=[assessment.token]),
        _post(assessment.token, name="Twice", key_1="monthly_queries", value_1="x2"),
    )
    assessment.locked_at = timezone.now()
    assessment.save()
    client = Client()
    page = client.get(reverse("assessments:result", args=[assessment.token])).content.decode()
    assert ">Twice</th>" in page
    assert "Add a scenario" not in page and "Remove<span" not in page
    refused = client.post(
        reverse("assessments:scenario_add", args=[assessment.token]),
        _post(assessment.token, name="More", key_1="monthly_queries", value_1="x3"),
        **HTMX,
    )
    # Refused by the one write guard: htmx is sent to the result page, which says why.
    result_url = reverse("assessments:result", args=[assessment.token])
    assert refused["HX-Redirect"] == result_url
    assert (
        "locked this assessment, so nothing was changed" in client.get(result_url).content.decode()
    )
    assert ScenarioVariant.objects.count() == 1


def test_the_owning_consultant_adds_and_sees_them_on_the_assessment_page(
    make_completed, consultant
):
    completed_of_a = make_completed(owner=consultant)
    client = client_for(consultant)
    token = completed_of_a.token
    response = client.post(
        reverse("consultants:assessment_scenario_add", args=[token]),
        _post(token, name="Reserved 3 years", key_1="gpu_pricing", value_1="reserved_3y"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("consultants:assessment", args=[token]) + "#scenarios"
    page = client.get(response["Location"]).content.decode()
    assert ">Reserved 3 years</th>" in page
    assert reverse("consultants:assessment_scenario_remove", args=[token]) in page


def test_another_consultant_cannot_add_to_the_buyers_page_either(make_completed, consultant):
    completed_of_a = make_completed(owner=consultant)
    client = client_for(make_consultant("blake"))
    response = client.post(
        reverse("assessments:scenario_add", args=[completed_of_a.token]),
        _post(completed_of_a.token, name="x", key_1="monthly_queries", value_1="x2"),
    )
    assert response.status_code == 404
    assert not ScenarioVariant.objects.exists()


def test_without_variants_the_page_offers_the_form_and_reads_only_its_row(make_completed):
    assessment = make_completed()
    client = Client()
    result_url = reverse("assessments:result", args=[assessment.token])
    client.get(result_url)  # the result's fragments cached
    with CaptureQueriesContext(connection) as captured:
        page = client.get(result_url).content.decode()
    assert len(captured) == 1
    add_url = reverse("assessments:scenario_add", args=[assessment.token])
    assert f'href="{add_url}#scenarios"' in page and "Name of the scenario" not in page
    # Without JavaScript the link opens the result page with the form; htmx gets the section.
    opened = client.get(add_url).content.decode()
    assert "<html" in opened and 'id="id_scenario-name"' in opened and "autofocus" in opened
    swapped = client.get(add_url, **HTMX).content.decode()
    assert "<html" not in swapped and 'id="id_scenario-name"' in swapped
