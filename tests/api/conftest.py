"""Consultants A and B (A owns the assessments), staff, and API clients for each role."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from advisor.api.tokens import token_create

API = "/api/v1"


class TokenClient(Client):
    """A client that sends a personal API token with every request, with CSRF checks on."""

    def __init__(self, secret: str, **kwargs: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **kwargs)
        self.secret = secret

    def request(self, **request: Any) -> Any:
        request.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.secret}")
        return super().request(**request)


@pytest.fixture
def token_of_a(consultant_a: User) -> str:
    return token_create(user=consultant_a, name="CI")[1]


@pytest.fixture
def api_a(token_of_a: str) -> TokenClient:
    return TokenClient(token_of_a)


@pytest.fixture
def api_b(consultant_b: User) -> TokenClient:
    return TokenClient(token_create(user=consultant_b, name="notebook")[1])


def session_client(user: User | None, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client
