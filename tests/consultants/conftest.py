"""Two consultants (A and B), a staff user, and assessments of consultant A.

The assessments are scored on the seeded brief-2026 ruleset, as the wizard
would store them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from advisor.assessments.models import Assessment
from tests.conftest import PASSWORD, make_consultant

XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def consultant_a(db: None) -> User:
    return make_consultant("alex")


@pytest.fixture
def consultant_b(db: None) -> User:
    return make_consultant("blake")


@pytest.fixture
def staff_user(db: None) -> User:
    return User.objects.create_user("sam-staff", password=PASSWORD, is_staff=True)


@pytest.fixture
def completed_of_a(make_completed: Callable[..., Assessment], consultant_a: User) -> Assessment:
    return make_completed(owner=consultant_a)


def client_for(user: User | None, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client
