"""The wizard's views through Django's test client: every step, the review, the result."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client

from advisor.assessments import views
from advisor.assessments.forms import PLANNER_CHOICE, StepForm
from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.services import assessment_start
from advisor.assessments.steps import build_steps
from advisor.rules.services import question_specs

pytestmark = pytest.mark.django_db

WORKLOAD = {
    "monthly_queries": "2M",
    "load_pattern": "steady",
    "has_production_data": "true",
    "_shown": "monthly_queries load_pattern has_production_data",
}
COMPLIANCE = {"regimes": [], "_shown": "regimes"}


def url(assessment: Assessment, suffix: str = "") -> str:
    return f"/a/{assessment.token}/{suffix}"


def post_step(
    client: Client,
    assessment: Assessment,
    slug: str,
    data: dict[str, Any],
    nav: str = "next",
    **extra: Any,
) -> Any:
    return client.post(url(assessment, f"step/{slug}/"), {**data, "nav": nav}, **extra)


def complete_all_steps(client: Client, assessment: Assessment) -> None:
    post_step(client, assessment, "workload", WORKLOAD)
    post_step(client, assessment, "compliance", COMPLIANCE)
    post_step(client, assessment, "cost-assumptions", {}, nav="skip")


def reload(assessment: Assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def checked_values(body: str, name: str) -> list[str]:
    """The values of the ticked radios or checkboxes named ``name`` on the page."""
    inputs = re.findall(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', body)
    return [
        re.search(r'\bvalue="([^"]*)"', tag).group(1)  # type: ignore[union-attr]
        for tag in inputs
        if re.search(r"\schecked\b", tag)
    ]


# --- start and resume ---------------------------------------------------------


def test_start_needs_no_account_and_opens_the_first_step(client, ruleset):
    response = client.post("/a/start/", follow=True)
    assessment = Assessment.objects.get()
    assert response.redirect_chain[-1][0] == url(assessment, "step/workload/")
    assert assessment.ruleset == ruleset
    assert len(assessment.token) >= 32  # 24 random bytes, base64: 192 bits


def test_start_without_a_published_ruleset_says_so(client, db):
    response = client.post("/a/start/")
    assert response.status_code == 503
    assert "not available yet" in response.content.decode()


def test_the_unavailable_page_is_the_sites_error_page(client, db):
    body = client.post("/a/start/").content.decode()
    assert "<title>Assessments are not available yet · LLM Deployment Advisor</title>" in body
    assert '<p class="error-code text-body-secondary">Error 503</p>' in body
    # The layout the 404 page has too.
    not_found = client.get("/no-such-page/").content.decode()
    assert body.split('<main id="main"')[0] == not_found.split('<main id="main"')[0].replace(
        "Page not found", "Assessments are not available yet"
    )


def test_start_refuses_get(client, ruleset):
    assert client.get("/a/start/").status_code == 405


@pytest.mark.parametrize(
    "suffix", ["", "step/workload/", "review/", "result/", "step/workload/live/"]
)
def test_unknown_token_is_the_site_404(client, ruleset, suffix):
    method = client.post if suffix.endswith("live/") else client.get
    response = method(f"/a/NoSuchTokenNoSuchTokenNoSuchToken/{suffix}")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_step_is_404(client, assessment):
    assert client.get(url(assessment, "step/no-such-section/")).status_code == 404


def test_resume_opens_the_first_unanswered_step(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    response = client.get(url(assessment))
    assert response.status_code == 303
    assert response["Location"] == url(assessment, "step/compliance/")


def test_every_assessment_response_is_not_stored(client, assessment):
    response = client.get(url(assessment, "step/workload/"))
    assert "no-store" in response["Cache-Control"]


# --- a step -------------------------------------------------------------------


def test_step_inputs_are_named_by_key_with_help_text_and_progress(client, assessment):
    body = client.get(url(assessment, "step/workload/")).content.decode()
    assert 'name="monthly_queries"' in body
    assert 'name="load_pattern"' in body
    assert "Count every call to the model." in body
    assert 'aria-describedby="id_monthly_queries_helptext"' in body
    assert "Step 1 of 4" in body
    assert "Compliance" in body and "Cost assumptions" in body
    assert 'hx-history="false"' in body
    assert "includeIndicatorStyles" in body


def test_htmx_gets_the_step_as_a_partial(client, assessment):
    response = client.get(url(assessment, "step/workload/"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="wizard"')
    assert "<html" not in body


def test_next_saves_typed_answers_and_moves_on(client, assessment):
    response = post_step(client, assessment, "workload", WORKLOAD)
    assert response.status_code == 303
    assert response["Location"] == url(assessment, "step/compliance/")
    saved = reload(assessment)
    assert saved.answers["monthly_queries"] == 2_000_000
    assert saved.answers["load_pattern"] == "steady"
    assert saved.answers["has_production_data"] is True
    assert saved.saved_steps == ["workload"]


def test_a_saved_number_is_shown_back_with_separators(client, assessment):
    post_step(client, assessment, "workload", {**WORKLOAD, "monthly_queries": "300,000,000"})
    body = client.get(url(assessment, "step/workload/")).content.decode()
    assert 'value="300,000,000"' in body


def test_invalid_volume_shows_the_message_and_keeps_the_other_answers(client, assessment):
    response = post_step(client, assessment, "workload", {**WORKLOAD, "monthly_queries": "lots"})
    body = response.content.decode()
    assert response.status_code == 200  # htmx 2 swaps 2xx only
    assert "is not a number" in body
    assert 'aria-invalid="true"' in body
    assert "id_monthly_queries_error" in body
    assert 'value="lots"' in body
    assert checked_values(body, "load_pattern") == ["steady"]  # the valid answer stays ticked
    saved = reload(assessment)
    assert saved.saved_steps == []
    assert saved.answers.get("load_pattern") == "steady"  # valid answers are kept


def test_missing_required_volume_is_a_field_error(client, assessment):
    response = post_step(client, assessment, "workload", {**WORKLOAD, "monthly_queries": ""})
    assert "This question needs an answer." in response.content.decode()
    assert reload(assessment).saved_steps == []


def test_resubmitting_a_step_changes_nothing_the_second_time(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    first = reload(assessment)
    post_step(client, assessment, "workload", WORKLOAD)
    second = reload(assessment)
    assert second.revision == first.revision
    assert second.updated_at == first.updated_at


def test_a_step_beyond_the_first_unanswered_is_refused_without_writing(client, assessment):
    response = post_step(
        client, assessment, "compliance", {"regimes": ["hipaa"], "_shown": "regimes"}
    )
    assert response.status_code == 303
    assert response["Location"] == url(assessment, "step/workload/")
    saved = reload(assessment)
    assert saved.answers == {} and saved.revision == 0


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "htmx"])
def test_the_warning_shows_once_on_the_page_it_leads_to(client, assessment, headers):
    post_step(client, assessment, "compliance", {"regimes": ["hipaa"], "_shown": "regimes"})
    body = client.get(url(assessment, "step/workload/"), headers=headers).content.decode()
    assert body.count('<div class="messages" role="status" aria-live="polite">') == 1
    assert body.count("Please answer this step first: nothing was saved.") == 1


def test_getting_a_step_beyond_the_first_unanswered_redirects(client, assessment):
    response = client.get(url(assessment, "step/cost-assumptions/"))
    assert response["Location"] == url(assessment, "step/workload/")


def test_an_oversized_post_gets_a_message_not_an_error(client, assessment):
    response = post_step(client, assessment, "workload", {**WORKLOAD, "padding": "x" * 20_000})
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert reload(assessment).revision == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("monthly_queries", "9" * 150, "at most 100 characters"),
        ("monthly_queries", "-5", "Enter at least 0"),
        ("monthly_queries", "1e400", "Enter a finite number"),
        ("monthly_queries", "12,34", "misplaced thousands separators"),
        ("monthly_queries", "1.5", "whole number"),
        ("load_pattern", "stedy", "not a choice here"),
        ("has_production_data", "maybe", "Answer yes or no"),
        ("load_pattern", "x" * 500, "at most 100 characters"),
    ],
)
def test_malformed_values_are_field_errors(client, assessment, field, value, message):
    response = post_step(client, assessment, "workload", {**WORKLOAD, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert reload(assessment).saved_steps == []


def test_malformed_multi_choice_is_a_field_error(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    response = post_step(
        client, assessment, "compliance", {"regimes": ["hipaa", "nonsense"], "_shown": "regimes"}
    )
    assert response.status_code == 200
    assert "not a choice here" in response.content.decode()


def test_a_post_without_navigation_or_shown_keys_still_works(client, assessment):
    response = client.post(
        url(assessment, "step/workload/"), {"monthly_queries": "5k", "nav": "??"}
    )
    assert response.status_code == 303
    assert reload(assessment).answers["monthly_queries"] == 5000


@pytest.fixture
def forms_built(monkeypatch: pytest.MonkeyPatch) -> list[StepForm]:
    """Every step form a view builds."""
    built: list[StepForm] = []

    class CountedStepForm(StepForm):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            built.append(self)

    monkeypatch.setattr(views, "StepForm", CountedStepForm)
    return built


def test_a_step_builds_its_form_once_per_request(client, assessment, forms_built):
    post_step(client, assessment, "workload", WORKLOAD)
    compliance = url(assessment, "step/compliance/")
    requests = [  # (what the buyer does, the status it answers)
        (lambda: client.get(compliance), 200),
        (lambda: post_step(client, assessment, "compliance", COMPLIANCE, nav="back"), 303),
        (lambda: post_step(client, assessment, "compliance", {"regimes": ["nonsense"]}), 200),
        # Ticking HIPAA without JavaScript: the follow-up is asked with the same form.
        (
            lambda: post_step(
                client, assessment, "compliance", {**COMPLIANCE, "regimes": ["hipaa"]}
            ),
            200,
        ),
        (lambda: post_step(client, assessment, "compliance", COMPLIANCE), 303),
    ]
    for request, status in requests:
        forms_built.clear()
        assert request().status_code == status
        assert len(forms_built) == 1


def test_the_live_endpoint_builds_a_second_form_only_to_render_follow_ups(
    client, assessment, forms_built
):
    post_step(client, assessment, "workload", WORKLOAD)
    forms_built.clear()
    live = url(assessment, "step/compliance/live/")
    number = {"HX-Request": "true", "HX-Trigger-Name": "monthly_queries"}
    client.post(url(assessment, "step/workload/live/"), {"monthly_queries": "20M"}, headers=number)
    assert len(forms_built) == 1
    forms_built.clear()
    trigger = {"HX-Request": "true", "HX-Trigger-Name": "regimes"}
    client.post(live, {"regimes": ["hipaa"], "_shown": "regimes"}, headers=trigger)
    assert [form.is_bound for form in forms_built] == [True, False]  # parse, then render


# --- follow-ups ---------------------------------------------------------------


def test_without_javascript_a_revealed_follow_up_is_asked_before_moving_on(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    response = post_step(
        client, assessment, "compliance", {"regimes": ["hipaa"], "_shown": "regimes"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="hipaa_baa_sufficient"' in body
    assert "follow-up question" in body
    assert reload(assessment).saved_steps == ["workload"]
    response = post_step(
        client,
        assessment,
        "compliance",
        {
            "regimes": ["hipaa"],
            "hipaa_baa_sufficient": "no",
            "_shown": "regimes hipaa_baa_sufficient",
        },
    )
    assert response.status_code == 303
    assert reload(assessment).answers["hipaa_baa_sufficient"] == "no"


def test_a_follow_up_no_longer_applying_is_dropped(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    both = "regimes hipaa_baa_sufficient"
    post_step(
        client,
        assessment,
        "compliance",
        {"regimes": ["hipaa"], "hipaa_baa_sufficient": "no", "_shown": both},
    )
    post_step(
        client,
        assessment,
        "compliance",
        {"regimes": [], "hipaa_baa_sufficient": "no", "_shown": both},
    )
    answers = reload(assessment).answers
    assert answers["regimes"] == []
    assert "hipaa_baa_sufficient" not in answers


def test_live_endpoint_reveals_and_hides_the_follow_up_out_of_band(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    live = url(assessment, "step/compliance/live/")
    headers = {"HX-Request": "true", "HX-Trigger-Name": "regimes"}
    shown = client.post(live, {"regimes": ["hipaa"], "_shown": "regimes"}, headers=headers)
    body = shown.content.decode()
    assert (
        'id="q-hipaa_baa_sufficient" class="question follow-up is-shown" hx-swap-oob="innerHTML"'
        in body
    )
    assert 'name="hipaa_baa_sufficient"' in body
    assert "Follow-up question added" in body
    hidden = client.post(live, {"_shown": "regimes hipaa_baa_sufficient"}, headers=headers)
    assert 'name="hipaa_baa_sufficient"' not in hidden.content.decode()
    assert "Follow-up question removed" in hidden.content.decode()
    assert reload(assessment).revision == 1  # the live endpoint writes nothing


def test_live_endpoint_shows_the_parsed_number(client, assessment):
    headers = {"HX-Request": "true", "HX-Trigger-Name": "monthly_queries"}
    response = client.post(
        url(assessment, "step/workload/live/"), {"monthly_queries": "20M"}, headers=headers
    )
    assert "= 20,000,000" in response.content.decode()
    response = client.post(
        url(assessment, "step/workload/live/"), {"monthly_queries": "abc"}, headers=headers
    )
    assert "not a number" in response.content.decode()


# --- back, skip, review -----------------------------------------------------------


def test_back_saves_what_is_valid_and_keeps_earlier_answers(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    response = post_step(
        client, assessment, "compliance", {"regimes": ["soc2"], "_shown": "regimes"}, nav="back"
    )
    assert response["Location"] == url(assessment, "step/workload/")
    assert reload(assessment).answers["regimes"] == ["soc2"]
    body = client.get(url(assessment, "step/workload/")).content.decode()
    assert 'value="2,000,000"' in body


def test_the_advanced_step_can_be_skipped_and_is_prefilled(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    post_step(client, assessment, "compliance", COMPLIANCE)
    body = client.get(url(assessment, "step/cost-assumptions/")).content.decode()
    assert "Advanced" in body and "Skip this step" in body
    assert "selected" in body  # the catalog's default API model
    response = post_step(client, assessment, "cost-assumptions", {}, nav="skip")
    assert response["Location"] == url(assessment, "review/")
    assert "api_model" not in reload(assessment).answers


def test_prefilled_defaults_left_alone_are_not_stored(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    post_step(client, assessment, "compliance", COMPLIANCE)
    page = client.get(url(assessment, "step/cost-assumptions/")).context
    initial = {key: page["form"][key].value() for key in ("api_model", "engineer_monthly_cost_usd")}
    post_step(client, assessment, "cost-assumptions", initial)
    saved = reload(assessment)
    assert "api_model" not in saved.answers and "cost-assumptions" in saved.saved_steps


def test_review_lists_every_answer_with_edit_links(client, assessment):
    complete_all_steps(client, assessment)
    body = client.get(url(assessment, "review/")).content.decode()
    assert "How many queries per month?" in body and "2,000,000 queries" in body
    assert "Steady" in body
    assert f'href="/a/{assessment.token}/step/compliance/#q-regimes"' in body
    assert "default" in body
    assert "Step 4 of 4" in body


def test_review_before_all_steps_redirects_to_the_first_unanswered(client, assessment):
    response = client.get(url(assessment, "review/"))
    assert response["Location"] == url(assessment, "step/workload/")


# --- result -------------------------------------------------------------------


def complete(client: Client, assessment: Assessment) -> Assessment:
    complete_all_steps(client, assessment)
    response = client.post(url(assessment, "review/"))
    assert response.status_code == 303
    assert response["Location"] == url(assessment, "result/")
    return reload(assessment)


def test_completing_stores_the_result_snapshot(client, assessment):
    done = complete(client, assessment)
    assert done.status == AssessmentStatus.COMPLETED
    assert done.result["recommendation"] == "api"
    assert done.result["ruleset"] == {"name": "wizard-test", "version": "1"}
    assert done.result["snapshot_version"] == 2
    assert "page" not in done.result  # no chart (nor any markup) stored in a result
    assert "<svg" not in json.dumps(done.result)


def test_completing_twice_changes_nothing_the_second_time(client, assessment):
    done = complete(client, assessment)
    client.post(url(assessment, "review/"))
    assert reload(assessment).revision == done.revision


def test_htmx_completion_loads_the_result_as_a_full_page(client, assessment):
    complete_all_steps(client, assessment)
    response = client.post(url(assessment, "review/"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == url(assessment, "result/")


def test_result_page_explains_the_recommendation(client, assessment):
    complete(client, assessment)
    body = client.get(url(assessment, "result/")).content.decode()
    assert 'data-recommendation="api"' in body
    assert "Use a commercial LLM API." in body
    assert "Confidence:" in body
    assert "Below 10M queries a month the API math almost always wins." in body
    assert "Source: Brief, volume paragraph" in body
    assert 'role="img"' in body  # the chart
    assert "Per 1,000 queries" in body and "Breaks even with the API" in body
    assert "What would change this answer" in body
    assert "queries a month" in body
    assert "Assumptions used" in body
    assert f'href="/a/{assessment.token}/review/"' in body


def test_result_lists_answers_that_flip_the_recommendation(client, make_completed):
    done = make_completed()
    flips = [item for item in done.result["what_would_change"] if item["kind"] == "answer"]
    assert flips, "some single answer changes the recommendation"
    body = client.get(url(done, "result/")).content.decode()
    for flip in flips:
        assert set(flip) == {"kind", "key", "value", "recommendation", "text"}
        assert html.escape(flip["text"]) in body


def test_excluded_options_and_all_excluded_render(client, assessment):
    post_step(client, assessment, "workload", WORKLOAD)
    post_step(
        client,
        assessment,
        "compliance",
        {
            "regimes": ["hipaa"],
            "hipaa_baa_sufficient": "no",
            "_shown": "regimes hipaa_baa_sufficient",
        },
    )
    post_step(client, assessment, "cost-assumptions", {}, nav="skip")
    client.post(url(assessment, "review/"))
    body = client.get(url(assessment, "result/")).content.decode()
    assert "Ruled out" in body
    assert "HIPAA without a sufficient BAA" in body


def test_result_before_completion_redirects(client, assessment):
    assert client.get(url(assessment, "result/"))["Location"] == url(assessment, "step/workload/")


def test_editing_a_completed_assessment_re_scores(client, assessment):
    complete(client, assessment)
    post_step(client, assessment, "workload", {**WORKLOAD, "monthly_queries": "3M"}, nav="review")
    edited = reload(assessment)
    assert edited.status == AssessmentStatus.IN_PROGRESS
    assert client.get(url(assessment, "result/"))["Location"] == url(assessment, "review/")
    client.post(url(assessment, "review/"))
    rescored = reload(assessment)
    assert rescored.status == AssessmentStatus.COMPLETED
    assert rescored.result["answers"]["monthly_queries"] == 3_000_000


def test_the_cost_step_offers_the_planner_not_a_configuration_the_result_is_not_costed_on(
    client, brief_ruleset
):
    """Left as shown, the open models are the planner's cheapest: the step shows that choice."""
    assessment = assessment_start(ruleset=brief_ruleset)
    assessment.saved_steps = [step.slug for step in build_steps(question_specs(brief_ruleset))]
    assessment.save()
    body = client.get(url(assessment, "step/cost-assumptions/")).content.decode()
    for key in ("self_host_model", "small_model", "gpu"):
        select = re.search(rf'<select name="{key}".*?</select>', body, re.S)
        assert select is not None, key
        selected = re.findall(r'<option value="([^"]*)" selected>([^<]*)', select.group(0))
        assert selected == [("", PLANNER_CHOICE)], key
    # Submitted as shown, nothing is stored: the planner keeps choosing.
    post_step(client, assessment, "cost-assumptions", {"self_host_model": "", "small_model": ""})
    assert not {"self_host_model", "small_model"} & set(reload(assessment).answers)
