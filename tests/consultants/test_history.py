"""Issue 15, finding 3: nothing a client was told is ever lost.

Re-completing after the buyer changed answers keeps the replaced result
(as re-scoring does); the consultant's page shows that the buyer changed
answers after delivery, and what; a consultant can lock a delivered
assessment, which the buyer then sees read-only, with a way to ask for a
new version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from advisor.assessments.models import Assessment, AssessmentStatus, ReplacedBecause

from .conftest import client_for

WORKLOAD = {"monthly_queries": "2M", "load_pattern": "steady", "nav": "next"}


@pytest.fixture
def delivered(make_completed: Callable[..., Assessment], consultant_a: User) -> Assessment:
    return make_completed(owner=consultant_a)  # 300M steady queries a month: hybrid


def change_volume(buyer: Client, assessment: Assessment) -> Any:
    return buyer.post(f"/a/{assessment.token}/step/workload/", WORKLOAD)


def test_completing_again_keeps_the_replaced_result(delivered: Assessment) -> None:
    buyer = Client()
    before = delivered.result
    assert change_volume(buyer, delivered).status_code == 303
    assert buyer.post(f"/a/{delivered.token}/review/").status_code == 303

    delivered.refresh_from_db()
    assert delivered.is_completed
    assert delivered.result["answers"]["monthly_queries"] == 2_000_000
    [past] = delivered.past_results.all()
    assert past.reason == ReplacedBecause.ANSWERS_CHANGED
    assert past.result == before  # exactly what the client was told
    assert past.ruleset_id == delivered.ruleset_id


def test_the_consultant_sees_answers_changed_after_delivery(
    delivered: Assessment, consultant_a: User
) -> None:
    consultant = client_for(consultant_a)
    page_url = reverse("consultants:assessment", args=[delivered.token])
    assert "changed-after-delivery" not in consultant.get(page_url).content.decode()

    buyer = Client()
    change_volume(buyer, delivered)
    pending = consultant.get(page_url).content.decode()
    assert "Your client changed answers after the result was delivered" in pending
    assert "300,000,000" in pending and "2,000,000" in pending

    buyer.post(f"/a/{delivered.token}/review/")
    history = consultant.get(page_url).content.decode()
    assert "changed-after-delivery" not in history
    assert "the client changed answers after delivery" in history
    assert "300,000,000 queries/month → 2,000,000 queries/month" in history


def test_a_locked_assessment_is_read_only_for_the_buyer(
    delivered: Assessment, consultant_a: User
) -> None:
    consultant = client_for(consultant_a)
    lock_url = reverse("consultants:assessment_lock", args=[delivered.token])
    assert consultant.post(lock_url, {"action": "lock"}).status_code == 302
    delivered.refresh_from_db()
    assert delivered.is_locked and delivered.locked_by == consultant_a
    revision = delivered.revision

    buyer = Client()
    result_url = f"/a/{delivered.token}/result/"
    for response in (
        buyer.get(f"/a/{delivered.token}/step/workload/"),
        change_volume(buyer, delivered),
        buyer.get(f"/a/{delivered.token}/review/"),
        buyer.post(f"/a/{delivered.token}/review/"),
    ):
        assert (response.status_code, response["Location"]) == (303, result_url)
    delivered.refresh_from_db()
    assert delivered.revision == revision
    assert delivered.answers["monthly_queries"] == 300_000_000

    page = buyer.get(result_url).content.decode()
    assert "This assessment is final" in page
    assert "Edit answers" not in page
    assert "Ask for a new version" in page


def test_the_buyer_asks_for_a_new_version_and_the_consultant_unlocks(
    delivered: Assessment, consultant_a: User
) -> None:
    consultant = client_for(consultant_a)
    lock_url = reverse("consultants:assessment_lock", args=[delivered.token])
    consultant.post(lock_url, {"action": "lock"})

    buyer = Client()
    asked = buyer.post(f"/a/{delivered.token}/new-version/", follow=True)
    assert "Your consultant has been asked for a new version" in asked.content.decode()
    page_url = reverse("consultants:assessment", args=[delivered.token])
    assert "Your client asked for a new version" in consultant.get(page_url).content.decode()

    consultant.post(lock_url, {"action": "unlock"})
    delivered.refresh_from_db()
    assert not delivered.is_locked and delivered.new_version_requested_at is None
    assert change_volume(buyer, delivered)["Location"].endswith("/step/compliance/")
    delivered.refresh_from_db()
    assert delivered.status == AssessmentStatus.IN_PROGRESS


def test_only_a_delivered_assessment_can_be_locked(brief_ruleset: Any, consultant_a: User) -> None:
    from advisor.assessments.services import assessment_start

    started = assessment_start(ruleset=brief_ruleset, owner=consultant_a)
    consultant = client_for(consultant_a)
    response = consultant.post(
        reverse("consultants:assessment_lock", args=[started.token]),
        {"action": "lock"},
        follow=True,
    )
    assert "Only a completed assessment can be locked" in response.content.decode()
    started.refresh_from_db()
    assert not started.is_locked
