"""CSRF on every POST: no URL in the URLconf processes a POST without the token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ..conftest import client_for
from .test_url_permissions import TABLE, _url


@pytest.mark.parametrize("name", sorted(TABLE))
@pytest.mark.parametrize("role", ["anonymous", "consultant_a"])
def test_post_without_token_is_refused(name, role, completed_of_a, consultant_a):
    row = TABLE[name]
    url = _url(name, row, completed_of_a)
    client = client_for(consultant_a if role == "consultant_a" else None, enforce_csrf_checks=True)
    before = completed_of_a.revision, completed_of_a.notes
    response = client.post(url, row.data or {"client_name": "x", "notes": "x"})
    assert response.status_code == 403, url
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
