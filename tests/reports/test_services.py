"""What a client reads in the redesigned PDF: cover, one-page summary, wording, defaults."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from defusedxml.ElementTree import fromstring

from advisor.assessments.models import Assessment
from advisor.assessments.templatetags.assessments import SENTENCES
from advisor.costs.models import GpuOffering
from advisor.reports import report_sections, services
from advisor.reports.report_sections import confidence_words
from advisor.rules.preview import SCENARIOS_DIR
from advisor.snapshot import ResultSnapshot
from advisor.wording import usd_short

from .conftest import page_texts, pdf_text

SCENARIOS = SCENARIOS_DIR


@pytest.fixture
def report(make_completed: Callable[..., Assessment]) -> tuple[Assessment, list[str]]:
    assessment = make_completed(client_name="Acme Health", report_title="Project Atlas")
    prepared = services.prepare_assessment_report(assessment=assessment)
    return assessment, page_texts(services.assessment_report_pdf(report=prepared))


def test_cover_carries_title_client_recommendation_and_three_key_figures(
    report: tuple[Assessment, list[str]],
) -> None:
    assessment, pages = report
    cover = pages[0]
    assert "Project Atlas" in cover
    assert "Prepared for Acme Health" in cover
    recommendation = assessment.result["recommendation"]
    assert SENTENCES[recommendation].split(":")[0].rstrip(".") in " ".join(cover.split())
    figures = report_sections.key_figures(ResultSnapshot.from_dict(assessment.result))
    assert len(figures) == 3
    for figure in figures:
        assert figure.value in cover, figure
    # The figure the decision compared: the adjusted cost (decision model v3).
    tco = assessment.result["costs"]["options"][recommendation]["adjusted_tco_usd"]
    assert figures[0].value == usd_short(tco)  # three significant figures, e.g. "$4.46M"


def test_executive_summary_is_one_page_with_reasons_chart_and_tornado(
    report: tuple[Assessment, list[str]],
) -> None:
    _, pages = report
    summary = pages[1]
    assert summary.startswith("Executive summary ")
    confidence = report[0].result["confidence"]
    assert f"Confidence: {confidence_words(confidence)} ({confidence:.0%})" in summary
    assert "Reasons for it" in summary
    assert "Strongest reason against" in summary
    assert "Cumulative cost over 36 months" in summary
    assert "P10" not in summary and "P90" not in summary  # statistics stay in the appendix
    assert "What the costs depend on most" in summary
    # The next section starts on the very next page: the summary did not spill over.
    assert "The reasons" in pages[2][:120]


def test_the_summary_tornado_is_an_image_with_alt_text_and_its_figures_a_table(
    make_completed: Callable[..., Assessment],
) -> None:
    prepared = services.prepare_assessment_report(assessment=make_completed())
    document = services.report_document(prepared.inputs)
    html = document.html
    assert "<svg" not in html
    image = re.search(r'<img class="tornado-chart" src="([^"]+)" alt="([^"]+)"', html)
    assert image is not None and image.group(1) == services.TORNADO_URL
    # The recommendation against the runner-up (decision model v3), both named.
    assert re.match(
        r"What moves the cost of (.+) against (.+?): the cost of \1 relative to \2 over the "
        r"horizon, ",
        image.group(2),
    )
    # The image is a document of its own, one bar per input of the figures' table.
    svg = dict((url, body) for url, body, _ in document.resources)[services.TORNADO_URL]
    bars = fromstring(svg).findall(".//{http://www.w3.org/2000/svg}rect")
    table = html.split('<table class="tornado-table">')[1].split("</table>")[0]
    assert len(bars) == table.count('<tr><th scope="row">') > 0


def test_prose_money_has_three_significant_figures_and_only_appendix_has_dollars(
    report: tuple[Assessment, list[str]],
) -> None:
    _, pages = report
    appendix_b = next(index for index, text in enumerate(pages) if "Appendix B" in text)
    before = " ".join(pages[:appendix_b])
    # Money to the dollar ("$16,514,313") appears nowhere before the monthly appendix,
    # except in the assumptions' own sources and values (prices as published).
    assumptions = next(index for index, text in enumerate(pages) if "Assumptions and" in text)
    assert not re.search(r"\$\d{1,3},\d{3},\d{3}", " ".join(pages[:assumptions]))
    assert re.search(r"\$\d{1,3},\d{3},\d{3}", " ".join(pages[appendix_b:]))
    assert "Costs per year" in before and "Year 1" in before


def test_answers_left_at_their_defaults_are_marked(
    make_completed: Callable[..., Assessment],
) -> None:
    assessment = make_completed(client_name="Acme Health")
    prepared = services.prepare_assessment_report(assessment=assessment)
    inputs = replace(
        prepared.inputs,
        answer_sections=services._answer_sections(assessment.ruleset, assessment.answers),
    )
    html = services.report_html(inputs)
    listed = [item for section in inputs.answer_sections for item in section.items]
    defaulted = [item for item in listed if item.key not in assessment.answers]
    given = [item for item in listed if item.key in assessment.answers]
    assert defaulted and given
    assert f"left at its default ({len(defaulted)} answers)" in html
    # One marker per defaulted answer, plus the one in the legend above the tables.
    assert html.count('<span class="tag muted marker">default</span>') == len(defaulted) + 1
    text = pdf_text(services.assessment_report_pdf(report=prepared))
    # A defaulted answer carries the marker; one the buyer gave does not.
    assert "average query send (prompt, context, retrieved documents)? 1,500 tokens default" in text
    assert "300,000,000 queries/month default" not in text
    assert "300,000,000 queries/month" in text


def test_the_appendix_shows_what_the_cost_model_chose_not_not_answered(
    make_completed: Callable[..., Assessment],
) -> None:
    # No GPU and no pricing given: the capacity planner picked the GPU, the load the pricing.
    assessment = make_completed(client_name="Acme Health")
    assert "gpu" not in assessment.answers and "gpu_pricing" not in assessment.answers
    report = services.prepare_assessment_report(assessment=assessment)
    text = " ".join(pdf_text(services.assessment_report_pdf(report=report)).split())

    scored = assessment.result["answers"]
    gpu = GpuOffering.objects.get(key=scored["gpu"]).name
    assert "Not answered" not in text
    assert re.search(rf"Which GPU would you run on\? {re.escape(gpu)} \(\$[\d.]+/h\) default", text)
    assert "How would you pay for the GPUs? Rent on demand default" in text


def test_no_plural_after_one(report: tuple[Assessment, list[str]]) -> None:
    _, pages = report
    text = " ".join(pages)
    # The report does say "1 engineer" and "1 replica" (the assumptions table), so the
    # check below for a plural after one reads text where the mistake could occur.
    assert "1 engineer " in text
    assert "1 replica " in text
    for wrong in ("1 engineers", "1 replicas", "1 months", "1 GPUs", "1 answers"):
        assert not re.search(rf"(?<![\d.,]){wrong}\b", text), wrong


@pytest.mark.parametrize(
    "scenario", ["hipaa-baa-insufficient.json", "low-volume-no-compliance.json"]
)
def test_cli_report_marks_defaults_from_the_snapshot(scenario: str, brief_ruleset: object) -> None:
    """``evaluate --pdf``: no assessment, the snapshot's ``given_answers`` mark the defaults."""
    import json

    from advisor.rules.services import advice_for_answers

    answers = json.loads((SCENARIOS / scenario).read_text())["answers"]
    advice = advice_for_answers(answers=answers, ruleset=brief_ruleset)
    result = advice.to_dict()
    assert set(result["given_answers"]) == set(answers)
    text = pdf_text(services.render_report_pdf(advice=advice))
    assert "Where to run your LLM workload" in text  # no client, no title: a real title
    assert "Appendix A: the answers" in text
    # "default" after an answer left out of the file, and not after the volume it gives.
    assert re.search(
        r"average query send \(prompt, context, retrieved documents\)\? [\d,]+ tokens default", text
    )
    assert re.search(r"queries/month default", text) is None
    assert not re.search(r"(?<![\d.,])1 (engineers|replicas)\b", text)


def test_the_monthly_appendix_says_whether_the_api_bridges_the_build_out(
    make_completed: Callable[..., Assessment],
) -> None:
    from tests.conftest import HIGH_VOLUME_ANSWERS

    gated = make_completed(
        {**HIGH_VOLUME_ANSWERS, "regimes": ["hipaa"], "hipaa_baa_sufficient": "no"}
    )
    for assessment, expected in (
        (gated, "The API is ruled out, so it carries no traffic during the build-out"),
        (make_completed(), "During build-out, self-hosting and the hybrid still pay the API."),
    ):
        report = services.prepare_assessment_report(assessment=assessment)
        html = services.report_html(report.inputs)
        assert expected in html
