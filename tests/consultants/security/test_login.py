"""Sign-in and sign-out: session rotation, dead sessions after logout, django-axes lock-outs."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_uses_the_site_look(db, client):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert "LLM Deployment Advisor" in body
    assert 'name="password"' in body
    assert 'maxlength="150"' in body  # username
    assert 'maxlength="256"' in body  # password


def test_consultant_signs_in_to_the_dashboard(consultant_a, client):
    response = sign_in(client, "alex", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("consultants:dashboard")
    assert client.get(reverse("consultants:dashboard")).status_code == 200


def test_session_key_changes_at_sign_in(consultant_a, client):
    client.get(LOGIN)  # an anonymous session (CSRF, messages) exists first
    client.session.save()
    before = client.session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    sign_in(client, "alex", PASSWORD)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before and after and before != after


def test_old_session_cookie_is_dead_after_sign_out(consultant_a, client):
    sign_in(client, "alex", PASSWORD)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/accounts/logout/").status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get(reverse("consultants:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_sign_out_refuses_get(consultant_a, client):
    client.force_login(consultant_a)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get(reverse("consultants:dashboard")).status_code == 200


def test_overlong_password_is_refused_without_hashing(consultant_a, client):
    response = sign_in(client, "alex", "x" * 10_000)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_failures_lock_the_user_from_that_ip_with_retry_after(axes_on, consultant_a, client):
    codes = [sign_in(client, "alex", "wrong").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # the third failure locks
    locked = sign_in(client, "alex", PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    assert "Sign-in temporarily locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lock_is_per_user_and_ip(axes_on, consultant_a, consultant_b):
    attacker = Client()
    for _ in range(3):
        sign_in(attacker, "alex", "wrong", ip="203.0.113.9")
    assert sign_in(attacker, "alex", PASSWORD, ip="203.0.113.9").status_code == 429
    # The same account from the consultant's own network, and another account
    # from the attacker's address, still work: nobody is locked out remotely.
    assert sign_in(Client(), "alex", PASSWORD, ip="10.0.0.7").status_code == 302
    assert sign_in(Client(), "blake", PASSWORD, ip="203.0.113.9").status_code == 302


@pytest.mark.parametrize(("minutes_later", "status"), [(14, 429), (16, 302)])
def test_lock_is_released_after_the_cool_off(axes_on, consultant_a, minutes_later, status):
    # Not forever (django-axes' default): 15 minutes. An attempt during the
    # lock restarts it (axes' default), but only for that user from that IP.
    with time_machine.travel("2026-01-05 09:00 +0000", tick=False) as clock:
        for _ in range(3):
            sign_in(Client(), "alex", "wrong")
        assert sign_in(Client(), "alex", PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=minutes_later))
        assert sign_in(Client(), "alex", PASSWORD).status_code == status


def test_success_resets_the_failure_count(axes_on, consultant_a):
    for _ in range(2):
        sign_in(Client(), "alex", "wrong")
    assert sign_in(Client(), "alex", PASSWORD).status_code == 302
    for _ in range(2):
        sign_in(Client(), "alex", "wrong")
    assert sign_in(Client(), "alex", PASSWORD).status_code == 302


def test_admin_login_is_protected_too(axes_on, staff_user):
    for _ in range(3):
        Client().post(
            "/admin/login/", {"username": "sam-staff", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )
    response = Client().post(
        "/admin/login/", {"username": "sam-staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429


def test_failures_from_many_addresses_hit_the_username_ceiling(axes_on, settings, consultant_a):
    """Issue 15: the per-address lock alone let anyone guess from many addresses."""
    settings.AXES_USERNAME_FAILURE_CEILING = 6
    for host in range(1, 4):  # two failures from each address: no address is locked
        for _ in range(2):
            assert sign_in(Client(), "alex", "wrong", ip=f"198.51.100.{host}").status_code == 200
    response = sign_in(Client(), "alex", PASSWORD, ip="10.0.0.7")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "from several networks" in response.content.decode()


def test_below_the_username_ceiling_other_addresses_still_sign_in(
    axes_on, settings, consultant_a, consultant_b
):
    settings.AXES_USERNAME_FAILURE_CEILING = 6
    for host in range(1, 3):
        for _ in range(2):
            sign_in(Client(), "alex", "wrong", ip=f"198.51.100.{host}")
    assert sign_in(Client(), "alex", PASSWORD, ip="10.0.0.7").status_code == 302
    # The ceiling is per username: another account is not affected.
    assert sign_in(Client(), "blake", PASSWORD, ip="198.51.100.1").status_code == 302
