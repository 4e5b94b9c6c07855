"""Every URL in the URLconf, as anonymous, consultant A, consultant B and staff.

The table is checked against the URLconf itself: a new URL without a row
here fails :func:`test_every_url_has_a_row`. Assessments belong to A.

Who sees what (README, "Access control"):

- buyer pages (wizard, result, PDF): anyone with the link, except a
  signed-in non-staff user who does not own the assessment (404);
- the consultants' workspace: signed-in consultants only (anonymous: the
  sign-in page; staff and other users: 403), and within it only their own
  assessments (404 for anyone else's);
- Django admin (its own permission checks): staff only;
- the JSON API (``/api/v1/``): scoring, questions, usage and the docs are
  anonymous; the assessments are the consultants' own, by API token or
  session (anonymous: 401; staff and other users: 403; another
  consultant's assessment: 404).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from advisor.assessments.models import Assessment

from ..conftest import client_for

ROLES = ("anonymous", "consultant_a", "consultant_b", "staff")


USAGE_CSV = Path(__file__).resolve().parents[2] / "usage" / "data" / "usage.csv"


@dataclass(frozen=True)
class Row:
    method: str
    expected: tuple[int, int, int, int]  # anonymous, A, B, staff
    args: str = ""  # "token", "token+step", "profile" (an id: 0)
    data: dict[str, Any] | Callable[[], dict[str, Any]] | None = None
    json: bool = False  # the body as JSON (the API), not a form


WORKSPACE = (302, 200, 200, 403)
OWN_ONLY = (302, 200, 404, 403)
BUYER_PAGE = (200, 200, 404, 200)
EVERYONE = (200, 200, 200, 200)
API_OWN_ONLY = (401, 200, 404, 403)

TABLE: dict[str, Row] = {
    "core:landing": Row("GET", (200, 200, 200, 200)),
    "core:healthz": Row("GET", (200, 200, 200, 200)),
    "login": Row("GET", (200, 302, 302, 302)),  # signed in already: on to the dashboard
    "logout": Row("POST", (302, 302, 302, 302)),
    "assessments:start": Row("POST", (303, 303, 303, 303)),
    "assessments:resume": Row("GET", (303, 303, 404, 303), "token"),
    "assessments:step": Row("GET", BUYER_PAGE, "token+step"),
    "assessments:step_live": Row("POST", BUYER_PAGE, "token+step"),
    # No file posted: the workload step again, with the error on the file field.
    "assessments:usage": Row("POST", BUYER_PAGE, "token+step"),
    "assessments:review": Row("GET", BUYER_PAGE, "token"),
    "assessments:result": Row("GET", BUYER_PAGE, "token"),
    "assessments:cumulative_chart": Row("GET", BUYER_PAGE, "token"),
    "assessments:request_new_version": Row("POST", (303, 303, 404, 303), "token"),
    # No data posted: the result page with the form's errors (200); removing nothing: back (303).
    "assessments:scenario_add": Row("POST", BUYER_PAGE, "token"),
    "assessments:scenario_remove": Row("POST", (303, 303, 404, 303), "token"),
    "reports:report_pdf": Row("GET", BUYER_PAGE, "token"),
    "reports:summary_pdf": Row("GET", BUYER_PAGE, "token"),
    # A consultant's logo is public (their clients' pages show it); none here: 404.
    "consultants:logo": Row("GET", (404, 404, 404, 404), "profile"),
    "consultants:dashboard": Row("GET", WORKSPACE),
    "consultants:export_csv": Row("GET", WORKSPACE),
    "consultants:profile": Row("GET", WORKSPACE),
    "consultants:assessment_new": Row("POST", (302, 302, 302, 403), data={"client_name": "New"}),
    "consultants:assessment": Row("GET", OWN_ONLY, "token"),
    "consultants:assessment_notes": Row("POST", (302, 302, 404, 403), "token", {"notes": "n"}),
    "consultants:assessment_rescore": Row("GET", OWN_ONLY, "token"),
    "consultants:assessment_lock": Row("POST", (302, 302, 404, 403), "token", {"action": "x"}),
    "consultants:assessment_scenario_add": Row("POST", OWN_ONLY, "token"),
    "consultants:assessment_scenario_remove": Row("POST", (302, 302, 404, 403), "token"),
    "consultants:api_tokens": Row("GET", WORKSPACE),
    "consultants:api_token_revoke": Row("POST", (302, 302, 302, 403), "profile"),
    # The JSON API: ninja's root only names the prefix (404); the docs and the schema are public.
    "api:api-root": Row("GET", (404, 404, 404, 404)),
    "api:openapi-json": Row("GET", EVERYONE),
    "api:openapi-view": Row("GET", EVERYONE),
    "api:questions": Row("GET", EVERYONE),
    # No answers (monthly_queries is required), no file: 422 for anyone.
    "api:evaluate": Row("POST", (422, 422, 422, 422), data={}, json=True),
    "api:usage_derive": Row("POST", (422, 422, 422, 422)),
    "api:assessments": Row("GET", (401, 200, 200, 403)),
    "api:assessment_create": Row(
        "POST", (401, 201, 201, 403), data={"client_name": "N"}, json=True
    ),
    "api:assessment": Row("GET", API_OWN_ONLY, "token"),
    "api:assessment_result": Row("GET", API_OWN_ONLY, "token"),
    "api:assessment_report": Row("GET", API_OWN_ONLY, "token"),
    "api:assessment_answers": Row(
        "PUT", API_OWN_ONLY, "token", {"answers": {"monthly_queries": 5_000_000}}, json=True
    ),
    "api:assessment_usage": Row(
        "POST",
        API_OWN_ONLY,
        "token",
        lambda: {"export": SimpleUploadedFile("usage.csv", USAGE_CSV.read_bytes())},
    ),
    "api:assessment_scenarios": Row(
        "POST",
        (401, 201, 404, 403),
        "token",
        {"name": "Volume x3", "changes": {"monthly_queries": "x3"}},
        json=True,
    ),
    "api:assessment_rescore": Row("POST", API_OWN_ONLY, "token", {}, json=True),
}
# Django admin checks permissions itself; its index stands for all its URLs.
ADMIN_NAMESPACE = "admin"


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    """Qualified names of every URL pattern (``namespace:name``); unnamed ones as ``?route``."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or f'?{pattern.pattern}'}"


