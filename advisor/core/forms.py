"""The sign-in form for consultants (and staff)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

# Usernames are at most 150 characters (Django's model); no password we
# accept is longer than this, and hashing megabytes is a denial of service.
PASSWORD_MAX_LENGTH = 256


class SignInForm(AuthenticationForm):
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
