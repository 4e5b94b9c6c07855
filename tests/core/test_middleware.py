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


# --- only a connection failure is an outage (issue 15, finding 5) ----------------------


def _sqlite_error(sql: str) -> OperationalError:
    import sqlite3

    try:
        sqlite3.connect(":memory:").execute(sql)
    except sqlite3.OperationalError as cause:
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error
    raise AssertionError("the statement was meant to fail")


def _sqlite_locked() -> OperationalError:
    import sqlite3

    cause = sqlite3.OperationalError("database is locked")
    cause.sqlite_errorcode = 5  # SQLITE_BUSY, as sqlite3 sets it
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


def _postgres(cause: Exception) -> OperationalError:
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


def test_failures_are_told_apart():
    import psycopg
    from psycopg import errors

    from advisor.core.middleware import database_failure

    assert database_failure(_sqlite_locked()) == "busy"
    assert database_failure(_sqlite_error("SELECT * FROM missing_table")) is None
    assert database_failure(_postgres(psycopg.OperationalError("connection refused"))) == "down"
    assert database_failure(_postgres(errors.AdminShutdown())) == "down"
    assert database_failure(_postgres(errors.LockNotAvailable())) == "busy"
    assert database_failure(_postgres(errors.InsufficientPrivilege())) is None


def test_a_lock_wait_that_runs_out_is_busy_not_down(client, monkeypatch):
    def locked(*args, **kwargs):
        raise _sqlite_locked()

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", locked)
    response = client.get("/healthz")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Busy, please try again" in body
    assert "cannot reach its database" not in body


def test_a_missing_table_is_a_500_not_an_outage(client, monkeypatch):
    client.raise_request_exception = False

    def missing(*args, **kwargs):
        raise _sqlite_error("SELECT * FROM missing_table")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", missing)
    assert client.get("/healthz").status_code == 500