def test_every_url_has_a_row():
    names = {name for name in url_names() if not name.startswith(f"{ADMIN_NAMESPACE}:")}
    assert names - set(TABLE) == set(), "URLs without a row in the permission table"
    assert set(TABLE) - names == set(), "rows for URLs that no longer exist"


def _url(name: str, row: Row, assessment: Assessment) -> str:
    if row.args == "token":
        return reverse(name, args=[assessment.token])
    if row.args == "token+step":
        return reverse(name, args=[assessment.token, assessment.saved_steps[0]])
    if row.args == "profile":
        return reverse(name, args=[0])
    return reverse(name)


def send(client: Client, row: Row, url: str) -> Any:
    """The row's request: GET, or its method with its data (a form, or JSON for the API)."""
    if row.method == "GET":
        return client.get(url)
    data = row.data() if callable(row.data) else (row.data or {})
    if row.json:
        return client.generic(row.method, url, json.dumps(data), "application/json")
    return client.post(url, data)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_status_per_role(name, completed_of_a, consultant_a, consultant_b, staff_user):
    row = TABLE[name]
    users: dict[str, User | None] = {
        "anonymous": None,
        "consultant_a": consultant_a,
        "consultant_b": consultant_b,
        "staff": staff_user,
    }
    url = _url(name, row, completed_of_a)
    seen = {}
    for role in ROLES:
        client = client_for(users[role])
        seen[role] = send(client, row, url).status_code
    assert seen == dict(zip(ROLES, row.expected, strict=True)), url


@pytest.fixture
def seeded_admin_client(completed_of_a) -> Client:
    """Signed in as the demo superuser `make run` seeds (README's account table)."""
    call_command("seed", stdout=StringIO())
    client = Client()
    assert client.login(username="admin", password="advisor-admin-demo")
    return client


@pytest.mark.parametrize("name", sorted(TABLE))
def test_the_seeded_superuser_gets_the_staff_column(name, completed_of_a, seeded_admin_client):
    """Superusers are staff, not consultants: the workspace is 403 (issue 15, finding 6)."""
    row = TABLE[name]
    url = _url(name, row, completed_of_a)
    response = send(seeded_admin_client, row, url)
    assert response.status_code == row.expected[ROLES.index("staff")], url


def test_the_seeded_superuser_reaches_admin_and_sees_the_sites_403(seeded_admin_client):
    assert seeded_admin_client.get(reverse("admin:index")).status_code == 200
    refused = seeded_admin_client.get(reverse("consultants:dashboard"))
    assert refused.status_code == 403
    body = refused.content.decode()
    assert "Not available to this account" in body
    assert "site.css" in body  # the site's page, not Django's bare "403 Forbidden"


def test_admin_is_for_staff_only(consultant_a, consultant_b, staff_user, db):
    url = reverse("admin:index")
    assert client_for(None).get(url).status_code == 302
    assert client_for(consultant_a).get(url).status_code == 302
    assert client_for(consultant_b).get(url).status_code == 302
    assert client_for(staff_user).get(url).status_code == 200


def test_another_consultants_assessment_is_indistinguishable_from_a_missing_one(
    completed_of_a, consultant_b
):
    client = client_for(consultant_b)
    other = client.get(reverse("assessments:result", args=[completed_of_a.token]))
    missing = client.get(reverse("assessments:result", args=["x" * 32]))
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content


MISSING_TOKEN = "x" * 32


# Rows whose argument is an assessment's token (or a logo's id, which is public).
BY_TOKEN = sorted(
    name for name, row in TABLE.items() if row.args and name != "consultants:api_token_revoke"
)


@pytest.mark.parametrize("name", BY_TOKEN)
def test_another_consultants_404_is_the_missing_tokens_404_byte_for_byte(
    name, completed_of_a, consultant_b
):
    """Body and every header, for every URL that takes a token (issue 15, finding 4)."""
    row = TABLE[name]
    client = client_for(consultant_b)
    missing = Assessment(token=MISSING_TOKEN, saved_steps=completed_of_a.saved_steps)

    def fetch(assessment: Assessment) -> Any:
        return send(client, row, _url(name, row, assessment))

    other, absent = fetch(completed_of_a), fetch(missing)
    assert other.status_code == absent.status_code == 404
    assert other.content == absent.content
    assert sorted(other.items()) == sorted(absent.items())
    assert other.cookies.output() == absent.cookies.output()


def test_anonymous_login_redirect_keeps_the_page_to_return_to(db):
    response = client_for(None).get(reverse("consultants:dashboard"))
    assert response["Location"] == f"{reverse('login')}?next={reverse('consultants:dashboard')}"
