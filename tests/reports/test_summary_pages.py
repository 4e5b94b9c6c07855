"""The PDF's executive summary fits its page, and the one-page summary is one page.

Over contrasting results of the scenario library: the most reasons, open
checks, a long client name, the API with its premium, a sole compliant option.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from advisor.assessments.models import Assessment
from advisor.reports.services import render_report_pdf
from advisor.snapshot import ResultSnapshot

from .conftest import page_texts

SCENARIOS = Path(__file__).parents[2] / "advisor/rules/scenarios"
CONTRASTING = (
    "high-volume-steady-mostly-simple",
    "hipaa-baa-unknown-lowers-confidence",
    "fedramp-no-authorized-environment",
    "frontier-required-with-mini-api-model",
    "low-volume-no-compliance",
)
LONG_CLIENT = "Northwind Regional Health Cooperative and Affiliated Clinics of the Upper Valley"


def answers_of(name: str) -> dict[str, object]:
    return dict(json.loads((SCENARIOS / f"{name}.json").read_text())["answers"])


@pytest.mark.parametrize("name", CONTRASTING)
def test_the_executive_summary_fits_its_page(
    name: str, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed(answers_of(name), client_name=LONG_CLIENT)
    text = page_texts(
        render_report_pdf(
            advice=ResultSnapshot.from_dict(assessment.result), client_name=LONG_CLIENT
        )
    )
    assert "Executive summary" in text[1]
    # Page 3 starts with the next section's heading, not with a line of the
    # summary that did not fit (the running header and footer taken out).
    third = text[2]
    for running in (LONG_CLIENT, "LLM Deployment Advisor", "LLM deployment recommendation"):
        third = third.replace(running, "")
    third = re.sub(r"Page 3 of \d+", "", third).strip()
    assert third.startswith("The reasons"), third[:200]


@pytest.mark.parametrize("name", CONTRASTING)
def test_the_one_page_summary_is_one_page(
    name: str, make_completed: Callable[..., Assessment], client: Client
) -> None:
    assessment = make_completed(answers_of(name), client_name=LONG_CLIENT)
    response = client.get(f"/a/{assessment.token}/summary.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        "-summary-" + response["Content-Disposition"][-15:]
    )
    text = page_texts(response.content)
    assert len(text) == 1
    assert "llm deployment recommendation · summary" in text[0].lower()
    assert "Prepared by" in text[0]
