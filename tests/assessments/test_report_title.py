"""The review step's optional "report title": stored on the assessment, shown on the PDF cover."""

from __future__ import annotations

from django.test import Client

from advisor.assessments.models import REPORT_TITLE_MAX_LENGTH, Assessment, AssessmentStatus

from .test_views import complete_all_steps, reload, url


def test_review_asks_for_an_optional_report_title(client: Client, assessment: Assessment) -> None:
    complete_all_steps(client, assessment)
    body = client.get(url(assessment, "review/")).content.decode()
    assert 'name="report_title"' in body
    assert "Title for the PDF report (optional)" in body


def test_the_title_is_stored_when_the_buyer_completes(
    client: Client, assessment: Assessment
) -> None:
    complete_all_steps(client, assessment)
    response = client.post(url(assessment, "review/"), {"report_title": "  Project\n Atlas  "})
    assert response.status_code == 303
    done = reload(assessment)
    assert done.status == AssessmentStatus.COMPLETED
    assert done.report_title == "Project Atlas"
    # Shown again, filled in, when the buyer comes back to the review.
    assert 'value="Project Atlas"' in client.get(url(assessment, "review/")).content.decode()


def test_no_title_is_fine(client: Client, assessment: Assessment) -> None:
    complete_all_steps(client, assessment)
    assert client.post(url(assessment, "review/")).status_code == 303
    assert reload(assessment).report_title == ""


def test_a_too_long_title_is_refused_with_a_message_and_nothing_scored(
    client: Client, assessment: Assessment
) -> None:
    complete_all_steps(client, assessment)
    long_title = "x" * (REPORT_TITLE_MAX_LENGTH + 1)
    response = client.post(url(assessment, "review/"), {"report_title": long_title})
    assert response.status_code == 200
    assert f"Keep the title to {REPORT_TITLE_MAX_LENGTH} characters or fewer." in (
        response.content.decode()
    )
    stored = reload(assessment)
    assert stored.status != AssessmentStatus.COMPLETED
    assert stored.report_title == ""
