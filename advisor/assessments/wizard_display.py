"""What the wizard templates show, computed from specs, forms and answers.

Presentation only: no ORM access and no scoring (that is ``results.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from advisor import wording
from advisor.assessments.forms import BOOLEAN_CHOICES, NUMBER_TYPES, PLANNER_CHOICE, StepForm
from advisor.assessments.models import Assessment, PastResult, ReplacedBecause
from advisor.assessments.rescoring import answer_changes
from advisor.assessments.steps import Step
from advisor.costs.catalog import PLANNED_CATALOG_KINDS
from advisor.rules.answers import QuestionSpec

if TYPE_CHECKING:
    from django.forms import BoundField

    from advisor.assessments.selectors import Wizard


@dataclass(frozen=True)
class QuestionRow:
    """One question's place on a step; ``field`` is None while its show-if is false."""

    spec: QuestionSpec
    field: BoundField | None
    hint: str = ""

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def conditional(self) -> bool:
        return bool(self.spec.show_if.strip())

    @property
    def numeric(self) -> bool:
        return self.spec.type in NUMBER_TYPES

    @property
    def default_note(self) -> str:
        """What applies when a question with no static default is left unanswered.

        Every default is visible: a choice the cost model makes from other
        answers (the GPU pricing follows the data's residency) is said in
        words while nothing is ticked.
        """
        if self.field is None or self.spec.default is not None or self.field.value():
            return ""
        return COMPUTED_DEFAULTS.get(self.spec.key, "")


# Questions whose default the cost model works out from other answers
# (advisor.costs.assumptions.default_gpu_pricing), in the buyer's words.
COMPUTED_DEFAULTS = {
    "self_host_model": (
        "Default if left to the planner: the open model of your API model's capability tier, "
        "on the cheapest measured GPU configuration that serves your volume."
    ),
    "small_model": (
        "Default if left to the planner: the small open model on the cheapest measured GPU "
        "configuration that serves the simple queries."
    ),
    "gpu_pricing": (
        "Default if left unticked: on-demand rental, or GPUs you own when the data "
        "must stay on your premises."
    ),
}


def question_rows(
    step: Step, form: StepForm, visible: Sequence[QuestionSpec], *, hints: Mapping[str, str]
) -> list[QuestionRow]:
    shown = {spec.key for spec in visible}
    return [
        QuestionRow(
            spec=spec,
            field=form[spec.key] if spec.key in shown else None,
            hint=hints.get(spec.key, ""),
        )
        for spec in step.questions
    ]


def follow_up_announcement(
    visible: Sequence[QuestionSpec], shown_before: Collection[str], step: Step
) -> str:
    """What changed, for the screen-reader status region ("Follow-up question added: …")."""
    if not shown_before:
        return ""
    now = {spec.key for spec in visible}
    added = [spec.prompt for spec in visible if spec.key not in shown_before]
    removed = [
        spec.prompt for spec in step.questions if spec.key in shown_before and spec.key not in now
    ]
    parts = [f"Follow-up question added: {prompt}" for prompt in added]
    parts += [f"Follow-up question removed: {prompt}" for prompt in removed]
    return ". ".join(parts)


@dataclass(frozen=True)
class ProgressItem:
    number: int
    title: str
    slug: str  # "" for the review step
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Progress:
    items: tuple[ProgressItem, ...]
    current_number: int

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def current_title(self) -> str:
        return self.items[self.current_number - 1].title

    @property
    def percent(self) -> int:
        return round(100 * self.current_number / self.total)


def progress(
    steps: Sequence[Step], saved_steps: Iterable[str], *, current: Step | None
) -> Progress:
    """Step k of n, with section names; the review is the last step (``current=None``)."""
    saved = set(saved_steps)
    items: list[ProgressItem] = []
    current_number = len(steps) + 1
    for number, step in enumerate(steps, start=1):
        if current is not None and step.slug == current.slug:
            state, current_number = "current", number
        else:
            state = "done" if step.slug in saved else "todo"
        items.append(ProgressItem(number, step.title, step.slug, state))
    review_state = "current" if current is None else "todo"
    items.append(ProgressItem(len(steps) + 1, "Review", "", review_state))
    return Progress(tuple(items), current_number)


