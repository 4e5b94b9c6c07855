"""CSRF on every POST: no URL in the URLconf processes a POST without the token.

The JSON API (``/api/v1/``) checks it itself, where a session is what
authenticates the call: a consultant's session without the token is
refused (403), while a call with a personal API token needs none (no
browser sends that header on its own; tests/api/test_assessments.py). Its
anonymous scoring and usage reading hold no one's data and write nothing,
so there is no session to ride: they take a call without a token.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ..conftest import client_for
from .test_url_permissions import TABLE, _url, send

# The API's anonymous writes: processed without a token (here: 422, no answers).
API_ANONYMOUS_WRITES = {"api:evaluate", "api:usage_derive"}


# django-ninja's own views (the schema, the docs, the prefix) are plain Django
# views: the middleware refuses them as any other.
NINJA_OWN_VIEWS = {"api:openapi-json", "api:openapi-view", "api:api-root"}
# The list's path is also the one a new assessment is posted to.
API_LIST_AND_CREATE = "api:assessments"


def _expected(name: str, method: str, role: str) -> int:
    if not name.startswith("api:") or name in NINJA_OWN_VIEWS:
        return 403
    if name in API_ANONYMOUS_WRITES:
        return 422
    if method == "GET" and name != API_LIST_AND_CREATE:
        return 405  # a POST to a read: refused before anything runs
    return 403 if role == "consultant_a" else 401  # no session, nothing to forge


@pytest.mark.parametrize("name", sorted(TABLE))
@pytest.mark.parametrize("role", ["anonymous", "consultant_a"])
def test_post_without_token_is_refused(name, role, completed_of_a, consultant_a):
    row = TABLE[name]
    url = _url(name, row, completed_of_a)
    client = client_for(consultant_a if role == "consultant_a" else None, enforce_csrf_checks=True)
    before = completed_of_a.revision, completed_of_a.notes
    if name.startswith("api:") and row.method != "GET":
        response = send(client, row, url)
    else:
        response = client.post(url, row.data or {"client_name": "x", "notes": "x"})
    assert response.status_code == _expected(name, row.method, role), url
    completed_of_a.refresh_from_db()
    assert (completed_of_a.revision, completed_of_a.notes) == before


def test_post_with_the_token_is_accepted(completed_of_a, consultant_a):
    client = client_for(consultant_a, enforce_csrf_checks=True)
    page = client.get(reverse("consultants:assessment", args=[completed_of_a.token]))
    token = page.context["csrf_token"]
    response = client.post(
        reverse("consultants:assessment_notes", args=[completed_of_a.token]),
        {"notes": "Call back in May", "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302
    completed_of_a.refresh_from_db()
    assert completed_of_a.notes == "Call back in May"


def test_htmx_requests_send_the_token_in_a_header(db, client):
    body = client.get("/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in body


def test_a_csrf_failure_gets_the_sites_403_page(db):
    response = Client(enforce_csrf_checks=True).post("/a/start/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "That form has expired" in body
    assert "site.css" in body
    assert "CSRF verification failed" not in body  # Django's bare page
