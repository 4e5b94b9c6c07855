"""The review step's own question: the buyer's title for the PDF report."""

from __future__ import annotations

from django import forms

from advisor.assessments.models import REPORT_TITLE_MAX_LENGTH


class ReportTitleForm(forms.Form):
    report_title = forms.CharField(
        label="Title for the PDF report (optional)",
        help_text="Shown on the report's cover, e.g. your project's name. "
        "Left empty, the cover carries your client name or a general title.",
        max_length=REPORT_TITLE_MAX_LENGTH,
        required=False,
        strip=True,
        error_messages={
            "max_length": f"Keep the title to {REPORT_TITLE_MAX_LENGTH} characters or fewer."
        },
    )

    def clean_report_title(self) -> str:
        # One line on the cover: line breaks and runs of spaces fold into single spaces.
        return " ".join(self.cleaned_data["report_title"].split())
