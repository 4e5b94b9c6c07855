"""The wizard and result pages: small views over the services and selectors.

Every page is a full page on a direct load and a partial
(``template#partial``, django-template-partials) when htmx asks for it.
Nothing here is cached (answers are confidential): ``never_cache`` sends
``Cache-Control: no-store`` and the templates turn htmx's history cache off.
htmx 2 does not swap 4xx responses, so an invalid form answers 200.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import parse_etags
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from django_htmx.http import HttpResponseClientRedirect, push_url

from advisor.assessments import usage as usage_import
from advisor.assessments import wizard_display
from advisor.assessments.forms import NUMBER_TYPES, StepForm, format_answer
from advisor.assessments.models import Assessment
from advisor.assessments.result_cache import RESULT_FRAGMENT_SECONDS, result_fragment_key
from advisor.assessments.review_forms import ReportTitleForm
from advisor.assessments.review_page import review_context
from advisor.assessments.scenario_forms import ScenarioForm
from advisor.assessments.selectors import Wizard, assessment_for_visitor, wizard_for
from advisor.assessments.services import (
    AssessmentIncomplete,
    StepOutOfOrder,
    assessment_request_new_version,
    assessment_save_step,
    assessment_start,
    assessment_submit_review,
)
from advisor.assessments.steps import Move, Step, decide_step, resume_index, step_index
from advisor.assessments.write_guard import LOCKED_MESSAGE, Write, check_write
from advisor.core.htmx import partial_or_page
from advisor.core.http import HtmxHttpRequest
from advisor.core.rate_limits import (
    STEP_LIVE,
    STEP_POST,
    USAGE_POST,
    limit_assessment_start,
    limit_posts,
    step_live_rate,
    step_post_rate,
    usage_post_rate,
)
from advisor.reports.chart_images import chart_etag, cumulative_chart_svg
from advisor.reports.charts import CHART_SIZES, DESKTOP
from advisor.reports.report_sections import uncertainty_view
from advisor.reports.scenario_section import (
    ScenarioSection,
    add_from_post,
    new_form,
    remove_from_post,
    scenario_section,
)
from advisor.rules.answers import QuestionSpec
from advisor.rules.services import NoCurrentRuleset, current_ruleset
from advisor.snapshot import ResultSnapshot
from advisor.usage import FORMAT_LABELS, FORMATS, UsageFileError

# A step posts a few hundred bytes; anything much larger is not a person typing.
MAX_POST_BYTES = 16_384
SHOWN_FIELD = "_shown"
TOO_LARGE_MESSAGE = "That form was too large to process, so nothing was saved. Please try again."
FOLLOW_UP_NOTICE = "Your answers added a follow-up question below. Please answer it, then continue."


class SeeOther(HttpResponseRedirect):
    """303: after a POST the browser (and htmx's XHR) follows with a GET."""

    status_code = 303


@require_POST
def start(request: HtmxHttpRequest) -> HttpResponse:
    limit_assessment_start(request)
    try:
        ruleset = current_ruleset()
    except NoCurrentRuleset:
        return render(request, "assessments/unavailable.html", status=503)
    assessment = assessment_start(ruleset=ruleset, owner=request.user)
    return SeeOther(reverse("assessments:resume", args=[assessment.token]))


@never_cache
@require_GET
def resume(request: HtmxHttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_visitor(token=token, user=request.user)
    if assessment.is_completed:
        return SeeOther(reverse("assessments:result", args=[token]))
    return SeeOther(_resume_url(assessment, wizard_for(ruleset=assessment.ruleset)))


@never_cache
@require_http_methods(["GET", "POST"])
@limit_posts(group=STEP_POST, rate=step_post_rate)
def step(request: HtmxHttpRequest, token: str, slug: str) -> HttpResponse:
    assessment = assessment_for_visitor(token=token, user=request.user)
    if assessment.is_locked:
        return _read_only(request, assessment)
    wizard = wizard_for(ruleset=assessment.ruleset)
    current = wizard.step(slug)
    if current is None:
        raise Http404("No such step")
    if _ahead_of_resume(wizard, assessment, slug):
        # Out of order: refuse without writing and send the buyer where they left off.
        if request.method == "POST":
            messages.warning(request, "Please answer this step first: nothing was saved.")
        return SeeOther(_resume_url(assessment, wizard))
    if request.method == "GET":
        return _show_step(request, assessment, wizard, current)
    if _too_large(request):
        return _show_step(request, assessment, wizard, current, page_error=TOO_LARGE_MESSAGE)
    return _save_step(request, assessment, wizard, current)


@never_cache
@require_POST
@limit_posts(group=STEP_LIVE, rate=step_live_rate)
def step_live(request: HtmxHttpRequest, token: str, slug: str) -> HttpResponse:
    """Follow-ups and parsed-number hints for the step's current inputs; writes nothing.

    htmx posts the whole form on ``change`` of a show-if trigger or a number,
    and swaps the returned pieces out of band (``hx-swap-oob``).
    """
    assessment = assessment_for_visitor(token=token, user=request.user)
    if assessment.is_locked:
        return HttpResponse("")  # nothing to follow up: the answers are read-only
    wizard = wizard_for(ruleset=assessment.ruleset)
    current = wizard.step(slug)
    if current is None:
        raise Http404("No such step")
    if _too_large(request):
        return HttpResponse("")
    draft = _bound_form(request, wizard, current.questions)
    visible = wizard.visible(current, {**assessment.answers, **draft.answers})
    trigger = request.htmx.trigger_name if request.htmx else None
    shown_before = set(request.POST.get(SHOWN_FIELD, "").split())
    refresh_follow_ups = trigger in wizard.triggers
    rows = (
        _follow_up_rows(request, assessment, wizard, current, visible) if refresh_follow_ups else []
    )
    # ErrorList yields each message as text (str() of a str: the same message).
    trigger_errors = [str(error) for error in draft.errors.get(trigger, [])] if trigger else []
    context = {
        "assessment": assessment,
        "step": current,
        "rows": rows,
        "hint": draft.parsed_hint(trigger) if trigger else "",
        # Only numbers have a parsed-value hint to swap (an out-of-band swap
        # without its target is an htmx error in the console).
        "hint_key": trigger if trigger in _numeric_keys(current) else "",
        "error": "; ".join(trigger_errors),
        "refresh_follow_ups": refresh_follow_ups,
        "shown_keys": " ".join(spec.key for spec in visible),
        "announcement": wizard_display.follow_up_announcement(visible, shown_before, current),
    }
    return render(request, "assessments/step.html#live", context)


USAGE_ACTIONS = frozenset({"upload", "accept", "discard"})
# Room for the multipart envelope and the other fields, past the file's own limit.
USAGE_POST_ENVELOPE_BYTES = 65_536


@never_cache
@require_POST
@limit_posts(group=USAGE_POST, rate=usage_post_rate)
def usage(request: HtmxHttpRequest, token: str, slug: str) -> HttpResponse:
    """ "Fill from a usage export": upload (derive the figures), accept them, or discard them.

    The file is read while the request lasts and then dropped (Django's
    temporary upload file is deleted with the request) unless the buyer
    ticked "keep it". Every outcome answers with the step page: a redirect
    after a change, the page with the error on the file field otherwise.
    A locked assessment refuses it before the file is read (the services
    check again on the locked row).
    """
    assessment = assessment_for_visitor(token=token, user=request.user)
    action = request.POST.get("action", "upload")
    check_write(assessment, Write.ANSWERS if action == "accept" else Write.USAGE_IMPORT)
    wizard = wizard_for(ruleset=assessment.ruleset)
    current = wizard.step(slug)
    if current is None or not _takes_usage(current):
        raise Http404("No usage import on this step")
    if _ahead_of_resume(wizard, assessment, slug):
        return SeeOther(_resume_url(assessment, wizard))
    if _content_length(request) > usage_import.max_upload_bytes() + USAGE_POST_ENVELOPE_BYTES:
        return _show_step(request, assessment, wizard, current, usage_error=_too_large_file())
    if action == "accept":
        keys = request.POST.getlist("figure")
        usage_import.assessment_accept_usage(assessment=assessment, keys=keys)
        messages.success(request, "The figures from your usage data are filled in below.")
        return SeeOther(_step_url(assessment, current) + "#usage-import")
    if action == "discard":
        usage_import.assessment_discard_usage(assessment=assessment)
        return SeeOther(_step_url(assessment, current) + "#usage-import")
    error = _derive_from_upload(request, assessment)
    if error:
        return _show_step(request, assessment, wizard, current, usage_error=error)
    return SeeOther(_step_url(assessment, current) + "#usage-import")


def _derive_from_upload(request: HtmxHttpRequest, assessment: Assessment) -> str:
    """Read the uploaded export into derived figures; the error to show, or ""."""
    upload = request.FILES.get("export")
    if upload is None:
        return "Choose a usage export file to read."
    if upload.size is not None and upload.size > usage_import.max_upload_bytes():
        return _too_large_file()
    file_format = request.POST.get("format", "auto")
    if file_format not in FORMATS:
        file_format = "auto"
    keep = request.POST.get("keep") == "on"
    try:
        with upload.open("rb") as file:
            workload = usage_import.read_upload(file, format=file_format)
            kept = None
            if keep:
                file.seek(0)
                kept = file.read()
    except UsageFileError as error:
        return f"{upload.name}: {error}"
    usage_import.assessment_derive_usage(
        assessment=assessment, workload=workload, filename=upload.name or "", keep_file=kept
    )
    return ""


def _too_large_file() -> str:
    limit = usage_import.max_upload_bytes() // (1024 * 1024)
    return (
        f"That file is larger than {limit} MB, the most this page reads: export a shorter "
        "period or daily buckets, or use the command line (manage.py usage_to_answers)."
    )


def _takes_usage(step: Step) -> bool:
    """The usage panel sits on the step that asks for the volume."""
    return "monthly_queries" in step.keys


def _content_length(request: HtmxHttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 2**63  # unreadable: as if too large


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HtmxHttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_visitor(token=token, user=request.user)
    if assessment.is_locked:
        return _read_only(request, assessment)
    wizard = wizard_for(ruleset=assessment.ruleset)
    posted = request.POST if request.method == "POST" else None
    title_form = ReportTitleForm(posted, initial={"report_title": assessment.report_title})
    if resume_index(wizard.steps, assessment.saved_steps) < len(wizard.steps):
        return SeeOther(_resume_url(assessment, wizard))
    errors: dict[str, str] = {}
    if posted is not None and title_form.is_valid():
        try:
            errors = assessment_submit_review(
                assessment=assessment,
                steps=wizard.steps,
                report_title=title_form.cleaned_data["report_title"],
                catalog=wizard.catalog,
            )
        except AssessmentIncomplete:
            return SeeOther(_resume_url(assessment, wizard))
        if not errors:  # the result is another layout: htmx loads it as a full page
            return _to_page(request, reverse("assessments:result", args=[token]))
    context = review_context(
        assessment=assessment, wizard=wizard, title_form=title_form, errors=errors
    )
    # An answer that cannot be scored answers 200 (htmx 2 swaps only 2xx).
    return partial_or_page(request, "assessments/review.html", context, partial="wizard")


def _to_page(request: HtmxHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else SeeOther(url)


@never_cache
@require_GET
def result(request: HtmxHttpRequest, token: str) -> HttpResponse:
    return _result_page(request, token)


def _result_page(
    request: HtmxHttpRequest, token: str, *, scenario_form: ScenarioForm | None = None
) -> HttpResponse:
    # Without its result: a page whose fragments are cached never reads it.
    assessment = assessment_for_visitor(token=token, user=request.user, documents=False)
    # A locked assessment shows its delivered result even if a write from before the
    # state guard sent it back to "in progress": its review redirects here.
    delivered = assessment.is_completed or assessment.is_locked
    if not delivered or not assessment.has_stored_result:
        # Answers changed since the last result (or never completed): review, then re-score.
        wizard = wizard_for(ruleset=assessment.ruleset)
        return SeeOther(_resume_url(assessment, wizard))

    @cache
    def snapshot() -> ResultSnapshot:
        return ResultSnapshot.from_dict(assessment.stored_result())

    context = {
        "assessment": assessment,
        # Read (and the uncertainty view built) only if a fragment is drawn.
        "result": SimpleLazyObject(snapshot),
        "costs_view": SimpleLazyObject(lambda: uncertainty_view(snapshot())),
        "fragment_key": result_fragment_key(assessment),
        "fragment_seconds": RESULT_FRAGMENT_SECONDS,
        "scenarios": _scenario_section(
            assessment, form=scenario_form, collapsed_when_empty=scenario_form is None
        ),
    }
    return render(request, "assessments/result.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def scenario_add(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Add a named variant (a few answers changed) to the comparison; bad answers: their message.

    GET opens the form: htmx swaps it into the section, else the result page shows it.
    """
    assessment = assessment_for_visitor(token=token, user=request.user)
    if request.method == "GET":
        opened = new_form(assessment)
        opened.fields["name"].widget.attrs["autofocus"] = True
        return _scenarios_answer(request, assessment, form=opened, notice="")
    form, notice = add_from_post(request, assessment)
    return _scenarios_answer(request, assessment, form=form, notice=notice)


@never_cache
@require_POST
def scenario_remove(request: HtmxHttpRequest, token: str) -> HttpResponse:
    assessment = assessment_for_visitor(token=token, user=request.user)
    notice = remove_from_post(request, assessment)
    return _scenarios_answer(request, assessment, form=None, notice=notice)


def _scenarios_answer(
    request: HtmxHttpRequest, assessment: Assessment, *, form: ScenarioForm | None, notice: str
) -> HttpResponse:
    """htmx: the section alone. Without it: back to the page, or the page with the form's errors."""
    if request.htmx:
        section = _scenario_section(assessment, form=form, notice=notice, focus_table=form is None)
        return render(request, "assessments/_scenarios.html", {"section": section})
    if form is None:
        messages.info(request, notice)
        return SeeOther(reverse("assessments:result", args=[assessment.token]) + "#scenarios")
    # An invalid form answers 200, on the whole result page.
    return _result_page(request, assessment.token, scenario_form=form)


def _scenario_section(
    assessment: Assessment,
    *,
    form: ScenarioForm | None = None,
    notice: str = "",
    focus_table: bool = False,
    collapsed_when_empty: bool = False,
) -> ScenarioSection:
    return scenario_section(
        assessment=assessment,
        add_url=reverse("assessments:scenario_add", args=[assessment.token]),
        remove_url=reverse("assessments:scenario_remove", args=[assessment.token]),
        form=form,
        notice=notice,
        focus_table=focus_table,
        collapsed_when_empty=collapsed_when_empty,
    )


@require_safe
def cumulative_chart(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The result's cumulative-cost chart, an SVG image (the result page's access rules).

    Confidential like the page, so only the visitor's own cache keeps it, and
    revalidates: the ETag is the snapshot's fingerprint, a 304 draws nothing.
    """
    assessment = assessment_for_visitor(token=token, user=request.user)
    if not assessment.is_completed or assessment.result is None:
        raise Http404("No result yet.")
    snapshot = ResultSnapshot.from_dict(assessment.result)
    # ?size=phone: the drawing a phone's <picture> asks for (labels at 11 px and more).
    size = CHART_SIZES.get(request.GET.get("size", ""), DESKTOP)
    etag = chart_etag(snapshot, size)
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(cumulative_chart_svg(snapshot, size), content_type="image/svg+xml")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@never_cache
@require_POST
def request_new_version(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The buyer of a locked assessment asks their consultant to open it for changes."""
    assessment = assessment_for_visitor(token=token, user=request.user)
    assessment_request_new_version(assessment=assessment)  # refused unless locked
    messages.success(
        request, "Your consultant has been asked for a new version of this assessment."
    )
    return SeeOther(reverse("assessments:result", args=[token]))


# --- helpers ------------------------------------------------------------------


def _read_only(request: HtmxHttpRequest, assessment: Assessment) -> HttpResponse:
    """A locked assessment's questionnaire: nothing is saved, the result says why."""
    if request.method == "POST":
        messages.warning(request, LOCKED_MESSAGE)
    result_url = reverse("assessments:result", args=[assessment.token])
    return HttpResponseClientRedirect(result_url) if request.htmx else SeeOther(result_url)


def _numeric_keys(step: Step) -> frozenset[str]:
    return frozenset(spec.key for spec in step.questions if spec.type in NUMBER_TYPES)


def _resume_url(assessment: Assessment, wizard: Wizard) -> str:
    index = resume_index(wizard.steps, assessment.saved_steps)
    if index >= len(wizard.steps):
        return reverse("assessments:review", args=[assessment.token])
    return reverse("assessments:step", args=[assessment.token, wizard.steps[index].slug])


def _step_url(assessment: Assessment, step: Step) -> str:
    return reverse("assessments:step", args=[assessment.token, step.slug])


def _too_large(request: HtmxHttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_POST_BYTES
    except ValueError:
        return True


def _ahead_of_resume(wizard: Wizard, assessment: Assessment, slug: str) -> bool:
    """Whether step ``slug`` (one of the wizard's) comes after the first step not yet saved."""
    index = step_index(wizard.steps, slug)
    assert index is not None  # the callers found the step with wizard.step(slug)
    return index > resume_index(wizard.steps, assessment.saved_steps)


def _step_form(
    request: HtmxHttpRequest,
    wizard: Wizard,
    specs: Sequence[QuestionSpec],
    *,
    data: Any = None,
    initial: Mapping[str, Any] | None = None,
) -> StepForm:
    match = request.resolver_match
    assert match is not None  # the URL resolver sets it before any view runs
    token, slug = match.kwargs["token"], match.kwargs["slug"]
    return StepForm(
        specs=specs,
        catalog_options=wizard.catalog_options,
        catalog_keys=wizard.catalog_keys,
        live_keys=wizard.triggers,
        live_url=reverse("assessments:step_live", args=[token, slug]),
        data=data,
        initial=initial,
    )


def _bound_form(
    request: HtmxHttpRequest, wizard: Wizard, specs: Sequence[QuestionSpec]
) -> StepForm:
    form = _step_form(request, wizard, specs, data=request.POST)
    form.is_valid()
    return form


def _initial(
    wizard: Wizard, answers: Mapping[str, Any], specs: Sequence[QuestionSpec]
) -> dict[str, Any]:
    completed = wizard.with_defaults(answers)
    return {spec.key: format_answer(completed[spec.key]) for spec in specs if spec.key in completed}


def _posted_or_default(
    request: HtmxHttpRequest, wizard: Wizard, specs: Sequence[QuestionSpec], assessment: Assessment
) -> dict[str, Any]:
    initial = _initial(wizard, assessment.answers, specs)
    for spec in specs:
        if spec.type == "multi_choice":
            if spec.key in request.POST or SHOWN_FIELD in request.POST:
                initial[spec.key] = request.POST.getlist(spec.key)
        elif spec.key in request.POST:
            initial[spec.key] = request.POST[spec.key]
    return initial


def _follow_up_rows(
    request: HtmxHttpRequest,
    assessment: Assessment,
    wizard: Wizard,
    current: Step,
    visible: Sequence[QuestionSpec],
) -> list[wizard_display.QuestionRow]:
    """The step's rows as the live endpoint re-renders its follow-ups.

    From a second, unbound form (initial: what was posted, else the default):
    a follow-up just revealed shows its default and no error yet, which the
    bound form that parsed the post cannot render. Built only when a show-if
    trigger changed, the only time the follow-ups are swapped.
    """
    initial = _posted_or_default(request, wizard, visible, assessment)
    form = _step_form(request, wizard, visible, initial=initial)
    return wizard_display.question_rows(current, form, visible, hints={})


def _show_step(
    request: HtmxHttpRequest,
    assessment: Assessment,
    wizard: Wizard,
    current: Step,
    *,
    form: StepForm | None = None,
    visible: Sequence[QuestionSpec] | None = None,
    page_error: str = "",
    notice: str = "",
    usage_error: str = "",
) -> HttpResponse:
    if visible is None:
        visible = wizard.visible(current, assessment.answers)
    if form is None:
        form = _step_form(
            request, wizard, visible, initial=_initial(wizard, assessment.answers, visible)
        )
    index = step_index(wizard.steps, current.slug) or 0
    hints = {spec.key: form.parsed_hint(spec.key) for spec in visible} if form.is_bound else {}
    context = {
        "assessment": assessment,
        "step": current,
        "index": index,
        "previous": wizard.steps[index - 1] if index else None,
        "form": form,
        "rows": wizard_display.question_rows(current, form, visible, hints=hints),
        "shown_keys": " ".join(spec.key for spec in visible),
        "progress": wizard_display.progress(wizard.steps, assessment.saved_steps, current=current),
        "all_saved": resume_index(wizard.steps, assessment.saved_steps) >= len(wizard.steps),
        "page_error": page_error,
        "notice": notice,
        "step_url": _step_url(assessment, current),
        **_usage_context(assessment, wizard, current, usage_error),
    }
    response = partial_or_page(request, "assessments/step.html", context, partial="wizard")
    if form.is_bound or page_error or usage_error:
        push_url(response, False)  # the same step again: no new history entry
    return response


def _usage_context(
    assessment: Assessment, wizard: Wizard, current: Step, usage_error: str
) -> dict[str, Any]:
    measured = usage_import.measured_keys(assessment)
    if not _takes_usage(current):
        return {"usage_panel": None, "measured_keys": measured}
    return {
        "usage_panel": wizard_display.usage_panel(
            assessment.usage_import, wizard, measured=measured, error=usage_error
        ),
        "usage_url": reverse("assessments:usage", args=[assessment.token, current.slug]),
        "usage_formats": [("auto", "Tell from the file"), *FORMAT_LABELS.items()],
        "usage_max_mb": usage_import.max_upload_bytes() // (1024 * 1024),
        "measured_keys": measured,
        "measured_label": usage_import.MEASURED_LABEL,
    }


def _save_step(
    request: HtmxHttpRequest, assessment: Assessment, wizard: Wizard, current: Step
) -> HttpResponse:
    # What is visible depends on what was just typed (ticking HIPAA reveals its follow-up):
    # one form parses every question of the step, then forgets the ones that stay hidden.
    form = _bound_form(request, wizard, current.questions)
    visible = wizard.visible(current, {**assessment.answers, **form.answers})
    visible_keys = {spec.key for spec in visible}
    form.drop_questions(set(current.keys) - visible_keys)
    shown_before = set(request.POST.get(SHOWN_FIELD, " ".join(visible_keys)).split())
    decision = decide_step(
        nav=request.POST.get("nav", "next"),
        steps=wizard.steps,
        current=current,
        valid=form.is_valid(),
        revealed=bool(visible_keys - shown_before),
    )
    if decision.keep_answers:
        answers = _changed_from_default(wizard, assessment, form.answers)
        cleared = form.blank_keys | (set(current.keys) - visible_keys)
    else:
        answers, cleared = {}, set()  # Skip: the prefilled defaults stay as they are
    try:
        assessment = assessment_save_step(
            assessment=assessment,
            steps=wizard.steps,
            step=current,
            answers=answers,
            cleared_keys=cleared,
            mark_saved=decision.mark_saved,
        )
    except StepOutOfOrder:
        messages.warning(request, "Please answer this step first: nothing was saved.")
        return SeeOther(_resume_url(assessment, wizard))
    if decision.target is not None:  # Move.GO_TO
        return SeeOther(_step_url(assessment, decision.target))
    if decision.move is Move.RESUME:
        return SeeOther(_resume_url(assessment, wizard))
    notice = FOLLOW_UP_NOTICE if decision.move is Move.ASK_FOLLOW_UP else ""
    return _show_step(
        request, assessment, wizard, current, form=form, visible=visible, notice=notice
    )


def _changed_from_default(
    wizard: Wizard, assessment: Assessment, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Answers to store: a prefilled default left as it was stays "not answered".

    So the catalog keeps deciding (the like-for-like open model follows the
    chosen API model), and the review marks the value as a default.
    """
    defaults = wizard.with_defaults({})
    return {
        key: value
        for key, value in answers.items()
        if key in assessment.answers or format_answer(value) != format_answer(defaults.get(key))
    }
