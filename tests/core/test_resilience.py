from __future__ import annotations

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}


def test_database_down_answers_503_with_retry_after(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", unreachable)
    response = client.get("/healthz")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body


def test_unexpected_errors_use_the_site_500_page(client, monkeypatch):
    client.raise_request_exception = False

    from advisor.core import views

    real_render = views.render

    def broken_landing(request, template_name, *args, **kwargs):
        if template_name == "core/landing.html":
            raise RuntimeError("boom")
        return real_render(request, template_name, *args, **kwargs)

    monkeypatch.setattr(views, "render", broken_landing)
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_database_down_on_a_consultant_page_answers_503(client, monkeypatch, django_user_model):
    user = django_user_model.objects.create_user("dana", password="pw-dana-123")
    client.force_login(user)

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", unreachable)
    response = client.get("/consultants/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Traceback" not in response.content.decode()


def test_too_many_requests_page_has_the_site_look(client):
    from advisor.core.views import too_many_requests

    response = too_many_requests(None, retry_after_seconds=90)
    body = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "90"
    assert "Too many requests" in body
    assert "try again in 2 minutes" in body
    assert "site.css" in body
