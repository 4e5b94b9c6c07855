"""Issue 30, finding 1: a locked, delivered assessment refuses every write, usage import too.

Before the state guard, anyone with the link could upload a usage export to
a locked assessment and accept ``monthly_queries``: the answers changed,
the status went back to "in progress", and /result/ and /review/ then
redirected to each other forever.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor.assessments import usage as usage_import
from advisor.assessments.models import Assessment, AssessmentStatus, UsageExportFile
from advisor.assessments.services import (
    assessment_lock,
    assessment_save_step,
    assessment_set_report_title,
)
from advisor.assessments.steps import build_steps
from advisor.assessments.write_guard import (
    ALLOWED,
    LOCKED_MESSAGE,
    State,
    Write,
    WriteRefused,
    check_write,
    state_of,
)
from advisor.rules.services import question_specs
from advisor.usage import read_usage

DATA = Path(__file__).resolve().parent.parent / "usage" / "data"
WORKLOAD = "workload"


def _row(assessment: Assessment) -> dict[str, Any]:
    """Everything a write could change, read fresh from the database."""
    fresh = Assessment.objects.get(pk=assessment.pk)
    return {
        "answers": fresh.answers,
        "saved_steps": fresh.saved_steps,
        "status": fresh.status,
        "result": fresh.result,
        "usage_import": fresh.usage_import,
        "report_title": fresh.report_title,
        "revision": fresh.revision,
        "locked_at": fresh.locked_at,
        "new_version_requested_at": fresh.new_version_requested_at,
        "kept_files": UsageExportFile.objects.filter(assessment=fresh).count(),
    }


@pytest.fixture
def locked(make_completed: Callable[..., Assessment], consultant: User) -> Assessment:
    """Delivered, with figures derived from an export before the lock, then locked."""
    assessment = make_completed(owner=consultant)
    with (DATA / "openai_completions.json").open("rb") as file:
        workload = read_usage(file)
    usage_import.assessment_derive_usage(
        assessment=assessment, workload=workload, filename="openai_completions.json"
    )
    assessment_lock(assessment=assessment, user=consultant)
    assessment.refresh_from_db()
    assert state_of(assessment) is State.LOCKED
    return assessment


def test_finding_1_accepting_usage_on_a_locked_assessment_changes_nothing(locked, client):
    before = _row(locked)
    url = reverse("assessments:usage", args=[locked.token, WORKLOAD])
    response = client.post(url, {"action": "accept", "figure": ["monthly_queries"]})
    assert _row(locked) == before  # answers, status and all
    assert response.status_code == 303
    result_url = reverse("assessments:result", args=[locked.token])
    assert response["Location"] == result_url
    page = client.get(result_url)
    assert page.status_code == 200  # the result, not a redirect to the review
    assert "locked this assessment, so nothing was changed" in page.content.decode()
    review = client.get(reverse("assessments:review", args=[locked.token]))
    assert review["Location"] == result_url
    assert client.get(reverse("reports:report_pdf", args=[locked.token])).status_code != 404


def test_uploading_or_discarding_on_a_locked_assessment_changes_nothing(locked, client):
    before = _row(locked)
    url = reverse("assessments:usage", args=[locked.token, WORKLOAD])
    content = (DATA / "usage.csv").read_bytes()
    upload = client.post(url, {"export": SimpleUploadedFile("usage.csv", content), "keep": "on"})
    discard = client.post(url, {"action": "discard"})
    assert _row(locked) == before
    assert upload.status_code == discard.status_code == 303


def test_htmx_gets_the_refusal_as_a_client_redirect(locked, client):
    url = reverse("assessments:usage", args=[locked.token, WORKLOAD])
    response = client.post(url, {"action": "accept"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("assessments:result", args=[locked.token])


def test_every_write_service_refuses_a_locked_assessment_at_the_service(locked):
    """The guard sits in the services: called directly, they refuse too (no view involved)."""
    steps = build_steps(question_specs(locked.ruleset))
    workload_step = next(step for step in steps if "monthly_queries" in step.keys)
    before = _row(locked)
    calls: list[Callable[[], object]] = [
        lambda: usage_import.assessment_accept_usage(assessment=locked),
        lambda: usage_import.assessment_discard_usage(assessment=locked),
        lambda: assessment_save_step(
            assessment=locked,
            steps=steps,
            step=workload_step,
            answers={"monthly_queries": 1},
            mark_saved=True,
        ),
        lambda: assessment_set_report_title(assessment=locked, report_title="Changed"),
    ]
    for call in calls:
        with pytest.raises(WriteRefused) as refused:
            call()
        assert refused.value.message == LOCKED_MESSAGE
    assert _row(locked) == before


def test_a_row_locked_after_the_page_was_read_is_still_refused(locked):
    """The service checks the row it locks, not the (stale) object the view passed in."""
    stale = Assessment.objects.get(pk=locked.pk)
    stale.locked_at = None  # as read before the consultant locked it
    with pytest.raises(WriteRefused):
        usage_import.assessment_accept_usage(assessment=stale)


def test_a_row_damaged_before_the_guard_shows_its_delivered_result(locked, client):
    """Locked but sent back to "in progress" by the old bug: no redirect loop, and read-only."""
    Assessment.objects.filter(pk=locked.pk).update(status=AssessmentStatus.IN_PROGRESS)
    result_url = reverse("assessments:result", args=[locked.token])
    assert client.get(result_url).status_code == 200
    assert client.get(reverse("assessments:review", args=[locked.token]))["Location"] == result_url
    damaged = Assessment.objects.get(pk=locked.pk)
    assert state_of(damaged) is State.LOCKED
    with pytest.raises(WriteRefused):
        check_write(damaged, Write.ANSWERS)


def test_the_table_names_every_write_and_state():
    assert set(ALLOWED) == set(Write)
    assert all(states <= set(State) for states in ALLOWED.values())
    buyer_writes = {Write.ANSWERS, Write.USAGE_IMPORT, Write.REPORT_TITLE, Write.COMPLETE}
    assert all(State.LOCKED not in ALLOWED[write] for write in buyer_writes)


def test_states(make_completed, brief_ruleset):
    delivered = make_completed()
    assert state_of(delivered) is State.DELIVERED
    assert state_of(Assessment(ruleset=brief_ruleset)) is State.OPEN
    changed = make_completed()
    changed.status = AssessmentStatus.IN_PROGRESS  # as a buyer's edit after delivery leaves it
    assert state_of(changed) is State.CHANGED
    locked = make_completed(locked_at=timezone.now())
    assert state_of(locked) is State.LOCKED


def test_consultant_unlock_then_the_buyer_may_accept(locked, client: Client):
    owner = locked.owner
    assert owner is not None
    consultant = Client()
    consultant.force_login(owner)
    unlock = reverse("consultants:assessment_lock", args=[locked.token])
    consultant.post(unlock, {"action": "unlock"})
    url = reverse("assessments:usage", args=[locked.token, WORKLOAD])
    client.post(url, {"action": "accept", "figure": ["monthly_queries"]})
    after = Assessment.objects.get(pk=locked.pk)
    assert after.answers["monthly_queries"] == 22_500
    assert after.status == AssessmentStatus.IN_PROGRESS  # re-scored on the next completion
