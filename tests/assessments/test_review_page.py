"""The review page's context: every answer by section, and each unscorable answer by its prompt."""

from __future__ import annotations

from advisor.assessments.models import Assessment
from advisor.assessments.review_forms import ReportTitleForm
from advisor.assessments.review_page import review_context
from advisor.assessments.selectors import wizard_for
from advisor.rules.models import Ruleset
from tests.conftest import HIGH_VOLUME_ANSWERS


def test_errors_read_with_their_questions_prompt_and_sections_list_the_answers(
    brief_ruleset: Ruleset,
) -> None:
    wizard = wizard_for(ruleset=brief_ruleset)
    assessment = Assessment.objects.create(ruleset=brief_ruleset, answers=dict(HIGH_VOLUME_ANSWERS))
    prompt = next(spec.prompt for spec in wizard.specs if spec.key == "monthly_queries")
    context = review_context(
        assessment=assessment,
        wizard=wizard,
        title_form=ReportTitleForm(),
        errors={"monthly_queries": "Enter a whole number.", "gone": "Unknown."},
    )
    assert context["errors"] == [
        ("monthly_queries", prompt, "Enter a whole number."),
        ("gone", "gone", "Unknown."),  # a key no question has reads as itself
    ]
    assert len(context["sections"]) > 1
    assert context["assessment"] is assessment and context["wizard"] is wizard
