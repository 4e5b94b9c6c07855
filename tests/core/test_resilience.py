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
