from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from advisor.consultants.forms import BrandingForm
from advisor.consultants.services import is_consultant, profile_for_user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """A consultant edits the branding their clients' PDF reports carry."""
    if not is_consultant(request.user):
        raise PermissionDenied("Only consultants have a branding profile.")
    instance = profile_for_user(user=request.user)  # type: ignore[arg-type]
    form = BrandingForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your branding is saved; new reports will carry it.")
        return redirect("consultants:profile")
    # An invalid form comes back with status 200 (htmx swaps only 2xx).
    return render(request, "consultants/profile.html", {"form": form, "profile": instance})
