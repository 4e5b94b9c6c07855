"""A consultant's personal API tokens: create (the secret shown once), list, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from advisor.api.models import TOKEN_NAME_MAX_LENGTH
from advisor.api.tokens import token_create, token_revoke, tokens_of
from advisor.consultants.views import consultant_required
from advisor.core.http import SignedInHtmxHttpRequest

TEMPLATE = "consultants/api_tokens.html"


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=TOKEN_NAME_MAX_LENGTH,
        help_text="What it is for, e.g. 'CI pipeline' or 'Jupyter': to tell your tokens apart.",
    )


@consultant_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request: SignedInHtmxHttpRequest) -> HttpResponse:
    """The list, and a new token: its secret is on this one answer and never again."""
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        _token, secret = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    context = {"form": form, "tokens": tokens_of(user=request.user), "secret": secret}
    return render(request, TEMPLATE, context)


@consultant_required
@require_POST
def api_token_revoke(request: SignedInHtmxHttpRequest, token_id: int) -> HttpResponse:
    if token_revoke(user=request.user, token_id=token_id):
        messages.success(request, "Token revoked: calls with it are refused from now on.")
    return redirect("consultants:api_tokens")
