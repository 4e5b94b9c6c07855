"""A consultant's branding: the firm, logo and accent colour their clients' reports carry."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import RegexValidator
from django.db import models

from advisor.consultants.logos import MAX_LOGO_BYTES, InvalidLogo, check_logo

CONSULTANTS_GROUP = "Consultants"
FIRM_NAME_MAX_LENGTH = 120
DEFAULT_ACCENT_COLOUR = "#1F4E79"

accent_colour_validator = RegexValidator(
    r"^#[0-9A-Fa-f]{6}\Z", "Enter a colour as # and six hex digits, for example #1F4E79."
)


def validate_logo(file: File[bytes]) -> None:
    """Model-level check, so admin and the profile form refuse the same files."""
    file.seek(0)
    # One byte over the limit is enough for check_logo to say "too large";
    # the real size (also of a file cut off while uploading) is in the message.
    data = file.read(MAX_LOGO_BYTES + 1)
    file.seek(0)
    try:
        check_logo(data, filename=PurePath(file.name or "").name, size=_size_of(file))
    except InvalidLogo as error:
        raise ValidationError(str(error), code="invalid_logo") from None


def _size_of(file: File[bytes]) -> int | None:
    try:
        return int(file.size)
    except (AttributeError, TypeError, ValueError, OSError):
        return None


def logo_upload_to(instance: ConsultantProfile, filename: str) -> str:
    # The stored name is ours, never the uploader's: only the (validated)
    # extension is kept.
    extension = PurePath(filename).suffix.lower()
    return f"consultant-logos/{uuid.uuid4().hex}{extension}"


class ConsultantProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant_profile"
    )
    # The "Prepared by" line of the reports: the consultant's name as they sign.
    full_name = models.CharField(max_length=FIRM_NAME_MAX_LENGTH, blank=True)
    firm_name = models.CharField(max_length=FIRM_NAME_MAX_LENGTH, blank=True)
    logo = models.FileField(
        upload_to=logo_upload_to,
        blank=True,
        validators=[validate_logo],
        help_text="PNG, JPEG or SVG, at most 512 KB and 2000 x 2000 pixels.",
    )
    # The logo as every report shows it: drawn once at upload, under a
    # deadline, into a small PNG (advisor/consultants/logo_rendering.py).
    # Empty for a logo that was never measured (uploaded before this
    # existed, or put there by hand): reports then leave the logo out.
    logo_rendering = models.FileField(upload_to=logo_upload_to, blank=True, editable=False)
    accent_colour = models.CharField(
        max_length=7,
        blank=True,
        validators=[accent_colour_validator],
        help_text="Headings and rules in your clients' PDF reports, e.g. #1F4E79.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "consultant profile"

    def __str__(self) -> str:
        return self.firm_name or f"Profile of {self.user}"

    @property
    def logo_needs_upload_again(self) -> bool:
        """A logo on file that reports cannot show, because it was never measured."""
        return bool(self.logo) and not self.logo_rendering

    @property
    def display_name(self) -> str:
        """The consultant's name as the report's "prepared by" line shows it.

        Their own full name from the branding page, else the account's, and
        the user name only when neither is set.
        """
        return self.full_name or self.user.get_full_name() or self.user.get_username()
