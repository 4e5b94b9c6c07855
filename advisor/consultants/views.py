"""The consultants' workspace: dashboard, new assessment, notes, re-scoring, export, branding.

Every view here needs a signed-in consultant (anonymous: the sign-in page;
anyone else, staff included: 403, staff use Django admin). An assessment
is looked up among the consultant's own only, so another consultant's is
a 404, the same answer as a token that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from advisor.assessments import wizard_display
from advisor.assessments.models import Assessment
from advisor.assessments.scenario_forms import ScenarioForm
from advisor.assessments.selectors import (
    assessments_for_dashboard,
    assessments_for_export,
    owned_assessment,
    past_results_of,
    wizard_for,
)
from advisor.assessments.services import (
    RescoreChanged,
    RescoreNotPossible,
    assessment_lock,
    assessment_rescore,
    assessment_rescore_preview,
    assessment_start,
    assessment_unlock,
    assessment_update_notes,
)
from advisor.assessments.write_guard import WriteRefused
from advisor.consultants.exports import assessments_csv
from advisor.consultants.forms import (
    BrandingForm,
    DashboardFilterForm,
    NewAssessmentForm,
    NotesForm,
    RescoreForm,
)
from advisor.consultants.selectors import current_ruleset_id, logo_png_of
from advisor.consultants.services import is_consultant, profile_for_user
from advisor.core.htmx import partial_or_page
from advisor.core.http import SignedInHtmxHttpRequest
from advisor.core.rate_limits import limit_assessment_start
from advisor.options import OPTION_LABELS
from advisor.reports.report_sections import uncertainty_view
from advisor.reports.scenario_section import (
    ScenarioSection,
    add_from_post,
    remove_from_post,
    scenario_section,
)
from advisor.rules.services import NoCurrentRuleset, current_ruleset
from advisor.snapshot import ResultSnapshot

View = Callable[..., HttpResponse]


def consultant_required(view: View) -> View:
    """Signed in (else the sign-in page) and a consultant (else 403); never cached."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_consultant(request.user):
            raise PermissionDenied("This page is for consultants.")
        return view(request, *args, **kwargs)

    return login_required(never_cache(checked))


DASHBOARD = "consultants/dashboard.html"


@consultant_required
@require_GET
def dashboard(request: SignedInHtmxHttpRequest) -> HttpResponse:
    # The filters ask htmx for the results only.
    context = _dashboard_context(request, NewAssessmentForm())
    return partial_or_page(request, DASHBOARD, context, partial="results")


@consultant_required
@require_POST
def assessment_new(request: SignedInHtmxHttpRequest) -> HttpResponse:
    """A new assessment for a named client; then its page with the link to send."""
    form = NewAssessmentForm(request.POST)
    if not form.is_valid():
        return render(request, DASHBOARD, _dashboard_context(request, form))
    limit_assessment_start(request)
    try:
        ruleset = current_ruleset()
    except NoCurrentRuleset:
        return render(request, "assessments/unavailable.html", status=503)
    assessment = assessment_start(
        ruleset=ruleset, owner=request.user, client_name=form.cleaned_data["client_name"]
    )
    messages.success(request, "Assessment created: send the link below to your client.")
    return redirect("consultants:assessment", token=assessment.token)


@consultant_required
@require_GET
def assessment_detail(request: SignedInHtmxHttpRequest, token: str) -> HttpResponse:
    assessment = owned_assessment(token=token, user=request.user)
    form = NotesForm(
        initial={"notes": assessment.notes, "notes_in_report": assessment.notes_in_report}
    )
    return render(
        request, "consultants/assessment.html", _detail_context(request, assessment, form)
    )


