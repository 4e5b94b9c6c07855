"""Signed-in sessions end after SESSION_IDLE_TIMEOUT_SECONDS idle, and after the absolute age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _dashboard(client: Client):
    return client.get(reverse("consultants:dashboard"))


def _signed_in(client: Client) -> None:
    response = client.post(LOGIN, {"username": "alex", "password": PASSWORD})
    assert response.status_code == 302


def test_thirty_idle_minutes_sign_the_consultant_out(consultant_a, client, settings):
    assert settings.SESSION_IDLE_TIMEOUT_SECONDS == 30 * 60  # the default
    with time_machine.travel(START, tick=False) as clock:
        _signed_in(client)
        assert _dashboard(client).status_code == 200
        # Activity keeps the session: 29 minutes, then 29 more (58 since sign-in).
        clock.shift(timedelta(minutes=29))
        assert _dashboard(client).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert _dashboard(client).status_code == 200
        # 31 minutes without a request: signed out, sent to sign in again.
        clock.shift(timedelta(minutes=31))
        response = _dashboard(client)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        login_page = client.get(response["Location"]).content.decode()
        assert "signed out after 30 minutes without activity" in login_page
        # Really signed out: the next request is anonymous too.
        assert _dashboard(client).status_code == 302


def test_the_idle_limit_is_a_setting(consultant_a, client, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 5 * 60
    with time_machine.travel(START, tick=False) as clock:
        _signed_in(client)
        assert _dashboard(client).status_code == 200
        clock.shift(timedelta(minutes=4))
        assert _dashboard(client).status_code == 200
        clock.shift(timedelta(minutes=6))
        assert _dashboard(client).status_code == 302


def test_activity_does_not_stretch_the_absolute_lifetime(consultant_a, client, settings):
    # Writing the last activity saves the session; without a fixed expiry
    # date each save would restart SESSION_COOKIE_AGE (8 hours).
    with time_machine.travel(START, tick=False) as clock:
        _signed_in(client)
        for _ in range(8 * 60 // 20):
            assert _dashboard(client).status_code == 200
            clock.shift(timedelta(minutes=20))
        # 8 hours of steady activity since sign-in: the session is over.
        clock.shift(timedelta(minutes=1))
        assert _dashboard(client).status_code == 302


def test_buyers_are_not_timed_out(brief_ruleset, client):
    with time_machine.travel(START, tick=False) as clock:
        response = client.post(reverse("assessments:start"))
        assert response.status_code == 303
        resume = response["Location"]
        clock.shift(timedelta(hours=3))
        page = client.get(resume, follow=True)
        assert page.status_code == 200
        assert "/step/" in page.redirect_chain[-1][0]
