"""The review step's page: every answer by section, the title form, what cannot be scored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.assessments import usage as usage_import
from advisor.assessments import wizard_display
from advisor.assessments.models import Assessment
from advisor.assessments.review_forms import ReportTitleForm
from advisor.assessments.selectors import Wizard


def review_context(
    *,
    assessment: Assessment,
    wizard: Wizard,
    title_form: ReportTitleForm,
    errors: Mapping[str, str],
) -> dict[str, Any]:
    """The template context of ``assessments/review.html``; ``errors`` by question key."""
    return {
        "assessment": assessment,
        "wizard": wizard,
        "progress": wizard_display.progress(wizard.steps, assessment.saved_steps, current=None),
        "sections": wizard_display.review_sections(
            wizard,
            assessment.answers,
            errors=errors,
            measured=usage_import.measured_keys(assessment),
        ),
        "measured_label": usage_import.MEASURED_LABEL,
        "title_form": title_form,
        "errors": [
            (key, next((spec.prompt for spec in wizard.specs if spec.key == key), key), message)
            for key, message in errors.items()
        ],
    }
