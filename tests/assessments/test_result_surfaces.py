"""One snapshot, every surface: the result page, its chart image, the PDF and ``evaluate``."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from advisor.assessments.comparison import outcome_of
from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.templatetags.assessments import SENTENCES, percent, usd, usd_short
from advisor.options import OPERATOR_OPTION_LABELS, OPTION_LABELS
from advisor.reports import report_sections
from advisor.reports import services as report_services
from advisor.reports.evaluate_text import render_text
from advisor.reports.pdf import RenderJob, render_pdf_here
from advisor.snapshot import CHART_TABLE_STEP_MONTHS, OPTIONS, ResultSnapshot
from advisor.wording import round_significant, share

from ..reports.conftest import pdf_text
from ..test_snapshot import old_shape

WHAT_WOULD_CHANGE = "What would change the answer"


def chart_url(assessment: Assessment) -> str:
    return reverse("assessments:cumulative_chart", args=[assessment.token])


def section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_page_pdf_and_text_of_one_snapshot_say_the_same(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    snapshot = ResultSnapshot.from_dict(assessment.result)
    page = html.unescape(
        client.get(reverse("assessments:result", args=[assessment.token])).content.decode()
    )
    pdf = pdf_text(report_services.render_report_pdf(advice=snapshot))
    text = render_text(snapshot)

    for surface in (page, pdf, text):
        assert percent(snapshot.confidence) in surface
        for option in OPTIONS:
            # Money at three significant figures on the page, to the dollar in
            # the PDF's appendix and the operator's text.
            money = usd_short if surface is page else usd
            assert money(snapshot.tco_usd(option)).lstrip("$") in surface, option
        for code in snapshot.reasons["for"]:
            title = next(rule.title for rule in snapshot.fired_rules if rule.code == code)
            assert title in " ".join(surface.split()), code
        for change in snapshot.what_would_change:
            assert change.text in " ".join(surface.split()), change.key
    recommendation = snapshot.recommendation
    assert recommendation is not None
    assert f'data-recommendation="{recommendation}"' in page
    sentence = SENTENCES[recommendation].split(":")[0].rstrip(".")
    assert sentence in page and sentence in " ".join(pdf.split())
    assert f"Recommendation: {OPERATOR_OPTION_LABELS[recommendation]}" in text


def test_evaluate_pdf_and_the_web_pdf_say_the_same_about_what_would_change(
    client: Client, make_completed: Callable[..., Assessment], tmp_path: Path
) -> None:
    answers = {"monthly_queries": 300_000_000, "load_pattern": "steady", "primary_driver": "cost"}
    assessment = make_completed(answers, client_name="")
    answers_file, cli_pdf = tmp_path / "answers.json", tmp_path / "cli.pdf"
    answers_file.write_text(json.dumps(answers))
    call_command("evaluate", str(answers_file), "--pdf", str(cli_pdf), stdout=StringIO())
    web = client.get(reverse("reports:report_pdf", args=[assessment.token])).content

    web_section = section(pdf_text(web), WHAT_WOULD_CHANGE, "Costs per year")
    cli_section = section(pdf_text(cli_pdf.read_bytes()), WHAT_WOULD_CHANGE, "Costs per year")

    assert cli_section == web_section
    flips = [item for item in assessment.result["what_would_change"] if item["kind"] == "answer"]
    assert flips
    for flip in flips:
        assert flip["text"] in web_section
    assert "No single change" not in web_section


def test_a_sole_compliant_option_reads_the_same_on_the_page_and_in_evaluate(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    # HIPAA without a BAA at volume: only self-hosting is allowed, and it is the cheapest.
    assessment = make_completed(
        {
            "monthly_queries": 300_000_000,
            "load_pattern": "steady",
            "regimes": ["hipaa"],
            "hipaa_baa_sufficient": "no",
            "primary_driver": "cost",
            "has_production_data": True,
            "gpu_ops_experience": "established",
            "planned_serving_stack": "vllm",
        }
    )
    snapshot = ResultSnapshot.from_dict(assessment.result)
    page = " ".join(
        html.unescape(
            client.get(reverse("assessments:result", args=[assessment.token])).content.decode()
        ).split()
    )
    text = " ".join(render_text(snapshot).split())
    change = report_sections.what_would_change(snapshot)

    # Decision model v3: the volumes that would change the answer among the options
    # the gates leave (none here: one is left), not the API-only break-even.
    assert change.volume and not change.volume_note and not change.volume_ranges
    flips = [flip.change for flip in change.flips] or [change.no_flips]
    for sentence in (change.volume_note, *change.volume, *change.volume_ranges, *flips):
        assert sentence in page and sentence in text, sentence
    # The buyer's prose names no statistics: P10 and P90 are under "How this was worked out".
    assert "P10" not in page.split('id="worked-out"')[0]
    assert "P10 to P90" in page.split('id="worked-out"')[1]
    # The brief's warning, titled by what it says, as the strongest reason against.
    # Decision model v3: the reason against is money, what moving to self-hosting costs.
    assert "Strongest reason against: Moving off the closed API is not free" in text
    assert "Less than the commercial API (ruled out)" in page


def test_evaluate_json_lists_what_would_change(seeded: None, tmp_path: Path) -> None:
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({"monthly_queries": 300_000_000, "load_pattern": "steady"}))
    stdout = StringIO()
    call_command("evaluate", str(answers_file), stdout=stdout)

    result = json.loads(stdout.getvalue())

    kinds = {item["kind"] for item in result["what_would_change"]}
    assert "answer" in kinds and kinds <= {"answer", "assumption"}
    assert all(
        set(item) == {"kind", "key", "value", "recommendation", "text"}
        for item in result["what_would_change"]
    )


def test_the_pdf_draws_the_chart_images(
    make_completed: Callable[..., Assessment], caplog: pytest.LogCaptureFixture
) -> None:
    snapshot = ResultSnapshot.from_dict(make_completed().result)
    inputs = report_services.ReportInputs(result=snapshot, answers=snapshot.answers)
    document = report_services.report_document(inputs)
    html_text = document.html

    with caplog.at_level("WARNING", logger="weasyprint"):
        render_pdf_here(
            RenderJob(
                html_text,
                None,
                tuple(str(root) for root in report_services.allowed_roots()),
                document.resources,
                document.stylesheets,
            )
        )

    assert report_services.CHART_URL in html_text
    assert report_services.TORNADO_URL in html_text
    assert not [record for record in caplog.records if "Failed to load image" in record.message]


def test_the_pdf_embeds_the_pages_chart_image_as_it_is(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    snapshot = ResultSnapshot.from_dict(assessment.result)
    inputs = report_services.ReportInputs(result=snapshot, answers=snapshot.answers)

    resources = {url: body for url, body, _ in report_services.report_document(inputs).resources}

    assert resources[report_services.CHART_URL] == client.get(chart_url(assessment)).content
    assert b'id="series-self_host"' in resources[report_services.CHART_URL]


def test_the_chart_is_an_image_beside_its_table(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    page = client.get(reverse("assessments:result", args=[assessment.token])).content.decode()

    assert f'<img class="cost-chart-image" src="{chart_url(assessment)}"' in page
    assert "<svg" not in page.split('id="costs-heading"')[1].split("</figure>")[0]
    assert "The chart's data as a table" in page
    snapshot = ResultSnapshot.from_dict(assessment.result)
    assert f'alt="{html.escape(snapshot.chart_description)}"' in page


def test_the_chart_table_has_a_row_every_step_and_a_column_per_option(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    page = client.get(reverse("assessments:result", args=[assessment.token])).content.decode()
    table = section(page, '<details class="chart-data">', "</details>")
    snapshot = ResultSnapshot.from_dict(assessment.result)

    assert f"every {CHART_TABLE_STEP_MONTHS} months" in table
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    # The charted options: the three projected, and the hosted open model a v3 result costs.
    assert headers == ["Month", *(OPTION_LABELS[option] for option in snapshot.charted_options)]
    rows = re.findall(r'<tr><th scope="row">(\d+)</th>(.*?)</tr>', table)
    assert [int(month) for month, _cells in rows] == [row.month for row in snapshot.chart_table]
    for (_month, cells), row in zip(rows, snapshot.chart_table, strict=True):
        figures = row.usd_by_option
        assert re.findall(r'<td class="text-end">([^<]*)</td>', cells) == [
            html.escape(usd_short(figure)) for figure in figures
        ]


def test_the_chart_image_is_svg_with_an_etag_and_revalidates(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()

    first = client.get(chart_url(assessment))
    again = client.get(chart_url(assessment), headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200
    assert first["Content-Type"] == "image/svg+xml"
    assert first.content.lstrip().startswith(b"<?xml")
    assert b'id="series-self_host"' in first.content
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    assert (again.status_code, again["ETag"]) == (304, first["ETag"])
    assert again.content == b""


def test_the_chart_of_an_unfinished_or_unknown_assessment_is_the_sites_404(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    unfinished = make_completed()
    Assessment.objects.filter(pk=unfinished.pk).update(status=AssessmentStatus.IN_PROGRESS)
    unknown = reverse("assessments:cumulative_chart", args=["x" * 22])

    first, second = client.get(chart_url(unfinished)), client.get(unknown)

    assert first.status_code == second.status_code == 404
    assert first.content == second.content


def test_an_old_stored_result_displays_its_chart_drawn_from_the_numbers(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    snapshot = ResultSnapshot.from_dict(assessment.result)
    Assessment.objects.filter(pk=assessment.pk).update(result=old_shape(snapshot))

    page = client.get(reverse("assessments:result", args=[assessment.token])).content.decode()
    image = client.get(chart_url(assessment))

    assert page.count("<title>stored</title>") == 0
    for change in snapshot.answer_changes:
        assert html.escape(change.text) in page
    assert image.status_code == 200 and b"<title>stored</title>" not in image.content
    assert b'id="series-api"' in image.content


@pytest.mark.parametrize("fresh", [True, False], ids=["new", "old-shape"])
def test_the_csv_export_reads_the_snapshot(
    make_completed: Callable[..., Assessment], fresh: bool
) -> None:
    from advisor.consultants.exports import csv_rows

    assessment = make_completed()
    snapshot = ResultSnapshot.from_dict(assessment.result)
    if not fresh:
        assessment.result = old_shape(snapshot)

    header, row = list(csv_rows([assessment]))
    cells = dict(zip(header, row, strict=True))

    # The option as the pages name it ("Hosted open model"), not its key.
    assert snapshot.recommendation is not None
    assert cells["recommendation"] == OPTION_LABELS[snapshot.recommendation]
    assert cells["confidence"] == share(snapshot.confidence)
    # The total each result was decided on: adjusted under v3, projected before it.
    assert cells["tco_self_host_usd"] == round_significant(
        outcome_of(snapshot).tco_usd["self_host"]
    )
