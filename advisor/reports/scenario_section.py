"""The scenarios section as the buyer's result page and the consultant's page show it.

Both pages render ``assessments/_scenarios.html`` from a :class:`ScenarioSection`,
and both post to views that call :func:`add_from_post` / :func:`remove_from_post`:
the two differ only in who may open the assessment and where the forms post.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from advisor.assessments.comparison import MAX_VARIANTS, Comparison
from advisor.assessments.models import Assessment
from advisor.assessments.scenario_forms import ScenarioForm
from advisor.assessments.scenarios import (
    TooManyVariants,
    scenario_comparison,
    variant_add,
    variant_remove,
)
from advisor.reports import charts
from advisor.reports.scenario_chart import scenario_chart
from advisor.rules.services import InvalidAnswers, question_specs

FULL_MESSAGE = f"An assessment has at most {MAX_VARIANTS} scenarios: remove one to add another."


@dataclass(frozen=True)
class ScenarioSection:
    assessment: Assessment
    comparison: Comparison | None
    form: ScenarioForm | None  # None: no more can be added (locked, or four already)
    add_url: str
    remove_url: str
    editable: bool
    notice: str
    chart_svg: SafeString
    # After an htmx swap the old focus is gone: the comparison takes it (htmx 2
    # focuses a swapped-in ``autofocus``); an invalid form focuses its first error.
    focus_table: bool = False
    # No variants yet and the form not asked for: a button that opens it (the
    # result page then reads nothing more than its one row).
    collapsed: bool = False
    max_variants: int = MAX_VARIANTS

    @property
    def full(self) -> bool:
        return self.comparison is not None and len(self.comparison.variants) >= MAX_VARIANTS


def scenario_section(
    *,
    assessment: Assessment,
    add_url: str,
    remove_url: str,
    form: ScenarioForm | None = None,
    notice: str = "",
    focus_table: bool = False,
    collapsed_when_empty: bool = False,
) -> ScenarioSection:
    comparison = scenario_comparison(assessment=assessment)
    editable = not assessment.is_locked
    count = 0 if comparison is None else len(comparison.variants)
    collapsed = collapsed_when_empty and comparison is None and form is None
    if editable and count < MAX_VARIANTS and form is None and not collapsed:
        form = new_form(assessment)
    return ScenarioSection(
        assessment=assessment,
        comparison=comparison,
        form=form if editable and count < MAX_VARIANTS else None,
        add_url=add_url,
        remove_url=remove_url,
        editable=editable,
        notice=notice,
        chart_svg=_chart_svg(comparison),
        focus_table=focus_table and comparison is not None,
        collapsed=collapsed,
    )


def new_form(assessment: Assessment, data: object = None) -> ScenarioForm:
    return ScenarioForm(data, specs=question_specs(assessment.ruleset), prefix="scenario")


def add_from_post(request: HttpRequest, assessment: Assessment) -> tuple[ScenarioForm | None, str]:
    """Add the posted variant: ``(None, notice)`` when added, else the form with its errors."""
    form = new_form(assessment, request.POST)
    if not form.is_valid():
        return form, ""
    try:
        variant = variant_add(
            assessment=assessment, name=form.cleaned_data["name"], overrides=form.overrides
        )
    except InvalidAnswers as error:
        form.add_answer_errors(error.errors)
    except TooManyVariants:
        form.add_error(None, FULL_MESSAGE)
    # A refused state (locked, not completed) is the write guard's WriteRefused:
    # advisor.assessments.middleware redirects with its reason, as for every write.
    else:
        return None, f"Scenario “{variant.name}” added."
    return form, ""


def remove_from_post(request: HttpRequest, assessment: Assessment) -> str:
    """Remove the posted variant; the notice to show."""
    try:
        variant_id = int(request.POST.get("variant", ""))
    except ValueError:
        return "No scenario was named: nothing was removed."
    removed = variant_remove(assessment=assessment, variant_id=variant_id)
    return "Scenario removed." if removed else "That scenario was removed already."


def _chart_svg(comparison: Comparison | None) -> SafeString:
    """The wide drawing and the phone's (CSS shows one): labels readable on both."""
    if comparison is None:
        return mark_safe("")
    drawings = [scenario_chart(comparison, size=size) for size in (charts.DESKTOP, charts.PHONE)]
    # Autoescaped template: scenario names can never become markup.
    return mark_safe(
        "".join(
            render_to_string("reports/_scenario_chart_svg.html", {"chart": chart})
            for chart in drawings
            if chart is not None
        )
    )
