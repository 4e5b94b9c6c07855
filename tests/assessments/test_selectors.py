"""Who reaches an assessment: the buyer's link, its owner, staff; another consultant never."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404

from advisor.assessments.models import Assessment
from advisor.assessments.selectors import (
    assessment_for_visitor,
    assessments_for_dashboard,
    assessments_for_export,
    may_open,
    owned_assessment,
)
from tests.conftest import make_consultant


@pytest.fixture
def other(db: None) -> User:
    return make_consultant("other-consultant")


def test_the_link_opens_for_anyone_but_another_consultant(
    make_completed: Callable[..., Assessment], consultant: User, other: User
) -> None:
    owned = make_completed(owner=consultant)
    assert may_open(user=AnonymousUser(), assessment=owned)
    assert may_open(user=consultant, assessment=owned)
    assert not may_open(user=other, assessment=owned)
    with pytest.raises(Http404):
        assessment_for_visitor(token=owned.token, user=other)
    assert assessment_for_visitor(token=owned.token, user=AnonymousUser()).pk == owned.pk


def test_workspace_pages_reach_only_the_owners_assessments(
    make_completed: Callable[..., Assessment], consultant: User, other: User
) -> None:
    owned = make_completed(owner=consultant)
    assert owned_assessment(token=owned.token, user=consultant).pk == owned.pk
    with pytest.raises(Http404):
        owned_assessment(token=owned.token, user=other)


def test_the_dashboard_and_the_export_list_only_ones_own(
    make_completed: Callable[..., Assessment], consultant: User, other: User
) -> None:
    first = make_completed(owner=consultant, client_name="First")
    second = make_completed(owner=consultant, client_name="Second")
    make_completed(owner=other, client_name="Theirs")
    page = assessments_for_dashboard(user=consultant)
    assert [a.client_name for a in page] == ["Second", "First"]  # most recently changed first
    assert [a.pk for a in assessments_for_export(user=consultant)] == [first.pk, second.pk]
    assert [a.client_name for a in assessments_for_dashboard(user=consultant, query="Sec")] == [
        "Second"
    ]
