"""The PDF report: context from a result snapshot, rendering, and the per-assessment cache.

Two entry points:

- :func:`render_report_pdf` renders any result (an ``Advice`` or its
  ``to_dict()`` snapshot) to PDF bytes; ``manage.py evaluate --pdf`` uses it.
- :func:`prepare_assessment_report` / :func:`assessment_report_pdf` serve an
  assessment's report: the cache key (and strong ETag) is known before any
  rendering, so a conditional GET is answered without touching the PDF, and
  the PDF is rendered once per key and stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, cached_property
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache as django_cache
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from advisor.assessments.comparison import Comparison
from advisor.assessments.scenarios import scenario_comparison
from advisor.assessments.selectors import wizard_for
from advisor.assessments.wizard_display import review_sections
from advisor.consultants.logos import MAX_LOGO_BYTES, InvalidLogo, check_logo
from advisor.consultants.services import branding_profile_of
from advisor.options import OPTION_LABELS
from advisor.reports import report_sections
from advisor.reports.chart_images import CHART_FORMAT_VERSION, cumulative_chart_svg
from advisor.reports.models import CachedReport
from advisor.reports.pdf import PdfRenderBusy, PdfRenderError, shared_render_process
from advisor.reports.scenario_chart import scenario_chart
from advisor.rules.models import Ruleset
from advisor.rules.reasons import buyer_reasons, reasons_summary
from advisor.snapshot import ResultSnapshot

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from advisor.assessments.models import Assessment
    from advisor.assessments.wizard_display import ReviewSection

logger = logging.getLogger(__name__)

# Bump when the report's content changes in a way the template files do not
# show (e.g. a report_sections helper's wording): cached PDFs are keyed on it.
REPORT_FORMAT_VERSION = "3"
REPORT_TEMPLATES = (
    "reports/report.html",
    "reports/_cost_summary.html",
    "reports/_sentence.html",
    "reports/_tornado.html",
    "reports/_tornado_svg.html",
    "reports/_cumulative_chart_svg.html",
    "reports/_key_figures.html",
    "reports/_what_would_change.html",
    "reports/_assumptions.html",
    "reports/_accent.css",
    "reports/summary.html",
)
SUMMARY_TEMPLATE = "reports/summary.html"
REPORT_STYLESHEET = "css/report.css"
ACCENT_STYLESHEET = "reports/_accent.css"
DEFAULT_ACCENT_COLOUR = "#1F4E79"

# Input bounds: user text and list lengths the layout is designed for. The
# model fields are already bounded; these hold for any caller (CLI, tests).
MAX_CLIENT_NAME_CHARS = 120
MAX_REPORT_TITLE_CHARS = 120
MAX_NOTES_CHARS = 5_000
MAX_FIRM_NAME_CHARS = 120
MAX_LISTED_RULES = 60
MAX_LISTED_CAVEATS = 30
MAX_ASSUMPTION_ROWS = 80
MAX_HORIZON_MONTHS_TABLED = 60
# A report whose render failed (past its deadline, say) is not tried again
# for this long: the same inputs would fail the same way.
RENDER_FAILURE_MEMORY_SECONDS = 300
# A render slot outlives the longest render (queue wait + deadline), in case
# the worker holding it dies before releasing it.
RENDER_SLOT_SECONDS = 40
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}\Z")


class AdviceLike(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Branding:
    """Who prepared the report: a consultant's name, firm, logo and accent colour."""

    prepared_by: str = ""
    firm_name: str = ""
    accent_colour: str = DEFAULT_ACCENT_COLOUR
    logo_path: Path | None = None

    def cache_fingerprint(self) -> list[str]:
        return [
            self.prepared_by,
            self.firm_name,
            self.accent_colour,
            str(self.logo_path or ""),
        ]


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report shows; equal inputs give the same report."""

    result: ResultSnapshot
    answers: Mapping[str, Any]
    client_name: str = ""
    notes: str = ""
    prepared_on: date | None = None
    branding: Branding = field(default_factory=Branding)
    answer_sections: Sequence[ReviewSection] = ()
    # The buyer's own title for the report (asked on the review step).
    report_title: str = ""
    # The answers the buyer gave; None: the snapshot says (or its uncertainty analysis).
    given_answers: Collection[str] | None = None
    # The assessment beside its scenario variants; None: no variants, no "Scenarios" section.
    comparison: Comparison | None = None
    # The one-page summary (reports/summary.html) instead of the full report.
    summary_only: bool = False


# --- rendering ----------------------------------------------------------------


def render_report_pdf(
    *,
    advice: ResultSnapshot | AdviceLike | Mapping[str, Any],
    answers: Mapping[str, Any] | None = None,
    client_name: str = "",
    notes: str = "",
    branding: Branding | None = None,
    prepared_on: date | None = None,
    timeout_seconds: float | None = None,
    report_title: str = "",
    given_answers: Collection[str] | None = None,
    summary_only: bool = False,
) -> bytes:
    """The PDF report of a result, not cached (``evaluate --pdf`` and tests).

    ``advice`` is a :class:`advisor.snapshot.ResultSnapshot` (what
    ``evaluate --pdf`` passes), a stored result of any snapshot version, or
    an :class:`advisor.advice.Advice` (which has no answer flips). ``answers`` default to the
    snapshot's own (typed, defaults applied); the appendix lists them with
    the question prompts of the snapshot's ruleset when it is in the
    database; ``given_answers`` names the answers the buyer gave (the others
    are marked "default"; without it the snapshot's ``given_answers``).
    Raises :class:`advisor.reports.pdf.PdfRenderError`.
    """
    result = (
        advice
        if isinstance(advice, ResultSnapshot)
        else ResultSnapshot.from_dict(advice if isinstance(advice, Mapping) else advice.to_dict())
    )
    answers = dict(answers if answers is not None else result.answers)
    inputs = ReportInputs(
        result=result,
        answers=answers,
        client_name=client_name,
        notes=notes,
        prepared_on=prepared_on or timezone.localdate(),
        branding=branding or Branding(),
        answer_sections=_answer_sections_for_ruleset(result.ruleset.to_dict(), answers),
        report_title=report_title,
        given_answers=given_answers,
        summary_only=summary_only,
    )
    return _render(inputs, timeout_seconds=timeout_seconds)


CHART_URL = "report:cumulative-cost-chart.svg"
TORNADO_URL = "report:tornado-chart.svg"
SCENARIO_CHART_URL = "report:scenario-chart.svg"
SVG_TYPE = "image/svg+xml"


def report_html(inputs: ReportInputs) -> str:
    """The print HTML (autoescaped template: user text can never become markup)."""
    return report_document(inputs).html


@dataclass(frozen=True)
class ReportDocument:
    """What the renderer gets: the HTML, the images it shows and its style sheets."""

    html: str
    # The charts as ``(url, bytes, type)`` under the ``report:`` URLs the HTML uses.
    resources: tuple[tuple[str, bytes, str], ...]
    # CSS texts in cascade order: the print stylesheet, then the accent colour.
    stylesheets: tuple[str, ...]


def report_document(inputs: ReportInputs) -> ReportDocument:
    """The report as the renderer takes it.

    The charts go in as ``<img>`` of documents of their own, not inline: inline
    SVG goes through the HTML parser and the CSS cascade element by element,
    which costs WeasyPrint about twice as long to draw. The cumulative chart
    is the result page's image byte for byte (its template is written for
    WeasyPrint: presentation attributes, few nodes). The CSS goes beside the
    HTML, not linked from it, so the render process parses it once (see
    ``advisor.reports.pdf._stylesheet``).
    """
    context = report_context(inputs)
    chart = _chart_svg(inputs.result)
    resources = [(CHART_URL, chart.encode(), SVG_TYPE)]
    tornado = context["costs_view"].tornado
    if tornado is not None and not inputs.summary_only:
        svg = render_to_string("reports/_tornado_svg.html", {"tornado": tornado}).strip()
        resources.append((TORNADO_URL, svg.encode(), SVG_TYPE))
    chart_of_scenarios = None if inputs.comparison is None else scenario_chart(inputs.comparison)
    if chart_of_scenarios is not None:
        svg = render_to_string("reports/_scenario_chart_svg.html", {"chart": chart_of_scenarios})
        resources.append((SCENARIO_CHART_URL, svg.strip().encode(), SVG_TYPE))
    accent = render_to_string(ACCENT_STYLESHEET, {"accent_colour": context["accent_colour"]})
    return ReportDocument(
        html=render_to_string(
            SUMMARY_TEMPLATE if inputs.summary_only else REPORT_TEMPLATES[0], context
        ),
        resources=tuple(resources),
        stylesheets=(_report_stylesheet(), accent),
    )


@cache
def _report_stylesheet() -> str:
    """static/css/report.css, read once per process (as template_version hashes it)."""
    found = finders.find(REPORT_STYLESHEET)
    path = Path(found if isinstance(found, str) else Path(settings.STATIC_ROOT) / REPORT_STYLESHEET)
    return path.read_text(encoding="utf-8")


def _render(inputs: ReportInputs, *, timeout_seconds: float | None = None) -> bytes:
    document = report_document(inputs)
    return shared_render_process().render(
        document.html,
        base_url=None,
        allowed_roots=allowed_roots(),
        resources=document.resources,
        stylesheets=document.stylesheets,
        timeout_seconds=timeout_seconds,
    )


def allowed_roots() -> list[Path]:
    """Where the renderer may read files: the static roots and the media root."""
    roots = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    return [*roots, Path(settings.MEDIA_ROOT)]


def report_context(inputs: ReportInputs) -> dict[str, Any]:
    """What ``reports/report.html`` shows, from the inputs; wording from the shared helpers."""
    result = inputs.result
    recommendation = result.recommendation
    fired = list(result.fired_rules)
    reasons = reasons_summary(result)
    branding = inputs.branding
    client_name = _clip(inputs.client_name, MAX_CLIENT_NAME_CHARS)
    report_title = _clip(inputs.report_title, MAX_REPORT_TITLE_CHARS)
    horizon = result.horizon_months
    defaults = report_sections.default_answer_keys(result, inputs.given_answers)
    sections = [
        replace(
            section,
            items=tuple(
                replace(item, is_default=item.is_default or item.key in defaults)
                for item in section.items
            ),
        )
        for section in inputs.answer_sections
    ]
    return {
        "result": result,
        "client_name": client_name,
        "report_title": report_title,
        "cover_title": report_title or client_name or "Where to run your LLM workload",
        "title": _document_title(report_title or client_name),
        "workload_line": report_sections.workload_line(result.answers or inputs.answers),
        "prepared_on": inputs.prepared_on,
        "prepared_by": _clip(branding.prepared_by, MAX_FIRM_NAME_CHARS),
        "firm_name": _clip(branding.firm_name, MAX_FIRM_NAME_CHARS),
        # The only value written into the template's <style>: checked here, so
        # no caller can smuggle CSS in through it.
        "accent_colour": (
            branding.accent_colour
            if _HEX_COLOUR.match(branding.accent_colour or "")
            else DEFAULT_ACCENT_COLOUR
        ),
        "logo_url": branding.logo_path.as_uri() if branding.logo_path else "",
        "ruleset_name": result.ruleset.name,
        "ruleset_version": result.ruleset.version,
        "recommendation": recommendation,
        "recommendation_label": (
            report_sections.option_label(recommendation) if recommendation else "None"
        ),
        "confidence": result.confidence,
        "option_labels": OPTION_LABELS,
        "chart_labels": result.chart_labels,
        "key_figures": report_sections.key_figures(result),
        # Decision model v2: the strongest reasons *for* the recommendation
        # (older snapshots: the strongest rules, as before).
        "reasons": reasons,
        # The summary's reasons, in the buyer's words (as the result page's "Why").
        "why": buyer_reasons(result),
        "strongest_reasons": (
            list(reasons.strongest_for)
            if reasons.split
            else report_sections.strongest_reasons(fired)
        ),
        "fired_rules": fired[:MAX_LISTED_RULES],
        "more_rules": max(0, len(fired) - MAX_LISTED_RULES),
        "excluded": [
            {"label": report_sections.option_label(option), "reasons": reasons}
            for option, reasons in result.excluded.items()
        ],
        "caveats": list(result.caveats)[:MAX_LISTED_CAVEATS],
        "skipped_rules": list(result.skipped_rules)[:MAX_LISTED_RULES],
        "costs_view": report_sections.uncertainty_view(result),
        "change": report_sections.what_would_change(result),
        "horizon_months": horizon,
        "chart_url": CHART_URL,
        "tornado_url": TORNADO_URL,
        "chart_description": result.chart_description,
        "yearly_costs": report_sections.yearly_costs(result),
        "monthly_totals": (
            report_sections.monthly_totals(result.costs)
            if horizon <= MAX_HORIZON_MONTHS_TABLED
            else ()
        ),
        "assumptions": list(result.assumptions)[:MAX_ASSUMPTION_ROWS],
        "model_notes": list(result.notes)[:MAX_LISTED_CAVEATS],
        "answer_sections": sections,
        # As many as the appendix marks (hidden follow-ups are not listed).
        "default_count": (
            sum(item.is_default for section in sections for item in section.items)
            if sections
            else len(defaults)
        ),
        # Which answers were measured from a usage export, and over what period.
        "measured": result.measured,
        "raw_answers": (
            []
            if inputs.answer_sections
            else [(key, value, key in defaults) for key, value in sorted(inputs.answers.items())]
        ),
        "notes": _clip(inputs.notes, MAX_NOTES_CHARS),
        "comparison": inputs.comparison,
        # The chart needs two scored scenarios (one when the others no longer score).
        "scenario_chart_url": (
            SCENARIO_CHART_URL
            if inputs.comparison is not None and scenario_chart(inputs.comparison) is not None
            else ""
        ),
    }


def _chart_svg(result: ResultSnapshot) -> str:
    """The result page's own chart image, drawn from the snapshot's numbers.

    Results stored with an SVG of their own (before snapshot version 2) are
    drawn again from their numbers too: one drawing for page and PDF.
    """
    return cumulative_chart_svg(result)


def _document_title(client_name: str) -> str:
    title = "LLM deployment recommendation"
    return f"{title}: {client_name}" if client_name else title


def _clip(text: str, limit: int) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _answer_sections_for_ruleset(
    ruleset: Mapping[str, Any], answers: Mapping[str, Any]
) -> Sequence[ReviewSection]:
    found = Ruleset.objects.filter(
        name=ruleset.get("name", ""), version=ruleset.get("version", "")
    ).first()
    return _answer_sections(found, answers) if found else ()


def _answer_sections(
    ruleset: Any, answers: Mapping[str, Any], scored: Mapping[str, Any] | None = None
) -> Sequence[ReviewSection]:
    """Every answer with its question's prompt, as the wizard's review step lists them.

    ``scored`` (the result's answers) gives the values as scored, so a choice
    the cost model made reads as what it chose, not "Not answered".
    """
    return review_sections(wizard_for(ruleset=ruleset), answers, scored=scored)


def report_filename(client_name: str, prepared_on: date, *, summary_only: bool = False) -> str:
    """``<client>-llm-deployment-recommendation-<date>.pdf``, safe in any header or file system."""
    client = slugify(client_name)[:60].strip("-") or "assessment"
    summary = "-summary" if summary_only else ""
    return f"{client}-llm-deployment-recommendation{summary}-{prepared_on.isoformat()}.pdf"


# --- branding -------------------------------------------------------------------


def branding_for_owner(owner: User | None) -> Branding:
    """The owner's branding from their consultant profile; just their name without one."""
    if owner is None:
        return Branding()
    profile = branding_profile_of(user_id=owner.pk)
    if profile is None:
        name = getattr(owner, "get_full_name", lambda: "")() or owner.get_username()
        return Branding(prepared_by=name)
    # Only the PNG drawn (and timed) at upload goes into a report, never the
    # uploaded file itself: a logo that was never measured is left out.
    logo_path = None
    if profile.logo and profile.logo_rendering:
        try:
            logo_path = Path(profile.logo_rendering.path)
        except (ValueError, NotImplementedError):  # a storage without local paths
            logo_path = None
    return Branding(
        prepared_by=profile.display_name,
        firm_name=profile.firm_name,
        accent_colour=(profile.accent_colour or DEFAULT_ACCENT_COLOUR).upper(),
        logo_path=logo_path,
    )


def _checked_logo(branding: Branding) -> Branding:
    """The branding with its logo re-checked just before rendering.

    The upload form validates logos, but a file could reach media/ another
    way (admin shell, restored backup). A logo that no longer passes is
    left out of the report rather than letting the renderer near it.
    """
    path = branding.logo_path
    if path is None:
        return branding
    try:
        with path.open("rb") as file:
            check_logo(file.read(MAX_LOGO_BYTES + 1), filename=path.name)
    except (OSError, InvalidLogo) as error:
        logger.warning("Report logo %s left out: %s", path, error)
        return Branding(branding.prepared_by, branding.firm_name, branding.accent_colour, None)
    return branding


# --- the assessment report and its cache -------------------------------------------


@dataclass(frozen=True)
class AssessmentReport:
    """An assessment's report before (or without) its bytes: key, ETag, file name.

    What it shows (:attr:`inputs`) is read from the assessment only when
    asked for, to render: serving the stored PDF, or a 304, needs the key
    alone, and the key needs neither the stored result nor the answers.
    """

    assessment: Assessment
    cache_key: str
    filename: str
    prepared_on: date
    branding: Branding
    notes: str
    # The one-page summary rather than the full report.
    summary_only: bool = False

    @property
    def etag(self) -> str:
        # Strong: the bytes served under a key are the stored ones, never re-rendered.
        return f'"{self.cache_key[:40]}"'

    @cached_property
    def inputs(self) -> ReportInputs:
        assessment = self.assessment
        return ReportInputs(
            result=ResultSnapshot.from_dict(assessment.stored_result()),
            answers=assessment.answers,
            client_name=assessment.client_name,
            notes=self.notes,
            prepared_on=self.prepared_on,
            branding=self.branding,
            report_title=assessment.report_title,
            # The stored answers are the buyer's own; the scored ones add the defaults.
            given_answers=tuple(assessment.answers),
            comparison=scenario_comparison(assessment=assessment),
            summary_only=self.summary_only,
        )


def prepare_assessment_report(
    *, assessment: Assessment, summary_only: bool = False
) -> AssessmentReport:
    """The report of a completed assessment, and its cache key.

    The assessment may come without its documents
    (:meth:`AssessmentQuerySet.without_documents`): the key reads the
    result and the answers through :attr:`Assessment.result_version`, which
    every write of either changes.
    """
    if not assessment.has_stored_result:
        raise ValueError("Only a completed assessment (with a result) has a report.")
    completed = assessment.completed_at or assessment.updated_at
    prepared_on = timezone.localdate(completed) if completed else timezone.localdate()
    branding = branding_for_owner(assessment.owner)
    # The consultant's private notes go into the appendix only when they chose so.
    notes = assessment.notes if assessment.notes_in_report else ""
    key_material = [
        template_version(),
        assessment.token,
        assessment.result_version,
        assessment.client_name,
        assessment.report_title,
        notes,
        prepared_on.isoformat(),
        branding.cache_fingerprint(),
        "summary" if summary_only else "report",
    ]
    cache_key = hashlib.sha256(json.dumps(key_material, default=str).encode()).hexdigest()
    filename = report_filename(assessment.client_name, prepared_on, summary_only=summary_only)
    return AssessmentReport(
        assessment, cache_key, filename, prepared_on, branding, notes, summary_only
    )


def report_is_cached(*, report: AssessmentReport) -> bool:
    """Is this report's PDF stored already (serving it renders nothing)?"""
    return CachedReport.objects.filter(
        assessment_id=report.assessment.pk, cache_key=report.cache_key
    ).exists()


def stored_report_pdf(*, report: AssessmentReport) -> bytes | None:
    """The stored PDF for this key, or None (one query: the download's whole cost when stored)."""
    stored = (
        CachedReport.objects.filter(assessment_id=report.assessment.pk, cache_key=report.cache_key)
        .values_list("pdf", flat=True)
        .first()
    )
    return None if stored is None else bytes(stored)


def assessment_report_pdf(*, report: AssessmentReport) -> bytes:
    """The stored PDF for this key, rendered and stored first if there is none."""
    assessment = report.assessment
    stored = stored_report_pdf(report=report)
    if stored is not None:
        return stored
    inputs = _render_inputs(report)
    remembered = django_cache.get(_failure_key(report.cache_key))
    if remembered is not None:
        raise RenderFailedRecently(retry_after_seconds=max(1, int(remembered - time.time())))
    slot = _render_slot(assessment)
    if not _take(slot):
        raise PdfRenderBusy("Another report of the same owner is being rendered.")
    try:
        pdf = _render(inputs)
    except PdfRenderBusy:
        raise  # the renderer was busy, this report did not fail: nothing to remember
    except PdfRenderError:
        # The same inputs would fail the same way: for a few minutes, answer
        # at once instead of spending another render deadline on them.
        until = time.time() + RENDER_FAILURE_MEMORY_SECONDS
        django_cache.set(_failure_key(report.cache_key), until, RENDER_FAILURE_MEMORY_SECONDS)
        raise
    finally:
        _release(slot)
    _store(assessment, report.cache_key, pdf)
    return pdf


def assessment_summary_pdf(*, report: AssessmentReport) -> bytes:
    """The one-page summary, rendered now (a page renders fast; the cache keeps the full report).

    Under the owner's render slot, as the full report: one render at a time
    per owner. Raises :class:`PdfRenderBusy` and :class:`PdfRenderError`.
    """
    slot = _render_slot(report.assessment)
    if not _take(slot):
        raise PdfRenderBusy("Another report of the same owner is being rendered.")
    try:
        return _render(replace(_render_inputs(report), answer_sections=()))
    finally:
        _release(slot)


def render_report_to_cache(*, report: AssessmentReport, timeout_seconds: float) -> None:
    """Render the report now and store it under its key (the background render).

    No render slot and no failure memory here: those protect the web workers
    (advisor/reports/tasks.py remembers its own failures), and a failed
    background render must leave the download free to render on demand.
    Raises :class:`advisor.reports.pdf.PdfRenderError`.
    """
    pdf = _render(_render_inputs(report), timeout_seconds=timeout_seconds)
    _store(report.assessment, report.cache_key, pdf)


def _render_inputs(report: AssessmentReport) -> ReportInputs:
    """The report's inputs as rendered: the logo re-checked, answers under their prompts."""
    assessment = report.assessment
    return replace(
        report.inputs,
        branding=_checked_logo(report.inputs.branding),
        answer_sections=_answer_sections(
            assessment.ruleset, assessment.answers, scored=report.inputs.result.answers
        ),
    )


def _render_slot(assessment: Assessment) -> str:
    """One render at a time per owner (per assessment when it has none).

    Fairness between clients: eight requests for one consultant's reports
    (or one report asked for eight times) hold one renderer, not every
    worker's, so an unrelated buyer's report is not queued behind them.
    Shared between workers when the cache is (``CACHE_URL`` = Redis).
    """
    if assessment.owner_id is not None:
        return f"report-render-slot:owner:{assessment.owner_id}"
    return f"report-render-slot:assessment:{assessment.pk}"


def _take(slot: str) -> bool:
    try:
        return bool(django_cache.add(slot, 1, RENDER_SLOT_SECONDS))
    except Exception:  # a cache outage must not stop reports: render without the slot
        logger.warning("Render slot %s not checked: cache unavailable", slot, exc_info=True)
        return True


def _release(slot: str) -> None:
    try:
        django_cache.delete(slot)
    except Exception:  # it expires by itself after RENDER_SLOT_SECONDS
        logger.warning("Render slot %s not released: cache unavailable", slot, exc_info=True)


class RenderFailedRecently(PdfRenderError):
    """This report (its cache key) failed to render a moment ago; not tried again yet."""

    def __init__(self, *, retry_after_seconds: int) -> None:
        super().__init__(f"Failed recently; retry in {retry_after_seconds} s.")
        self.retry_after_seconds = retry_after_seconds


def _failure_key(cache_key: str) -> str:
    return f"report-render-failed:{cache_key}"


def _store(assessment: Assessment, cache_key: str, pdf: bytes) -> None:
    # One row per assessment: a new key replaces the old PDF, so the cache
    # holds at most one report per assessment. Two requests rendering the
    # same key at once both succeed; the second write wins harmlessly.
    try:
        with transaction.atomic():
            CachedReport.objects.update_or_create(
                assessment=assessment, defaults={"cache_key": cache_key, "pdf": pdf}
            )
    except IntegrityError:
        logger.info("Report for %s cached concurrently", assessment.pk)


@cache
def template_version() -> str:
    """A digest of everything that shapes the report besides its data.

    The templates and stylesheet are hashed from disk, so editing them
    invalidates every cached PDF without anyone remembering to bump a
    number; WeasyPrint's version changes the output too.
    """
    # The installed version, read without importing WeasyPrint into the web process.
    weasyprint_version = package_version("weasyprint")
    # The chart's drawing is Python as well as a template: its version is in the key too.
    digest = hashlib.sha256(
        f"{REPORT_FORMAT_VERSION}|{CHART_FORMAT_VERSION}|{weasyprint_version}".encode()
    )
    for name in REPORT_TEMPLATES:
        digest.update(Path(_template_path(name)).read_bytes())
    stylesheet = finders.find(REPORT_STYLESHEET)
    if isinstance(stylesheet, str):
        digest.update(Path(stylesheet).read_bytes())
    return digest.hexdigest()[:16]


def _template_path(name: str) -> str:
    from django.template import engines
    from django.template.backends.django import Template

    template = engines["django"].get_template(name)
    assert isinstance(template, Template)  # the DjangoTemplates engine's own
    return str(template.origin.name)