def display_answer(
    spec: QuestionSpec, value: Any, catalog_options: Mapping[str, Sequence[tuple[str, str]]]
) -> str:
    """An answer as a buyer reads it: labels for choices, separators and units for numbers."""
    if value is None and spec.type == "catalog" and spec.catalog in PLANNED_CATALOG_KINDS:
        return PLANNER_CHOICE  # what the step's select shows, and what the result is costed on
    if value is None:
        return "Not answered"
    if spec.type == "boolean":
        return dict(BOOLEAN_CHOICES)["true" if value else "false"]
    if spec.type == "choice":
        return dict(spec.choices).get(value, str(value))
    if spec.type == "multi_choice":
        labels = dict(spec.choices)
        return ", ".join(labels.get(item, str(item)) for item in value) or "None"
    if spec.type == "catalog":
        return dict(catalog_options.get(spec.catalog, ())).get(value, str(value))
    if spec.type in NUMBER_TYPES and isinstance(value, (int, float)):
        if abs(value) >= LARGEST_NUMBER_IN_FULL:
            # Stored before the bounds existed: "1e307" in 308 digits helps no one.
            return f"{float(value):.3e} {spec.unit}".strip()
        number = f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"
        return wording.quantity(number, spec.unit)
    return str(value)


LARGEST_NUMBER_IN_FULL = 10**15


@dataclass(frozen=True)
class ReviewItem:
    key: str
    prompt: str
    answer: str
    is_default: bool
    error: str = ""  # why this answer cannot be scored (an overflow in the cost model)
    is_measured: bool = False


@dataclass(frozen=True)
class ReviewSection:
    step: Step
    items: tuple[ReviewItem, ...]


def review_sections(
    wizard: Wizard,
    answers: Mapping[str, Any],
    *,
    errors: Mapping[str, str] | None = None,
    measured: Collection[str] = (),
    scored: Mapping[str, Any] | None = None,
) -> list[ReviewSection]:
    """Every visible question with the answer that will be scored (given, measured or default).

    ``errors`` maps a question key to why its answer could not be scored.
    ``scored``, a result's own answers, shows what was scored where the
    wizard has no static default (the GPU the capacity planner chose, the
    pricing that follows the load); defaults are still marked from ``answers``.
    """
    errors = errors or {}
    completed = {**wizard.with_defaults(answers), **(scored or {})}
    sections: list[ReviewSection] = []
    for step in wizard.steps:
        items = tuple(
            ReviewItem(
                key=spec.key,
                prompt=spec.prompt or spec.key,
                answer=display_answer(spec, completed.get(spec.key), wizard.catalog_options),
                is_default=spec.key not in answers,
                error=errors.get(spec.key, ""),
                is_measured=spec.key in measured,
            )
            for spec in wizard.visible(step, answers)
        )
        sections.append(ReviewSection(step, items))
    return sections


# --- what changed after delivery (the consultant's page) --------------------------------

# Answers the price catalog fills in when the buyer leaves them: a difference
# there is the catalog (or the like-for-like pick) speaking, not the buyer.
CATALOG_BACKED_KEYS = frozenset(
    {
        "api_model",
        "self_host_model",
        "small_model",
        "gpu",
        "engineer_monthly_cost_usd",
        "first_year_budget_usd",
    }
)


@dataclass(frozen=True)
class AnswerChangeRow:
    key: str
    prompt: str
    before: str
    after: str


