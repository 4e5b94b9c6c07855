"""Consultants A and B (A owns the assessments), staff, and API clients for each role."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from advisor.api.tokens import token_create
from tests.consultants.conftest import (  # noqa: F401 (fixtures)
    client_for,
    completed_of_a,
    consultant_a,
    consultant_b,
    staff_user,
)

API = "/api/v1"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class TokenClient(Client):
    """A client that sends a personal API token with every request (no session)."""

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
def token_of_b(consultant_b: User) -> str:
    return token_create(user=consultant_b, name="notebook")[1]


@pytest.fixture
def api_a(token_of_a: str) -> TokenClient:
    return TokenClient(token_of_a)


@pytest.fixture
def api_b(token_of_b: str) -> TokenClient:
    return TokenClient(token_of_b)
