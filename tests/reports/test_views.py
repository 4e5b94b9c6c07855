"""The assessment's PDF report: content, headers, cache, errors, and the pages as images."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.templatetags.assessments import SENTENCES, usd, usd_precise
from advisor.reports import services
from advisor.reports.models import CachedReport
from advisor.reports.pdf import PdfRenderTimeout, _stylesheet
from advisor.rules.models import Question

from .conftest import embedded_file_names, pdf_text


def sentence_of(option: str) -> str:
    """The start of the recommendation's sentence, as the PDF sets it (before any colon)."""
    return SENTENCES[option].split(":")[0].rstrip(".")


def report_url(assessment: Assessment) -> str:
    return reverse("reports:report_pdf", args=[assessment.token])


def test_report_shows_recommendation_reasons_tco_and_client(
    client: Client, make_completed: Callable[..., Assessment], artifacts_dir: Path
) -> None:
    assessment = make_completed(client_name="Acme Health")
    response = client.get(report_url(assessment))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="acme-health-llm-deployment-recommendation-'
        f'{assessment.completed_at.date().isoformat()}.pdf"'
    )
    pdf = response.content
    text = pdf_text(pdf)
    result = assessment.result
    assert "Acme Health" in text
    # The recommendation's sentence, whichever option the money picks at 300M steady.
    assert sentence_of(result["recommendation"]) in " ".join(text.split())
    for rule in result["fired_rules"]:
        assert " ".join(rule["rationale"].split()) in text, rule["code"]
    for option in ("api", "self_host", "hybrid"):  # as the result page shows them
        figures = result["costs"]["options"][option]
        # Decision model v3: the adjusted costs (the chart's ends, the tables' totals).
        assert usd(figures.get("adjusted_tco_usd", figures["tco_usd"])) in text
        per_1k = figures.get("adjusted_cost_per_1k_queries_usd")
        assert usd_precise(per_1k or figures["cost_per_1k_queries_usd"]) in text
    assert "Page 2 of" in text  # page numbers in the margin boxes
    for key in assessment.answers:  # the appendix lists answers by their question's prompt
        prompt = Question.objects.get(ruleset=assessment.ruleset, key=key).prompt
        assert " ".join(prompt.split()) in text, key
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata.title == "LLM deployment recommendation: Acme Health"
    assert metadata.author == "LLM Deployment Advisor"
    assert embedded_file_names(pdf) == []

    # Kept as artifacts: every page as a PNG, to look at.
    folder = artifacts_dir / "pdf"
    folder.mkdir(exist_ok=True)
    (folder / "report.pdf").write_bytes(pdf)
    for old in folder.glob("report-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(folder / "report.pdf"), str(folder / "report")],
        check=True,
        timeout=120,
    )
    assert len(list(folder.glob("report-*.png"))) == len(PdfReader(io.BytesIO(pdf)).pages)


def test_unknown_token_is_404(client: Client, db: None) -> None:
    assert client.get("/a/no-such-token/report.pdf").status_code == 404


