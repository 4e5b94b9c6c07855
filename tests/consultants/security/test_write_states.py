"""Every POST route in the URLconf, against every assessment state and every role.

Issue 30, finding 1: the usage-import endpoints wrote to a locked assessment.
The state is now checked in the services (``advisor/assessments/write_guard.py``);
this test holds every route that takes a POST to it. The routes are found
in the URLconf (a route answers a POST with something other than 405), so a
new POST route without a row in :data:`CASES` or :data:`NO_ASSESSMENT`
fails :func:`test_every_post_route_has_a_row`.

The expectations are written out here, not read from the guard's table:

- the buyer's writes (a step, usage upload/accept/discard, the review's
  title and completion) are allowed until the consultant locks the
  assessment, and refused once it is locked;
- the consultant's notes and "unlock" are allowed in every state; "lock"
  and re-scoring need a delivered (completed) result; asking for a new
  version needs a locked assessment;
- an assessment on an archived ruleset (every one started before the last
  publish) is finished on that version: archiving does not refuse a write;
- a role without access (another consultant: 404; anonymous or staff in
  the workspace: sign-in page or 403) changes nothing in any state.

A refused write changes nothing (every column a write touches, and the
kept files and past results) and answers with a redirect to a page that
says why (the JSON API: a 409 problem whose detail says why), never a 500.
The API's writes (``/api/v1/``) are here too, PUT as well as POST.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from advisor.assessments import usage as usage_import
from advisor.assessments.models import (
    Assessment,
    AssessmentStatus,
    PastResult,
    UsageExportFile,
)
from advisor.assessments.results import result_snapshot
from advisor.assessments.services import RescoreNotPossible, assessment_rescore_preview
from advisor.assessments.steps import build_steps
from advisor.rules.models import Ruleset
from advisor.rules.services import question_specs
from advisor.usage import read_usage
from tests.conftest import HIGH_VOLUME_ANSWERS

from ..conftest import client_for

DATA = Path(__file__).resolve().parents[2] / "usage" / "data"
ROLES = ("anonymous", "owner", "other_consultant", "staff")
STATES = ("open", "open_on_archived_ruleset", "changed", "delivered", "locked")
WORKLOAD = "workload"

# Outcomes.
WRITTEN = "written"  # the row changed as the route intends
REFUSED = "refused"  # nothing changed; a redirect to a page with the reason
UNCHANGED = "unchanged"  # allowed, and there was nothing to change (or the route never writes)
NO_ACCESS = "no access"  # 404, 403 or the sign-in page: nothing changed

BUYER_STATES = {
    "open": WRITTEN,
    "open_on_archived_ruleset": WRITTEN,
    "changed": WRITTEN,
    "delivered": WRITTEN,
    "locked": REFUSED,
}
EVERY_STATE_WRITES = dict.fromkeys(STATES, WRITTEN)
DELIVERED_ONLY = {
    "open": REFUSED,
    "open_on_archived_ruleset": REFUSED,
    "changed": REFUSED,
    "delivered": WRITTEN,
    "locked": WRITTEN,
}
BUYER_ROLES = {"anonymous": True, "owner": True, "other_consultant": False, "staff": True}
WORKSPACE_ROLES = {"anonymous": False, "owner": True, "other_consultant": False, "staff": False}
# The API's assessments are the workspace's: anonymous 401, staff 403, another consultant 404.
API_ROLES = WORKSPACE_ROLES


@dataclass(frozen=True)
class Case:
    route: str
    by_state: dict[str, str]
    roles: dict[str, bool]
    data: Callable[[Assessment], dict[str, Any]] = field(default=lambda assessment: {})
    step: bool = False  # the route takes the workload step's slug
    method: str = "POST"
    json: bool = False  # the body as JSON (the API), not a form


def _rescore_data(assessment: Assessment) -> dict[str, Any]:
    try:
        return {"fingerprint": assessment_rescore_preview(assessment=assessment).fingerprint}
    except RescoreNotPossible:
        return {"fingerprint": "0" * 64}


SCENARIO_ADD_DATA = {
    "scenario-name": "Volume x3",
    "scenario-key_1": "monthly_queries",
    "scenario-value_1": "x3",
}

CASES: dict[str, Case] = {
    "step": Case(
        "assessments:step",
        BUYER_STATES,
        BUYER_ROLES,
        lambda a: {"monthly_queries": "1234567", "load_pattern": "steady", "nav": "next"},
        step=True,
    ),
    "step_live": Case(
        "assessments:step_live",
        dict.fromkeys(STATES, UNCHANGED),  # parses a draft, never writes
        BUYER_ROLES,
        lambda a: {"monthly_queries": "1234567"},
        step=True,
    ),
    "usage upload": Case(
        "assessments:usage",
        BUYER_STATES,
        BUYER_ROLES,
        lambda a: {
            "export": SimpleUploadedFile("usage.csv", (DATA / "usage.csv").read_bytes()),
            "keep": "on",
        },
        step=True,
    ),
    "usage accept": Case(
        "assessments:usage",
        BUYER_STATES,
        BUYER_ROLES,
        lambda a: {"action": "accept", "figure": ["monthly_queries"]},
        step=True,
    ),
    "usage discard": Case(
        "assessments:usage", BUYER_STATES, BUYER_ROLES, lambda a: {"action": "discard"}, step=True
    ),
    "review": Case(
        "assessments:review", BUYER_STATES, BUYER_ROLES, lambda a: {"report_title": "New title"}
    ),
    "request new version": Case(
        "assessments:request_new_version",
        {**dict.fromkeys(STATES, REFUSED), "locked": WRITTEN},
        BUYER_ROLES,
    ),
    "notes": Case(
        "consultants:assessment_notes",
        EVERY_STATE_WRITES,
        WORKSPACE_ROLES,
        lambda a: {"notes": "Called them on Monday."},
    ),
    "rescore": Case(
        "consultants:assessment_rescore", DELIVERED_ONLY, WORKSPACE_ROLES, _rescore_data
    ),
    "lock": Case(
        "consultants:assessment_lock",
        {**DELIVERED_ONLY, "locked": UNCHANGED},
        WORKSPACE_ROLES,
        lambda a: {"action": "lock"},
    ),
    "unlock": Case(
        "consultants:assessment_lock",
        {**dict.fromkeys(STATES, UNCHANGED), "locked": WRITTEN},
        WORKSPACE_ROLES,
        lambda a: {"action": "unlock"},
    ),
    # Scenario variants compare with the delivered result; removing one needs none.
    "scenario add": Case(
        "assessments:scenario_add",
        {**dict.fromkeys(STATES, REFUSED), "delivered": WRITTEN},
        BUYER_ROLES,
        lambda a: SCENARIO_ADD_DATA,
    ),
    "scenario remove": Case(
        "assessments:scenario_remove",
        {**dict.fromkeys(STATES, UNCHANGED), "locked": REFUSED},  # variant 0: none to remove
        BUYER_ROLES,
        lambda a: {"variant": "0"},
    ),
    "consultant scenario add": Case(
        "consultants:assessment_scenario_add",
        {**dict.fromkeys(STATES, REFUSED), "delivered": WRITTEN},
        WORKSPACE_ROLES,
        lambda a: SCENARIO_ADD_DATA,
    ),
    "consultant scenario remove": Case(
        "consultants:assessment_scenario_remove",
        {**dict.fromkeys(STATES, UNCHANGED), "locked": REFUSED},
        WORKSPACE_ROLES,
        lambda a: {"variant": "0"},
    ),
}
CASES.update(
    {
        "api answers": Case(
            "api:assessment_answers",
            BUYER_STATES,
            API_ROLES,
            lambda a: {"answers": {**HIGH_VOLUME_ANSWERS, "monthly_queries": 1234567}},
            method="PUT",
            json=True,
        ),
        "api usage": Case(
            "api:assessment_usage",
            BUYER_STATES,
            API_ROLES,
            lambda a: {
                "export": SimpleUploadedFile("usage.csv", (DATA / "usage.csv").read_bytes())
            },
        ),
        "api scenario": Case(
            "api:assessment_scenarios",
            {**dict.fromkeys(STATES, REFUSED), "delivered": WRITTEN},
            API_ROLES,
            lambda a: {"name": "Volume x3", "changes": {"monthly_queries": "x3"}},
            json=True,
        ),
        "api rescore": Case("api:assessment_rescore", DELIVERED_ONLY, API_ROLES, json=True),
    }
)
# POST routes that write no existing assessment (sign-in and out, starting a new
# one, the consultant's branding and API tokens; the API's scoring, usage
# reading and new assessments): no state to check.
NO_ASSESSMENT = {
    "login",
    "logout",
    "assessments:start",
    "consultants:assessment_new",
    "consultants:profile",
    "consultants:api_tokens",
    "consultants:api_token_revoke",
    "api:evaluate",
    "api:usage_derive",
    # One path: the list (GET) and a new assessment (POST).
    "api:assessments",
    "api:assessment_create",
}
# django-ninja's own views (the schema, the docs page, the API's prefix) answer
# any method as they answer a GET: they read, and write nothing.
NINJA_READ_VIEWS = {"api:api-root", "api:openapi-json", "api:openapi-view"}
# Django admin checks its own permissions (staff only), and shows assessments
# read-only but for the owner and client name (advisor/assessments/admin.py).
ADMIN_NAMESPACE = "admin"

REFUSAL_WORDS = {
    "locked": "locked this assessment, so nothing was changed",
    "not locked": "not locked, so there is no new version to ask for",
    "not completed": "Only a completed assessment can be",
}


@cache
def _snapshot(ruleset_key: tuple[str, str]) -> dict[str, Any]:
    ruleset = Ruleset.objects.get(name=ruleset_key[0], version=ruleset_key[1])
    return result_snapshot(ruleset=ruleset, answers=dict(HIGH_VOLUME_ANSWERS))


def _make(state: str, owner: User, current: Ruleset) -> Assessment:
    ruleset = current
    if state == "open_on_archived_ruleset":
        ruleset = Ruleset.objects.filter(name=current.name, status="archived").latest("pk")
    answers = dict(HIGH_VOLUME_ANSWERS)
    assessment = Assessment.objects.create(
        ruleset=ruleset,
        answers=answers,
        saved_steps=[step.slug for step in build_steps(question_specs(ruleset))],
        owner=owner,
        client_name="Acme Health",
    )
    with (DATA / "openai_completions.json").open("rb") as file:
        workload = read_usage(file)
    usage_import.assessment_derive_usage(
        assessment=assessment, workload=workload, filename="openai_completions.json"
    )
    fields: dict[str, Any] = {}
    if state in ("changed", "delivered", "locked"):
        fields = {
            "result": _snapshot((ruleset.name, ruleset.version)),
            "completed_at": timezone.now(),
            "status": AssessmentStatus.COMPLETED,
        }
    if state == "changed":
        fields["status"] = AssessmentStatus.IN_PROGRESS
    if state == "locked":
        fields.update(locked_at=timezone.now(), locked_by=owner)
    Assessment.objects.filter(pk=assessment.pk).update(**fields)
    return Assessment.objects.get(pk=assessment.pk)


def _row(assessment: Assessment) -> dict[str, Any]:
    fresh = Assessment.objects.get(pk=assessment.pk)
    return {
        "answers": fresh.answers,
        "saved_steps": fresh.saved_steps,
        "status": fresh.status,
        "result": fresh.result,
        "usage_import": fresh.usage_import,
        "report_title": fresh.report_title,
        "notes": fresh.notes,
        "revision": fresh.revision,
        "ruleset": fresh.ruleset_id,
        "locked_at": fresh.locked_at,
        "new_version_requested_at": fresh.new_version_requested_at,
        "kept_files": UsageExportFile.objects.filter(assessment=fresh).count(),
        "past_results": PastResult.objects.filter(assessment=fresh).count(),
    }


def _url(case: Case, assessment: Assessment) -> str:
    args = [assessment.token, WORKLOAD] if case.step else [assessment.token]
    return reverse(case.route, args=args)


@pytest.fixture
def users(consultant_a: User, consultant_b: User, staff_user: User) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "owner": consultant_a,
        "other_consultant": consultant_b,
        "staff": staff_user,
    }


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("case_name", sorted(CASES))
def test_post_route_by_state_and_role(case_name, state, users, brief_ruleset):
    case = CASES[case_name]
    for role in ROLES:
        assessment = _make(state, users["owner"], brief_ruleset)  # type: ignore[arg-type]
        before = _row(assessment)
        client = client_for(users[role])
        response = _send(client, case, assessment)
        after = _row(assessment)
        where = f"{case_name} / {state} / {role}"
        assert response.status_code < 500, where
        expected = case.by_state[state] if case.roles[role] else NO_ACCESS
        if expected == NO_ACCESS:
            assert after == before, where
            assert response.status_code in (302, 401, 403, 404), where
            continue
        if expected == WRITTEN:
            assert after != before, where
            continue
        assert after == before, where
        if expected == REFUSED and case.route.startswith("api:"):
            assert response.status_code == 409, where
            detail = response.json()["detail"]
            assert any(words in detail for words in REFUSAL_WORDS.values()), where
        elif expected == REFUSED:
            assert response.status_code in (302, 303), where
            page = client.get(response["Location"], follow=True).content.decode()
            assert any(words in page for words in REFUSAL_WORDS.values()), where


def _send(client: Any, case: Case, assessment: Assessment) -> Any:
    data = case.data(assessment)
    if case.json:
        return client.generic(
            case.method, _url(case, assessment), json.dumps(data), "application/json"
        )
    return client.post(_url(case, assessment), data)


def _post_routes() -> set[str]:
    return {name for name, _pattern in _patterns() if not name.startswith(f"{ADMIN_NAMESPACE}:")}


def _patterns(patterns: list[Any] | None = None, namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            found.append((f"{namespace}{pattern.name or f'?{pattern.pattern}'}", str(pattern)))
    return found


def test_every_post_route_has_a_row(users, brief_ruleset):
    """Each named route, posted (and put) to by the owner: anything but 405 takes the write."""
    takes_post = set()
    for name in _post_routes():
        assessment = _make("delivered", users["owner"], brief_ruleset)  # type: ignore[arg-type]
        pattern = next(p for n, p in _patterns() if n == name)
        args = []
        if re.search(r"<(?:[a-z]+:)?token>", pattern):  # not an API token's id
            args.append(assessment.token)
        if "<slug:slug>" in pattern:
            args.append(WORKLOAD)
        args += [0 for _ in re.findall(r"<int:[a-z_]+>", pattern)]  # a logo's id, a variant's
        client = client_for(users["owner"])
        if client.post(reverse(name, args=args)).status_code != 405:
            takes_post.add(name)
        if client.put(reverse(name, args=args)).status_code != 405:
            takes_post.add(name)
    for name in NINJA_READ_VIEWS:
        client = client_for(users["owner"])
        assert client.post(reverse(name)).status_code == client.get(reverse(name)).status_code
    takes_post -= NINJA_READ_VIEWS
    known = {case.route for case in CASES.values()} | NO_ASSESSMENT
    assert takes_post - known == set(), "POST routes this test does not know"
    assert known - takes_post == set(), "rows for routes that take no POST"
