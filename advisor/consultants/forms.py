from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from advisor.assessments.models import CLIENT_NAME_MAX_LENGTH, NOTES_MAX_LENGTH, AssessmentStatus
from advisor.consultants.logo_rendering import render_logo_png
from advisor.consultants.logos import MAX_LOGO_BYTES, InvalidLogo, check_logo
from advisor.consultants.models import ConsultantProfile
from advisor.options import OPTION_LABELS


class BrandingForm(forms.ModelForm[ConsultantProfile]):
    """Firm name, logo and accent colour; the model's validators give the field errors."""

    class Meta:
        model = ConsultantProfile
        fields = ["full_name", "firm_name", "logo", "accent_colour"]
        labels = {
            "full_name": "Your full name",
            "firm_name": "Firm name",
            "accent_colour": "Accent colour",
        }
        help_texts = {
            "full_name": "The reports' “Prepared by” line, e.g. Casey Jordan.",
            "firm_name": "Shown on the cover and in the header of your clients' reports.",
        }
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.svg"}),
            "accent_colour": forms.TextInput(
                attrs={"placeholder": "#1F4E79", "maxlength": 7, "autocomplete": "off"}
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.logo_png: bytes | None = None

    def clean_logo(self) -> Any:
        """A new logo is measured now: drawn into the PNG reports will show, under a deadline."""
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # unchanged, or cleared
        logo.seek(0)
        data = logo.read(MAX_LOGO_BYTES + 1)
        logo.seek(0)
        try:
            info = check_logo(data, filename=PurePath(logo.name or "").name, size=logo.size)
            self.logo_png = render_logo_png(
                data, info, deadline_seconds=settings.LOGO_RENDER_DEADLINE_SECONDS
            )
        except InvalidLogo as error:
            raise forms.ValidationError(str(error), code="invalid_logo") from None
        return logo

    def save(self, commit: bool = True) -> ConsultantProfile:
        profile = super().save(commit=False)
        if self.logo_png is not None:
            profile.logo_rendering.save("logo.png", ContentFile(self.logo_png), save=False)
        elif not profile.logo:
            profile.logo_rendering = ""  # the logo was cleared: so is its rendering
        if commit:
            profile.save()
        return profile

    def clean_accent_colour(self) -> str:
        # Stored upper-case so the same colour is always the same string
        # (it is part of the PDF cache key).
        colour: str = self.cleaned_data["accent_colour"]
        return colour.strip().upper()

    def clean_firm_name(self) -> str:
        firm_name: str = self.cleaned_data["firm_name"]
        return " ".join(firm_name.split())

    def clean_full_name(self) -> str:
        full_name: str = self.cleaned_data["full_name"]
        return " ".join(full_name.split())


class NewAssessmentForm(forms.Form):
    client_name = forms.CharField(
        label="Client name",
        max_length=CLIENT_NAME_MAX_LENGTH,
        help_text="Shown on your dashboard and on the report's cover.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_client_name(self) -> str:
        return " ".join(self.cleaned_data["client_name"].split())


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Private notes",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Only you see these, up to {NOTES_MAX_LENGTH:,} characters.",
    )
    notes_in_report = forms.BooleanField(
        label="Show these notes in the PDF report's appendix",
        required=False,
    )


class DashboardFilterForm(forms.Form):
    """Search and filters from the query string; an invalid value is ignored, not an error."""

    q = forms.CharField(label="Client", required=False, max_length=CLIENT_NAME_MAX_LENGTH)
    recommendation = forms.ChoiceField(
        label="Recommendation",
        required=False,
        choices=[("", "Any recommendation"), *OPTION_LABELS.items()],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *AssessmentStatus.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"query": "", "recommendation": "", "status": ""}
        data = self.cleaned_data
        return {
            "query": data["q"].strip(),
            "recommendation": data["recommendation"],
            "status": data["status"],
        }


class RescoreForm(forms.Form):
    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)
