"""advisor.rules.reasons (pure) and where its sentences are shown: page, PDF HTML, CLI text."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from advisor.assessments.models import Assessment
from advisor.reports import services as report_services
from advisor.rules.reasons import reasons_summary
from advisor.rules.services import advice_for_answers
from advisor.snapshot import ResultSnapshot

# Decision model v2 (score points): the seeded v5 ruleset, made current.
pytestmark = pytest.mark.usefixtures("v2_current")

ON_PREMISES = {
    "monthly_queries": 2_000_000,
    "data_residency": "on_premises",
    "has_production_data": True,
}
NO_DATA_YET = {
    "monthly_queries": 60_000_000,
    "load_pattern": "steady",
    "has_production_data": False,
}
FEDRAMP = {"monthly_queries": 5_000_000, "regimes": ["fedramp"], "has_production_data": True}


def scored(answers: dict[str, Any]) -> ResultSnapshot:
    """A result as an assessment stores it, read back."""
    return ResultSnapshot.from_dict(advice_for_answers(answers=answers).to_dict())


def test_a_snapshot_from_before_decision_model_v2_is_not_split() -> None:
    summary = reasons_summary(
        ResultSnapshot.from_dict({"fired_rules": [{"code": "a", "title": "A"}]})
    )
    assert not summary.split
    assert summary.strongest_for == ()


def test_a_gate_leaves_one_option_and_says_what_the_excluded_ones_cost(seeded: None) -> None:
    summary = reasons_summary(scored(ON_PREMISES))
    assert [rule.code for rule in summary.strongest_for] == ["residency-on-premises"]
    assert summary.strongest_against is not None
    assert summary.strongest_against.code == "cost-evidence-in-proportion"
    api_line = summary.cheaper[0]
    assert api_line.startswith("The API would cost $")
    assert (
        "less than self-hosting over 36 months, but it is ruled out: The data must stay" in api_line
    )


def test_a_dearer_recommendation_says_why_in_money(seeded: None) -> None:
    summary = reasons_summary(scored(NO_DATA_YET))
    [self_host, hybrid] = summary.cheaper
    assert self_host.startswith("Self-hosting would cost $")
    assert "the API is recommended all the same because of:" in self_host
    assert "No production data yet" in self_host
    assert hybrid.startswith("The hybrid would cost $")
    assert [step.asked for step in summary.steps] == [True, False]


def test_an_unknown_follow_up_reads_as_conditional_advice(seeded: None) -> None:
    [sentence] = reasons_summary(scored(FEDRAMP)).open_questions
    assert sentence.startswith("Check first: Is the model you need offered in an environment")
    assert sentence.endswith("If yes, the API; if no, self-hosting.")


def test_the_result_page_shows_both_questions_and_the_reason_against(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed(NO_DATA_YET)
    response = client.get(reverse("assessments:result", args=[assessment.token]))
    text = html.unescape(response.content.decode())
    assert "The API, or run your own models?" in text
    assert "Not asked (the API is recommended); had you run your own: self-hosting" in text
    assert "Strongest reason against:</strong> What the projected costs say." in text
    assert "Self-hosting would cost $" in text


def test_the_pdf_lists_only_reasons_for_among_its_strongest(
    make_completed: Callable[..., Assessment],
) -> None:
    assessment = make_completed(ON_PREMISES)
    inputs = report_services.ReportInputs(
        result=ResultSnapshot.from_dict(assessment.result), answers=assessment.answers,
        client_name="", notes="",
        prepared_on=assessment.completed_at.date(), branding=report_services.Branding(),
        answer_sections=[],
    )  # fmt: skip
    context = report_services.report_context(inputs)
    assert [rule.code for rule in context["strongest_reasons"]] == ["residency-on-premises"]
    # The report binds a sentence's last two words with a no-break space (no lone word).
    page = html.unescape(report_services.report_html(inputs)).replace("\xa0", " ")
    summary = page.split('id="summary"')[1].split('id="reasons"')[0]
    assert "Reasons for it" in summary
    assert "Strongest reason against:</strong> What the projected costs say." in summary
    assert "What the projected costs say.</strong>" not in summary  # not listed as a reason for


def test_the_text_format_lists_for_and_against(seeded: None, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(NO_DATA_YET), encoding="utf-8")
    stdout = StringIO()
    call_command("evaluate", str(answers), "--format", "text", stdout=stdout)
    text = stdout.getvalue()
    assert "For and against:" in text
    assert "    - What the projected costs say" in text
    assert "Strongest reason against: What the projected costs say" in text
