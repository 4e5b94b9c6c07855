from __future__ import annotations

from django import forms

from advisor.consultants.models import ConsultantProfile


class BrandingForm(forms.ModelForm):
    """Firm name, logo and accent colour; the model's validators give the field errors."""

    class Meta:
        model = ConsultantProfile
        fields = ["firm_name", "logo", "accent_colour"]
        labels = {"firm_name": "Firm name", "accent_colour": "Accent colour"}
        help_texts = {"firm_name": "Shown on the cover and in the header of your clients' reports."}
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,.svg"}),
            "accent_colour": forms.TextInput(
                attrs={"placeholder": "#1F4E79", "maxlength": 7, "autocomplete": "off"}
            ),
        }

    def clean_accent_colour(self) -> str:
        # Stored upper-case so the same colour is always the same string
        # (it is part of the PDF cache key).
        return self.cleaned_data["accent_colour"].strip().upper()

    def clean_firm_name(self) -> str:
        return " ".join(self.cleaned_data["firm_name"].split())
