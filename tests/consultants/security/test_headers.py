"""Security headers with the right values: CSP, framing, referrer, HSTS, cookies."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[3]
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def csp(response) -> dict[str, str]:
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, _, value in (d.partition(" ") for d in directives if d)}


def without_nonce(value: str) -> str:
    return re.sub(r"\s*'nonce-[^']+'", "", value)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/nowhere/"])
def test_csp_is_strict_on_every_page(db, client, path):
    policy = csp(client.get(path))
    assert {name: without_nonce(value) for name, value in policy.items()} == EXPECTED_CSP
    assert "unsafe-inline" not in str(policy)
    assert "unsafe-eval" not in str(policy)


def test_htmx_script_carries_the_pages_nonce(db, client):
    response = client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", csp(response)["script-src"]).group(1)
    body = response.content.decode()
    assert re.search(
        rf'<script src="/static/django_htmx/htmx-2\.min\.js" defer nonce="{re.escape(nonce)}">',
        body,
    )
    assert "<script>" not in body  # no inline script at all
    assert "style=" not in body


def test_framing_referrer_and_sniffing_headers(db, client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_on_https_responses(db, client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_session_and_csrf_cookies_are_secure_in_production(consultant_a, client, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client.get(reverse("login"), secure=True)
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["secure"] and csrf_cookie["samesite"] == "Lax"
    client.post(reverse("login"), {"username": "alex", "password": PASSWORD}, secure=True)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_production_settings_turn_every_protection_on():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "advisor.example.com",
    }
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE"):
        env.pop(name, None)
    code = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS, s.AXES_ENABLED, s.RATELIMIT_ENABLE)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.split() == [
        "31536000", "True", "True", "True", "True", "DENY", "True", "True"
    ]  # fmt: skip
