"""The consultants' endpoints: every endpoint for every role, and what each one does."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from advisor.api.tokens import token_create, token_revoke
from advisor.assessments.models import Assessment, AssessmentStatus, PastResult, ScenarioVariant
from advisor.assessments.write_guard import LOCKED_MESSAGE
from advisor.rules.services import parse_answers_for
from tests.conftest import HIGH_VOLUME_ANSWERS

from .conftest import API, TokenClient, session_client

USAGE_CSV = Path(__file__).resolve().parents[1] / "usage" / "data" / "usage.csv"
SCENARIO = {"name": "Volume x3", "changes": {"monthly_queries": "x3"}}

# (method, path under the assessment or "", body, the owner's status)
ENDPOINTS = {
    "list": ("get", "/assessments", None, 200),
    "create": ("post", "/assessments", {"client_name": "Globex"}, 201),
    "read": ("get", "/assessments/{token}", None, 200),
    "result": ("get", "/assessments/{token}/result", None, 200),
    "answers": ("put", "/assessments/{token}/answers", {"answers": HIGH_VOLUME_ANSWERS}, 200),
    "scenario": ("post", "/assessments/{token}/scenarios", SCENARIO, 201),
    "rescore": ("post", "/assessments/{token}/rescore", {}, 200),
    "usage": ("post", "/assessments/{token}/usage", "multipart", 200),
    "report": ("get", "/assessments/{token}/report.pdf", None, 200),
}


def _call(client, endpoint, assessment, **extra):
    method, path, body, _status = ENDPOINTS[endpoint]
    url = API + path.format(token=assessment.token)
    if method == "get":
        return client.get(url, **extra)
    if body == "multipart":
        with USAGE_CSV.open("rb") as file:
            return client.post(url, {"export": file}, **extra)
    return getattr(client, method)(url, body or {}, content_type="application/json", **extra)


@pytest.fixture
def clients(api_a, api_b, consultant_a, staff_user):
    revoked_secret = token_create(user=consultant_a, name="old laptop")
    token_revoke(user=consultant_a, token_id=revoked_secret[0].pk)
    return {
        "anonymous": session_client(None),
        "owner": api_a,
        "owner_session": session_client(consultant_a),
        "other_consultant": api_b,
        "revoked_token": TokenClient(revoked_secret[1]),
        "wrong_token": TokenClient("adv_not-a-token"),
        "staff": session_client(staff_user),
    }


EXPECTED_REFUSAL = {
    "anonymous": 401,
    "revoked_token": 401,
    "wrong_token": 401,
    "staff": 403,
}


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_endpoint_for_every_role(endpoint, clients, completed_of_a):
    owner_status = ENDPOINTS[endpoint][3]
    for role, client in clients.items():
        before = Assessment.objects.get(pk=completed_of_a.pk).revision
        response = _call(client, endpoint, completed_of_a)
        where = f"{endpoint} as {role}"
        if role in ("owner", "owner_session"):
            assert response.status_code == owner_status, (where, response.content[:300])
            continue
        lists_own = endpoint in ("list", "create") and role == "other_consultant"
        expected = EXPECTED_REFUSAL.get(role, 404)
        if lists_own:
            expected = owner_status  # their own list, their own new assessment
        assert response.status_code == expected, (where, response.content[:300])
        assert response["Content-Type"].startswith("application/")
        if expected >= 400:
            assert response["Content-Type"] == "application/problem+json", where
            assert Assessment.objects.get(pk=completed_of_a.pk).revision == before, where
        if expected == 401:
            assert response["WWW-Authenticate"].startswith("Bearer"), where
        if role == "other_consultant" and endpoint == "list":
            assert response.json()["count"] == 0  # A's assessment is not in B's list


def test_another_consultants_assessment_is_the_same_404_as_a_missing_one(api_b, completed_of_a):
    theirs = api_b.get(f"{API}/assessments/{completed_of_a.token}")
    missing = api_b.get(f"{API}/assessments/{'x' * 32}")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_create_with_answers_scores_them_and_returns_the_buyers_link(api_a, brief_ruleset):
    response = api_a.post(
        f"{API}/assessments",
        {"client_name": "Initech", "answers": HIGH_VOLUME_ANSWERS},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    row = Assessment.objects.get(token=body["token"])
    assert (row.client_name, row.status, body["state"]) == ("Initech", "completed", "delivered")
    assert body["link"] == f"http://testserver/a/{row.token}/"
    assert body["result"]["recommendation"] == row.result["recommendation"]
    assert body["answers"]["monthly_queries"] == 300_000_000
    # The buyer's link opens the assessment.
    assert session_client(None).get(body["link"]).status_code == 303


def test_create_without_answers_is_open_with_no_result(api_a, brief_ruleset):
    body = api_a.post(
        f"{API}/assessments", {"client_name": "Umbrella"}, content_type="application/json"
    ).json()
    assert (body["status"], body["state"], body["result"], body["answers"]) == (
        "in_progress",
        "open",
        None,
        {},
    )
    result = api_a.get(f"{API}/assessments/{body['token']}/result")
    assert result.status_code == 404
    assert "no result yet" in result.json()["detail"]


def test_create_with_bad_answers_creates_nothing(api_a, brief_ruleset):
    response = api_a.post(
        f"{API}/assessments",
        {"client_name": "Bad", "answers": {"monthly_queries": -5}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["monthly_queries"]
    assert not Assessment.objects.filter(client_name="Bad").exists()


def test_create_refuses_an_overlong_client_name_on_the_field(api_a, brief_ruleset):
    response = api_a.post(
        f"{API}/assessments", {"client_name": "x" * 500}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "client_name"


def test_the_list_is_paginated(api_a, make_completed, consultant_a, consultant_b):
    for name in ("One", "Two", "Three"):
        make_completed(owner=consultant_a, client_name=name)
    make_completed(owner=consultant_b, client_name="Not mine")
    first = api_a.get(f"{API}/assessments?page_size=2").json()
    assert (first["count"], first["pages"], len(first["items"])) == (3, 2, 2)
    assert first["previous"] is None
    second = api_a.get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None
    names = {item["client_name"] for item in first["items"] + second["items"]}
    assert names == {"One", "Two", "Three"}
    assert first["items"][0]["recommendation"] in ("api", "open_api", "self_host", "hybrid")
    too_big = api_a.get(f"{API}/assessments?page_size=1000")
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "query.page_size"


def test_read_one_gives_answers_status_and_the_stored_result(api_a, completed_of_a):
    body = api_a.get(f"{API}/assessments/{completed_of_a.token}").json()
    assert body["answers"] == completed_of_a.answers
    assert body["status"] == "completed"
    result = api_a.get(f"{API}/assessments/{completed_of_a.token}/result").json()
    assert body["result"] == result
    assert result["recommendation"] == completed_of_a.result["recommendation"]
    assert result["computed_at"] == completed_of_a.result["computed_at"]


def test_the_result_has_an_etag_that_changes_with_the_result(api_a, completed_of_a):
    url = f"{API}/assessments/{completed_of_a.token}/result"
    first = api_a.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "private, no-cache"
    again = api_a.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    changed = {**HIGH_VOLUME_ANSWERS, "monthly_queries": 2_000_000}
    api_a.put(
        f"{API}/assessments/{completed_of_a.token}/answers",
        {"answers": changed},
        content_type="application/json",
    )
    after = api_a.get(url, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    assert after.json()["answers"]["monthly_queries"] == 2_000_000


def test_updating_answers_rescores_and_keeps_the_old_result(api_a, completed_of_a):
    old = completed_of_a.result
    response = api_a.put(
        f"{API}/assessments/{completed_of_a.token}/answers",
        {"answers": {"monthly_queries": 500_000}},
        content_type="application/json",
    )
    assert response.status_code == 200
    row = Assessment.objects.get(pk=completed_of_a.pk)
    assert row.answers == {"monthly_queries": 500_000}
    assert row.status == AssessmentStatus.COMPLETED and row.result != old
    assert PastResult.objects.filter(assessment=row).count() == 1
    assert response.json()["result"]["answers"]["monthly_queries"] == 500_000


def test_bad_answers_in_an_update_are_field_errors_and_change_nothing(api_a, completed_of_a):
    bad = {"monthly_queries": "lots", "load_pattern": "sometimes"}
    response = api_a.put(
        f"{API}/assessments/{completed_of_a.token}/answers",
        {"answers": bad},
        content_type="application/json",
    )
    assert response.status_code == 422
    wizard = parse_answers_for(completed_of_a.ruleset, bad, partial=True).errors
    assert {(e["field"], e["message"]) for e in response.json()["errors"]} == {
        (error.key, error.message) for error in wizard
    }
    row = Assessment.objects.get(pk=completed_of_a.pk)
    assert (row.answers, row.revision) == (completed_of_a.answers, completed_of_a.revision)


def test_a_locked_assessment_refuses_new_answers_with_409(api_a, completed_of_a, consultant_a):
    Assessment.objects.filter(pk=completed_of_a.pk).update(
        locked_at=timezone.now(), locked_by=consultant_a
    )
    response = api_a.put(
        f"{API}/assessments/{completed_of_a.token}/answers",
        {"answers": {"monthly_queries": 1}},
        content_type="application/json",
    )
    assert response.status_code == 409
    problem = response.json()
    assert (problem["detail"], problem["state"]) == (LOCKED_MESSAGE, "locked")
    assert Assessment.objects.get(pk=completed_of_a.pk).answers == completed_of_a.answers


def test_attaching_a_usage_export_fills_the_measured_answers(api_a, completed_of_a):
    with USAGE_CSV.open("rb") as file:
        response = api_a.post(f"{API}/assessments/{completed_of_a.token}/usage", {"export": file})
    assert response.status_code == 200, response.content
    row = Assessment.objects.get(pk=completed_of_a.pk)
    figures = row.usage_import["figures"]
    assert row.answers["monthly_queries"] == figures["monthly_queries"]["value"]
    assert row.answers["monthly_queries"] != HIGH_VOLUME_ANSWERS["monthly_queries"]
    assert row.usage_import["accepted"]
    assert response.json()["answers"]["monthly_queries"] == row.answers["monthly_queries"]


def test_a_bad_usage_export_is_422_naming_the_file(api_a, completed_of_a, tmp_path):
    bad = tmp_path / "usage.csv"
    bad.write_text("start,requests\nyesterday,many\n")
    with bad.open("rb") as file:
        response = api_a.post(f"{API}/assessments/{completed_of_a.token}/usage", {"export": file})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("usage.csv: ")
    assert Assessment.objects.get(pk=completed_of_a.pk).usage_import is None


def test_a_scenario_is_scored_beside_the_result(api_a, completed_of_a):
    response = _call(api_a, "scenario", completed_of_a)
    assert response.status_code == 201
    body = response.json()
    variant = ScenarioVariant.objects.get(pk=body["id"])
    assert variant.overrides == {"monthly_queries": 900_000_000}
    assert body["outcome"]["recommendation"] == variant.outcome["recommendation"]
    same = api_a.post(
        f"{API}/assessments/{completed_of_a.token}/scenarios",
        {"name": "Same", "changes": {"monthly_queries": 300_000_000}},
        content_type="application/json",
    )
    assert same.status_code == 422
    assert same.json()["errors"][0]["field"] == "monthly_queries"


def test_a_scenario_needs_a_delivered_result(api_a, brief_ruleset):
    token = api_a.post(
        f"{API}/assessments", {"client_name": "Open"}, content_type="application/json"
    ).json()["token"]
    response = api_a.post(
        f"{API}/assessments/{token}/scenarios", SCENARIO, content_type="application/json"
    )
    assert response.status_code == 409
    assert "Only a completed assessment" in response.json()["detail"]


def test_rescore_keeps_the_old_result_in_the_history(api_a, completed_of_a):
    response = _call(api_a, "rescore", completed_of_a)
    assert response.status_code == 200
    body = response.json()
    assert body["recommendation_changed"] is False
    assert PastResult.objects.filter(assessment=completed_of_a).count() == 1
    assert body["assessment"]["result"]["recommendation"] == completed_of_a.result["recommendation"]


def test_the_pdf_report_downloads_with_an_etag(api_a, completed_of_a, clients):
    url = f"{API}/assessments/{completed_of_a.token}/report.pdf"
    response = api_a.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert api_a.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    for role, status in (("other_consultant", 404), ("anonymous", 401), ("staff", 403)):
        assert clients[role].get(url).status_code == status, role


def test_session_calls_need_csrf_and_token_calls_do_not(consultant_a, completed_of_a, api_a):
    browser = session_client(consultant_a, enforce_csrf_checks=True)
    url = f"{API}/assessments/{completed_of_a.token}/answers"
    body = {"answers": {"monthly_queries": 700_000}}
    refused = browser.put(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert Assessment.objects.get(pk=completed_of_a.pk).answers == completed_of_a.answers
    # api_a enforces CSRF checks too, and sends no cookie and no CSRF token.
    assert api_a.put(url, body, content_type="application/json").status_code == 200