def test_assessment_without_result_has_no_report(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    Assessment.objects.filter(pk=assessment.pk).update(
        status=AssessmentStatus.IN_PROGRESS, result=None
    )
    response = client.get(report_url(assessment))
    assert response.status_code == 404
    assert b"No report yet" in response.content


def test_strong_etag_and_304(client: Client, make_completed: Callable[..., Assessment]) -> None:
    assessment = make_completed()
    first = client.get(report_url(assessment))
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(report_url(assessment), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""


def test_cached_pdf_is_served_without_rendering_again(
    client: Client, make_completed: Callable[..., Assessment], monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = make_completed()
    first = client.get(report_url(assessment)).content

    def refuse(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("rendered again")

    monkeypatch.setattr(services, "_render", refuse)
    assert client.get(report_url(assessment)).content == first
    assert CachedReport.objects.filter(assessment=assessment).count() == 1


def test_serving_the_stored_pdf_reads_neither_the_result_nor_the_answers(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    first = client.get(report_url(assessment)).content
    with CaptureQueriesContext(connection) as captured:
        second = client.get(report_url(assessment))
    assert second["X-Report-Cache"] == "hit"
    assert second.content == first
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert '"assessments_assessment"."result",' not in read
    assert '"assessments_assessment"."answers"' not in read


def test_changed_answers_and_result_give_a_new_report(
    client: Client,
    make_completed: Callable[..., Assessment],
    complete_again: Callable[..., Assessment],
) -> None:
    assessment = make_completed()
    first = client.get(report_url(assessment))
    complete_again(assessment, monthly_queries=2_000_000)
    second = client.get(report_url(assessment), headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assessment.refresh_from_db()
    changed = sentence_of(assessment.result["recommendation"])
    assert changed in " ".join(pdf_text(second.content).split())
    assert CachedReport.objects.filter(assessment=assessment).count() == 1


def test_render_timeout_gives_the_error_page_and_the_next_render_works(
    client: Client, make_completed: Callable[..., Assessment], monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = make_completed()
    real_render = services._render

    def too_slow(inputs: services.ReportInputs, **kwargs: object) -> bytes:
        return real_render(inputs, timeout_seconds=0.01)

    monkeypatch.setattr(services, "_render", too_slow)
    failed = client.get(report_url(assessment))
    assert failed.status_code == 503
    assert failed["Retry-After"]
    assert b"The PDF report could not be produced" in failed.content
    assert b"Traceback" not in failed.content
    assert not CachedReport.objects.filter(assessment=assessment).exists()

    monkeypatch.setattr(services, "_render", real_render)
    # Remembered for its cache key for a few minutes (issue 15): no second
    # render deadline spent on the same inputs, then rendered again.
    assert client.get(report_url(assessment)).status_code == 503
    cache.clear()
    assert client.get(report_url(assessment)).status_code == 200


def test_render_timeout_raises_from_the_service(make_completed: Callable[..., Assessment]) -> None:
    assessment = make_completed()
    with pytest.raises(PdfRenderTimeout):
        services.render_report_pdf(advice=assessment.result, timeout_seconds=0.01)


def test_render_report_pdf_takes_an_advice_snapshot(
    make_completed: Callable[..., Assessment],
) -> None:
    """The API ``manage.py evaluate --pdf`` uses: a result without an assessment."""
    result = make_completed().result
    pdf = services.render_report_pdf(advice=result, client_name="CLI Client")
    text = pdf_text(pdf)
    assert "CLI Client" in text
    assert sentence_of(result["recommendation"]) in " ".join(text.split())
    assert (
        Question.objects.filter(ruleset__is_current=True).get(key="monthly_queries").prompt in text
    )


def test_file_name_is_sanitised() -> None:
    from datetime import date

    day = date(2026, 1, 2)
    assert services.report_filename('Acme "Ltd" / ../etc', day) == (
        "acme-ltd-etc-llm-deployment-recommendation-2026-01-02.pdf"
    )
    assert services.report_filename("<>", day) == (
        "assessment-llm-deployment-recommendation-2026-01-02.pdf"
    )


def test_the_css_goes_beside_the_html_with_the_checked_accent_colour(
    make_completed: Callable[..., Assessment],
) -> None:
    prepared = services.prepare_assessment_report(assessment=make_completed())
    for colour, expected in (("#AA3300", "#AA3300"), ("red;}*{x", services.DEFAULT_ACCENT_COLOUR)):
        branding = services.Branding(accent_colour=colour)
        document = services.report_document(replace(prepared.inputs, branding=branding))
        assert "<style" not in document.html and "<link" not in document.html
        report_css, accent_css = document.stylesheets
        assert "@page" in report_css and "table-layout: fixed" in report_css
        assert f"thead th {{ border-bottom-color: {expected}; }}" in accent_css
        assert "red;" not in accent_css


def test_the_render_process_parses_each_style_sheet_once() -> None:
    css = "p { color: #123456; }"
    assert _stylesheet(css) is _stylesheet(css)
    assert _stylesheet(css) is not _stylesheet(css + " ")


def test_the_report_cache_key_follows_the_charts_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The chart is drawn by a template and by Python (advisor.reports.charts):
    # its template is hashed with the others, its format version goes in too.
    assert "reports/_cumulative_chart_svg.html" in services.REPORT_TEMPLATES
    services.template_version.cache_clear()
    before = services.template_version()
    monkeypatch.setattr(services, "CHART_FORMAT_VERSION", "next")
    services.template_version.cache_clear()
    try:
        assert services.template_version() != before
    finally:
        services.template_version.cache_clear()
