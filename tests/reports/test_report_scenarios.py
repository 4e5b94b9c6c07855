"""The PDF's "Scenarios" section: every variant, its changes and figures, on a page of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.test import Client
from django.urls import reverse

from advisor.assessments.models import Assessment
from advisor.assessments.scenarios import variant_add
from advisor.reports.services import prepare_assessment_report

from .conftest import page_texts, pdf_text

VARIANTS = (
    ("Volume x3", {"monthly_queries": "x3"}),
    ("Spiky load", {"load_pattern": "spiky"}),
    ("Reserved 3 years", {"gpu_pricing": "reserved_3y"}),
    ("Mini API model", {"api_model": "GPT-4o mini", "monthly_queries": "x0.1"}),
)


def test_the_scenarios_section_lists_every_variant(
    client: Client, make_completed: Callable[..., Assessment], artifacts_dir: Path
) -> None:
    assessment = make_completed()
    for name, overrides in VARIANTS:
        variant_add(assessment=assessment, name=name, overrides=overrides)
    response = client.get(reverse("reports:report_pdf", args=[assessment.token]))
    assert response.status_code == 200
    (artifacts_dir / "report-with-scenarios.pdf").write_bytes(response.content)

    pages = page_texts(response.content)
    scenario_pages = [index for index, text in enumerate(pages) if text.startswith("Scenarios")]
    assert len(scenario_pages) == 1, "one section, starting its own page"
    section = " ".join(pages[scenario_pages[0] : scenario_pages[0] + 2])
    for name, _overrides in VARIANTS:
        assert section.count(name) >= 2, name  # in the list and heading its column
    assert "900,000,000 queries" in section  # "x3" of 300M, in the questionnaire's words
    assert "GPT-4o mini" in section
    assert "As answered" in section and "Recommendation" in section
    assert "Adjusted total over 36 months: Commercial API" in section  # decision model v3
    # The rest of the report is as before.
    assert "Appendix A: the answers" in pdf_text(response.content)


def test_a_new_variant_gives_a_new_report(make_completed: Callable[..., Assessment]) -> None:
    assessment = make_completed()
    before = prepare_assessment_report(assessment=assessment).cache_key
    variant_add(assessment=assessment, name="x2", overrides={"monthly_queries": "x2"})
    assessment.refresh_from_db()
    assert prepare_assessment_report(assessment=assessment).cache_key != before


def test_without_variants_there_is_no_scenarios_section(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed()
    response = client.get(reverse("reports:report_pdf", args=[assessment.token]))
    assert "Scenarios" not in pdf_text(response.content)
