"""A refused write sends the visitor back to the assessment as it stayed, with the reason."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import ResolverMatch, reverse

from advisor.assessments.middleware import refused_write_url
from advisor.assessments.write_guard import State, Write, WriteRefused


def refused(state: State) -> WriteRefused:
    return WriteRefused(token="tok", write=Write.ANSWERS, state=state)


def request_in(namespace: str):
    request = RequestFactory().post("/")
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, namespaces=[namespace])
    return request


def test_the_buyer_sees_the_result_of_a_delivered_or_locked_assessment() -> None:
    request = request_in("assessments")
    result = reverse("assessments:result", args=["tok"])
    assert refused_write_url(request, refused(State.LOCKED)) == result
    assert refused_write_url(request, refused(State.DELIVERED)) == result


def test_an_open_one_resumes_and_a_consultant_returns_to_their_page() -> None:
    assert refused_write_url(request_in("assessments"), refused(State.OPEN)).endswith("/tok/")
    assert "tok" in refused_write_url(request_in("consultants"), refused(State.LOCKED))
    assert refused_write_url(request_in("consultants"), refused(State.LOCKED)) != ("/a/tok/result/")