@consultant_required
@require_POST
def assessment_notes(request: SignedInHtmxHttpRequest, token: str) -> HttpResponse:
    assessment = owned_assessment(token=token, user=request.user)
    form = NotesForm(request.POST)
    saved = False
    if form.is_valid():
        assessment = assessment_update_notes(
            assessment=assessment,
            notes=form.cleaned_data["notes"],
            notes_in_report=form.cleaned_data["notes_in_report"],
        )
        saved = True
        if not request.htmx:
            messages.success(request, "Notes saved.")
            return redirect("consultants:assessment", token=token)
    context = {**_detail_context(request, assessment, form), "notes_saved": saved}
    # htmx swaps only the notes card; an invalid form answers 200 (htmx 2 ignores 4xx).
    return partial_or_page(request, "consultants/assessment.html", context, partial="notes")


@consultant_required
@require_POST
def assessment_scenario_add(request: SignedInHtmxHttpRequest, token: str) -> HttpResponse:
    """Add a named variant to the comparison (the buyer's page does the same)."""
    assessment = owned_assessment(token=token, user=request.user)
    form, notice = add_from_post(request, assessment)
    return _scenarios_answer(request, assessment, form=form, notice=notice)


@consultant_required
@require_POST
def assessment_scenario_remove(request: SignedInHtmxHttpRequest, token: str) -> HttpResponse:
    assessment = owned_assessment(token=token, user=request.user)
    notice = remove_from_post(request, assessment)
    return _scenarios_answer(request, assessment, form=None, notice=notice)


@consultant_required
@require_http_methods(["GET", "POST"])
def assessment_rescore_view(request: SignedInHtmxHttpRequest, token: str) -> HttpResponse:
    """GET: what re-scoring would change. POST: accept exactly that (history keeps the old)."""
    assessment = owned_assessment(token=token, user=request.user)
    if request.method == "POST":
        form = RescoreForm(request.POST)
        if form.is_valid():
            try:
                assessment_rescore(
                    assessment=assessment,
                    fingerprint=form.cleaned_data["fingerprint"],
                    user=request.user,
                )
            except RescoreChanged:
                messages.warning(
                    request,
                    "The result changed again since you looked (new prices or rules): "
                    "please review the differences below before accepting.",
                )
            except RescoreNotPossible as error:
                messages.error(request, error.message)
                return redirect("consultants:assessment", token=token)
            else:
                messages.success(request, "Re-scored. The previous result is kept in the history.")
                return redirect("consultants:assessment", token=token)
    try:
        preview = assessment_rescore_preview(assessment=assessment)
    except RescoreNotPossible as error:
        context = {"assessment": assessment, "error": error, "labels": OPTION_LABELS}
        return render(request, "consultants/rescore.html", context)
    context = {
        "assessment": assessment,
        "preview": preview,
        "diff": preview.diff,
        "form": RescoreForm(initial={"fingerprint": preview.fingerprint}),
        "labels": OPTION_LABELS,
    }
    return render(request, "consultants/rescore.html", context)


@consultant_required
@require_POST
def assessment_lock_view(request: SignedInHtmxHttpRequest, token: str) -> HttpResponse:
    """Lock a delivered assessment (the client's answers become read-only), or unlock it."""
    assessment = owned_assessment(token=token, user=request.user)
    if request.POST.get("action") == "unlock":
        assessment_unlock(assessment=assessment)
        messages.success(
            request,
            "Unlocked: your client can change answers again. The current result stays in "
            "the history when they complete it again.",
        )
    else:
        try:
            assessment_lock(assessment=assessment, user=request.user)
        except WriteRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "Locked: your client can read the result but not change it.")
    return redirect("consultants:assessment", token=token)


@consultant_required
@require_GET
def export_csv(request: SignedInHtmxHttpRequest) -> HttpResponse:
    """All of the consultant's assessments (and nobody else's) as CSV."""
    body = assessments_csv(assessments_for_export(user=request.user))
    response = HttpResponse(
        # A BOM so that Excel reads the file as UTF-8 (client names are not all ASCII).
        "\ufeff" + body,
        content_type="text/csv; charset=utf-8",
    )
    filename = f"llm-deployment-assessments-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: SignedInHtmxHttpRequest) -> HttpResponse:
    """A consultant edits the branding their clients' PDF reports carry."""
    if not is_consultant(request.user):
        raise PermissionDenied("Only consultants have a branding profile.")
    instance = profile_for_user(user=request.user)
    form = BrandingForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your branding is saved; new reports will carry it.")
        return redirect("consultants:profile")
    # An invalid form comes back with status 200 (htmx swaps only 2xx).
    return render(request, "consultants/profile.html", {"form": form, "profile": instance})