def answer_change_rows(
    wizard: Wizard, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[AnswerChangeRow]:
    """The answers that differ between two complete answer sets, as the buyer reads them."""
    specs = {spec.key: spec for spec in wizard.specs}
    return [
        AnswerChangeRow(
            key=change.key,
            prompt=specs[change.key].prompt or change.key,
            before=display_answer(specs[change.key], change.before, wizard.catalog_options),
            after=display_answer(specs[change.key], change.after, wizard.catalog_options),
        )
        for change in answer_changes(before, after, keys=list(specs))
    ]


def pending_answer_changes(
    wizard: Wizard, delivered: Mapping[str, Any], answers: Mapping[str, Any]
) -> list[AnswerChangeRow]:
    """What the buyer changed since the delivered result, before completing again.

    ``delivered`` is the result's own (complete) answers; ``answers`` the
    buyer's current ones. Catalog-backed answers the buyer has not given
    count as unchanged: the result holds the catalog's pick for them.
    """
    current = wizard.with_defaults(answers)
    for key in CATALOG_BACKED_KEYS - set(answers):
        if key in delivered:
            current[key] = delivered[key]
    return answer_change_rows(wizard, delivered, current)


@dataclass(frozen=True)
class HistoryRow:
    past: PastResult
    changes: list[AnswerChangeRow]


def history_rows(
    wizard: Wizard, assessment: Assessment, history: Sequence[PastResult]
) -> list[HistoryRow]:
    """Each replaced result (newest first) with the answers changed by what replaced it."""
    rows = []
    for index, past in enumerate(history):
        replacement = history[index - 1].result if index else (assessment.result or {})
        changes = (
            answer_change_rows(
                wizard, past.result.get("answers") or {}, replacement.get("answers") or {}
            )
            if past.reason == ReplacedBecause.ANSWERS_CHANGED
            else []
        )
        rows.append(HistoryRow(past, changes))
    return rows


# Figures an import can measure before the ruleset has a question for them (no prompt yet).
USAGE_FIGURE_LABELS = {
    "cached_input_share_pct": "Share of input tokens served from the prompt cache",
    "batch_share_pct": "Share of queries that could wait for a batch API",
}


@dataclass(frozen=True)
class UsageFigure:
    """One figure derived from a usage export, as the workload step's panel lists it."""

    key: str
    prompt: str
    answer: str
    provenance: str
    is_measured: bool


@dataclass(frozen=True)
class UsagePanel:
    """The "Fill from a usage export" panel: the derived figures, if any, and an error."""

    error: str = ""
    source_label: str = ""
    filename: str = ""
    period: str = ""
    gaps: tuple[str, ...] = ()
    figures: tuple[UsageFigure, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    kept_file: bool = False
    accepted: bool = False

    @property
    def derived(self) -> bool:
        return bool(self.figures or self.missing)


def usage_panel(
    derived: Mapping[str, Any] | None,
    wizard: Wizard,
    *,
    measured: Collection[str],
    error: str = "",
) -> UsagePanel:
    """What the panel shows from the assessment's ``usage_import`` (see assessments/usage.py)."""
    if not derived:
        return UsagePanel(error=error)
    specs = {spec.key: spec for step in wizard.steps for spec in step.questions}
    figures = []
    for key, figure in (derived.get("figures") or {}).items():
        spec = specs.get(key)
        if spec is None or key == "has_production_data":
            continue
        figures.append(
            UsageFigure(
                key=key,
                prompt=spec.prompt or key,
                answer=display_answer(spec, figure.get("value"), wizard.catalog_options),
                provenance=str(figure.get("provenance", "")),
                is_measured=key in measured,
            )
        )
    missing = tuple(
        ((specs[key].prompt if key in specs else USAGE_FIGURE_LABELS.get(key)) or key, str(reason))
        for key, reason in (derived.get("missing") or {}).items()
    )
    return UsagePanel(
        error=error,
        source_label=str(derived.get("source_label", "")),
        filename=str(derived.get("filename", "")),
        period=str((derived.get("period") or {}).get("text", "")),
        gaps=tuple(derived.get("gaps") or ())[:5],
        figures=tuple(figures),
        missing=missing,
        notes=tuple(derived.get("notes") or ())[:8],
        kept_file=bool(derived.get("kept_file")),
        accepted=bool(derived.get("accepted")),
    )
