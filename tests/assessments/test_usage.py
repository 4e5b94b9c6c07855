"""The workload step's "Fill from a usage export": upload, see, accept, edit; marked onwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from advisor.assessments.models import Assessment, UsageExportFile
from advisor.assessments.usage import (
    max_upload_bytes,
    measured_keys,
)
from advisor.reports.services import ReportInputs, report_html
from advisor.snapshot import ResultSnapshot

DATA = Path(__file__).resolve().parent.parent / "usage" / "data"
WORKLOAD = "workload"


@pytest.fixture
def started(brief_ruleset, client: Client) -> Assessment:
    response = client.post(reverse("assessments:start"))
    token = response["Location"].strip("/").split("/")[1]
    return Assessment.objects.get(token=token)


def usage_url(assessment: Assessment, step: str = WORKLOAD) -> str:
    return reverse("assessments:usage", args=[assessment.token, step])


def step_url(assessment: Assessment, step: str = WORKLOAD) -> str:
    return reverse("assessments:step", args=[assessment.token, step])


def upload(client: Client, assessment: Assessment, name: str, **data: str):
    content = (DATA / name).read_bytes()
    export = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(usage_url(assessment), {"export": export, **data})


def test_workload_step_offers_the_upload(client, started):
    page = client.get(step_url(started)).content.decode()
    assert "Fill from a usage export" in page
    assert 'enctype="multipart/form-data"' in page
    assert f'action="{usage_url(started)}"' in page
    assert 'name="csrfmiddlewaretoken"' in page.split('id="usage-import"')[1]
    # Below the questions and their Next button: the keyboard reaches the questions first.
    assert page.index('name="monthly_queries"') < page.index('value="next"')
    assert page.index('value="next"') < page.index('id="usage-import"')


def test_upload_shows_the_figures_with_their_provenance(client, started):
    response = upload(client, started, "openai_completions.json")
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "What your export says" in page
    assert "22,500" in page
    assert "sum of num_model_requests over the last 2.0 days" in page
    assert "2026-10-01 to 2026-10-03" in page
    # Not measured from daily buckets, and said so.
    assert "export hourly buckets" in page
    started.refresh_from_db()
    assert started.usage_import["figures"]["monthly_queries"]["value"] == 22_500
    assert "monthly_queries" not in started.answers  # not accepted yet


def test_the_file_is_not_stored_unless_kept(client, started):
    upload(client, started, "usage.csv")
    assert not UsageExportFile.objects.filter(assessment=started).exists()
    upload(client, started, "usage.csv", keep="on")
    kept = UsageExportFile.objects.get(assessment=started)
    assert bytes(kept.content) == (DATA / "usage.csv").read_bytes()
    upload(client, started, "usage.csv")  # a new import without the tick drops it
    assert not UsageExportFile.objects.filter(assessment=started).exists()


def test_a_bad_file_gets_its_message_on_the_field(client, started):
    bad = SimpleUploadedFile("usage.csv", b"start,requests\n2026-10-01,5\n")
    response = client.post(usage_url(started), {"export": bad})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="usage-error"' in page
    assert "usage.csv: line 1: missing columns input_tokens" in page
    started.refresh_from_db()
    assert started.usage_import is None


def test_no_file_and_a_file_too_large(client, started):
    assert "Choose a usage export file" in client.post(usage_url(started)).content.decode()
    big = SimpleUploadedFile("big.jsonl", b" " * (max_upload_bytes() + 1))
    page = client.post(usage_url(started), {"export": big}).content.decode()
    assert "larger than 10 MB" in page


def test_the_filename_is_escaped(client, started):
    content = (DATA / "usage.csv").read_bytes()
    name = '<img src=x onerror="alert(1)">.csv'
    client.post(usage_url(started), {"export": SimpleUploadedFile(name, content)})
    page = client.get(step_url(started)).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_accept_fills_the_answers_and_marks_them(client, started):
    upload(client, started, "openai_completions.json")
    response = client.post(
        usage_url(started),
        {
            "action": "accept",
            "figure": ["monthly_queries", "avg_input_tokens", "avg_output_tokens"],
        },
    )
    assert response.status_code == 303
    started.refresh_from_db()
    assert started.answers["monthly_queries"] == 22_500
    assert started.answers["has_production_data"] is True
    assert measured_keys(started) == {"monthly_queries", "avg_input_tokens", "avg_output_tokens"}
    page = client.get(step_url(started)).content.decode()
    assert 'value="22,500"' in page
    assert page.count("from your usage data") >= 3


def test_accept_only_the_ticked_figures(client, started):
    upload(client, started, "openai_completions.json")
    client.post(usage_url(started), {"action": "accept", "figure": ["avg_output_tokens"]})
    started.refresh_from_db()
    assert measured_keys(started) == {"avg_output_tokens"}
    assert "monthly_queries" not in started.answers


def test_an_edited_figure_is_no_longer_measured(client, started):
    upload(client, started, "openai_completions.json")
    client.post(
        usage_url(started), {"action": "accept", "figure": ["monthly_queries", "avg_output_tokens"]}
    )
    started.refresh_from_db()
    started.answers["monthly_queries"] = 30_000  # as the step form would store an edit
    started.save()
    assert measured_keys(started) == {"avg_output_tokens"}


def test_discard_forgets_the_figures(client, started):
    upload(client, started, "usage.csv", keep="on")
    client.post(usage_url(started), {"action": "discard"})
    started.refresh_from_db()
    assert started.usage_import is None
    assert not UsageExportFile.objects.filter(assessment=started).exists()


def test_only_the_workload_step_takes_an_export(client, started):
    started.saved_steps = ["workload", "compliance"]
    started.save()
    assert client.post(usage_url(started, "compliance")).status_code == 404


def test_csrf_is_required(brief_ruleset, started):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = Client().cookies
    export = SimpleUploadedFile("usage.csv", (DATA / "usage.csv").read_bytes())
    assert strict.post(usage_url(started), {"export": export}).status_code == 403


def _answer_every_step(assessment: Assessment) -> None:
    from advisor.assessments.selectors import wizard_for

    wizard = wizard_for(ruleset=assessment.ruleset)
    assessment.refresh_from_db()
    assessment.saved_steps = [step.slug for step in wizard.steps]
    assessment.save()


def _finish(client: Client, assessment: Assessment) -> Assessment:
    _answer_every_step(assessment)
    client.post(reverse("assessments:review", args=[assessment.token]))
    assessment.refresh_from_db()
    return assessment


def test_review_result_and_report_say_what_was_measured(client, started):
    upload(client, started, "openai_completions.json")
    client.post(
        usage_url(started), {"action": "accept", "figure": ["monthly_queries", "avg_input_tokens"]}
    )
    _answer_every_step(started)
    review = client.get(reverse("assessments:review", args=[started.token])).content.decode()
    assert review.count('measured-badge">from your usage data') == 2
    done = _finish(client, started)
    assert done.is_completed
    assert done.result["measured"]["keys"] == ["avg_input_tokens", "monthly_queries"]
    page = client.get(reverse("assessments:result", args=[started.token])).content.decode()
    assert "Measured from your usage data" in page
    assert "covering 2026-10-01 to 2026-10-03 (2.0 days)" in page
    html = report_html(
        ReportInputs(result=ResultSnapshot.from_dict(done.result), answers=done.answers)
    )
    assert "Measured from your usage data" in html
    assert "2026-10-01 to 2026-10-03" in html


def test_no_import_no_measured_section(client, started):
    started.answers = {"monthly_queries": 22_500}
    started.save()
    done = _finish(client, started)
    assert "measured" not in done.result
    page = client.get(reverse("assessments:result", args=[started.token])).content.decode()
    assert "from your usage data" not in page