@require_safe
def logo(request: HttpRequest, profile_id: int) -> HttpResponse:
    """A consultant's logo as their clients' pages and reports show it (the measured PNG)."""
    png = logo_png_of(profile_id=profile_id)
    if png is None:
        raise Http404("No logo.")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- helpers ------------------------------------------------------------------


def _dashboard_context(
    request: SignedInHtmxHttpRequest, new_form: NewAssessmentForm
) -> dict[str, Any]:
    filters = DashboardFilterForm(request.GET)
    page = assessments_for_dashboard(
        user=request.user, **filters.filters(), page=request.GET.get("page")
    )
    return {
        "filters": filters,
        "page": page,
        "new_form": new_form,
        "labels": OPTION_LABELS,
        "current_ruleset_id": current_ruleset_id(),
    }


def _scenarios_answer(
    request: SignedInHtmxHttpRequest,
    assessment: Assessment,
    *,
    form: ScenarioForm | None,
    notice: str,
) -> HttpResponse:
    """htmx: the section alone. Without it: back to the page, or the page with the form's errors."""
    if request.htmx:
        section = _scenario_section(assessment, form=form, notice=notice, focus_table=form is None)
        return render(request, "assessments/_scenarios.html", {"section": section})
    if form is None:
        messages.info(request, notice)
        url = reverse("consultants:assessment", args=[assessment.token])
        return redirect(f"{url}#scenarios")
    notes = NotesForm(
        initial={"notes": assessment.notes, "notes_in_report": assessment.notes_in_report}
    )
    context = _detail_context(request, assessment, notes, scenario_form=form)
    return render(request, "consultants/assessment.html", context)


def _scenario_section(
    assessment: Assessment,
    *,
    form: ScenarioForm | None = None,
    notice: str = "",
    focus_table: bool = False,
) -> ScenarioSection | None:
    """The comparison for a completed assessment (variants compare with its result)."""
    if not assessment.is_completed or assessment.result is None:
        return None
    return scenario_section(
        assessment=assessment,
        add_url=reverse("consultants:assessment_scenario_add", args=[assessment.token]),
        remove_url=reverse("consultants:assessment_scenario_remove", args=[assessment.token]),
        form=form,
        notice=notice,
        focus_table=focus_table,
    )


def _detail_context(
    request: SignedInHtmxHttpRequest,
    assessment: Assessment,
    form: NotesForm,
    *,
    scenario_form: ScenarioForm | None = None,
) -> dict[str, Any]:
    link = request.build_absolute_uri(reverse("assessments:resume", args=[assessment.token]))
    wizard = wizard_for(ruleset=assessment.ruleset)
    history = past_results_of(assessment=assessment)
    pending = (
        wizard_display.pending_answer_changes(
            wizard, (assessment.result or {}).get("answers") or {}, assessment.answers
        )
        if assessment.changed_after_delivery
        else []
    )
    return {
        "assessment": assessment,
        "link": link,
        "notes_form": form,
        "history": wizard_display.history_rows(wizard, assessment, history),
        "pending_changes": pending,
        "labels": OPTION_LABELS,
        "is_newer_ruleset_published": current_ruleset_id() not in (None, assessment.ruleset_id),
        "scenarios": _scenario_section(assessment, form=scenario_form),
        # The totals and the answers, as the client's result page and review show them.
        "costs_view": (
            uncertainty_view(ResultSnapshot.from_dict(assessment.result))
            if assessment.result
            else None
        ),
        "answer_sections": wizard_display.review_sections(
            wizard,
            assessment.answers,
            scored=(assessment.result or {}).get("answers") or None,
        ),
    }
