"""Personal API tokens: stored hashed, shown once, working only until revoked."""

from __future__ import annotations

import hashlib

from advisor.api.models import ApiToken
from advisor.api.tokens import token_create, token_revoke

from .conftest import API, TokenClient, session_client

PAGE = "/consultants/api-tokens/"


def test_a_token_is_stored_hashed_and_works_only_until_revoked(consultant_a, brief_ruleset):
    token, secret = token_create(user=consultant_a, name="CI")
    row = ApiToken.objects.get(pk=token.pk)
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(secret in value for value in stored)
    assert row.prefix == secret[: len(row.prefix)] and len(row.prefix) < len(secret) // 4
    client = TokenClient(secret)
    assert client.get(f"{API}/assessments").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert token_revoke(user=consultant_a, token_id=token.pk) is True
    refused = client.get(f"{API}/assessments")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"


def test_a_token_of_someone_no_longer_a_consultant_is_refused(consultant_a, brief_ruleset):
    _token, secret = token_create(user=consultant_a, name="CI")
    consultant_a.groups.clear()
    assert TokenClient(secret).get(f"{API}/assessments").status_code == 403


def test_the_page_shows_a_new_secret_once(consultant_a):
    browser = session_client(consultant_a)
    created = browser.post(PAGE, {"name": "Jupyter"})
    assert created.status_code == 200
    token = ApiToken.objects.get(user=consultant_a)
    page = created.content.decode()
    secret = page.split('id="token-secret">')[1].split("<")[0]
    assert secret.startswith(token.prefix)
    assert hashlib.sha256(secret.encode()).hexdigest() == token.token_hash
    again = browser.get(PAGE).content.decode()
    assert secret not in again and "Jupyter" in again and token.prefix in again
    assert "never" in again  # not used yet


def test_a_token_needs_a_name(consultant_a):
    response = session_client(consultant_a).post(PAGE, {"name": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page(consultant_a, consultant_b):
    token, _secret = token_create(user=consultant_a, name="Build server 7")
    url = f"/consultants/api-tokens/{token.pk}/revoke/"
    # Another consultant cannot revoke it (nor see it).
    session_client(consultant_b).post(url)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert "Build server 7" not in session_client(consultant_b).get(PAGE).content.decode()
    response = session_client(consultant_a).post(url, follow=True)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert "Token revoked" in response.content.decode()
    assert "revoked" in session_client(consultant_a).get(PAGE).content.decode()


def test_the_page_is_for_consultants(staff_user, db):
    assert session_client(None).get(PAGE).status_code == 302
    assert session_client(staff_user).get(PAGE).status_code == 403
