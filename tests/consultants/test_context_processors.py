"""The navigation asks whether the user is a consultant only where it shows the link."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory

from advisor.consultants.context_processors import workspace


def test_is_consultant_is_a_callable_answered_for_the_requests_user(consultant: User) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert workspace(request)["is_consultant"]() is False
    request.user = consultant
    assert workspace(request)["is_consultant"]() is True
