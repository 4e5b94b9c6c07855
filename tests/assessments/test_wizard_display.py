"""What the wizard's templates show: question rows, progress, answers as read, history, usage."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from advisor.assessments.forms import PLANNER_CHOICE, StepForm
from advisor.assessments.models import Assessment, PastResult, ReplacedBecause
from advisor.assessments.selectors import Wizard
from advisor.assessments.steps import build_steps
from advisor.assessments.wizard_display import (
    USAGE_FIGURE_LABELS,
    answer_change_rows,
    display_answer,
    follow_up_announcement,
    history_rows,
    pending_answer_changes,
    progress,
    question_rows,
    review_sections,
    usage_panel,
)
from advisor.costs.catalog import CatalogSnapshot
from advisor.rules.answers import QuestionSpec
from advisor.rules.conditions import ConditionSchema

VOLUME = QuestionSpec(
    "monthly_queries",
    "integer",
    section="Workload",
    prompt="Queries a month",
    unit="queries",
    default=1_000_000,
)
LOAD = QuestionSpec(
    "load_pattern",
    "choice",
    section="Workload",
    prompt="Load pattern",
    choices=(("steady", "Steady"), ("spiky", "Spiky")),
    default="steady",
)
BURSTS = QuestionSpec(
    "bursts_planned",
    "boolean",
    section="Workload",
    prompt="Bursts planned",
    show_if='load_pattern == "spiky"',
)
REGIMES = QuestionSpec(
    "regimes",
    "multi_choice",
    section="Compliance",
    prompt="Regimes",
    choices=(("hipaa", "HIPAA"), ("gdpr", "GDPR")),
    default=(),
)
API_MODEL = QuestionSpec(
    "api_model", "catalog", section="Models", prompt="API model", catalog="api_model"
)
SPECS = (VOLUME, LOAD, BURSTS, REGIMES, API_MODEL)
CATALOG_OPTIONS = {"api_model": (("mid-a", "Mid model A"), ("mid-b", "Mid model B"))}


def wizard(specs: tuple[QuestionSpec, ...] = SPECS) -> Wizard:
    """A wizard built by hand: no ruleset, an empty catalog (no catalog defaults)."""
    schema = ConditionSchema.build(
        [(spec.key, spec.type, [value for value, _ in spec.choices]) for spec in specs],
        outcome=False,
    )
    return Wizard(
        specs=specs,
        steps=build_steps(specs),
        schema=schema,
        triggers=frozenset({"load_pattern"}),
        catalog=CatalogSnapshot("", (), (), (), ()),
        defaults={},
    )


def test_a_hidden_question_keeps_its_row_without_a_field() -> None:
    step = wizard().steps[0]
    form = StepForm(specs=(VOLUME, LOAD), catalog_options={}, catalog_keys={})
    rows = question_rows(step, form, (VOLUME, LOAD), hints={"load_pattern": "From your logs"})
    assert [row.key for row in rows] == ["monthly_queries", "load_pattern", "bursts_planned"]
    assert [row.field is None for row in rows] == [False, False, True]
    assert [row.hint for row in rows] == ["", "From your logs", ""]
    assert [row.numeric for row in rows] == [True, False, False]
    assert [row.conditional for row in rows] == [False, False, True]


def test_no_announcement_on_a_steps_first_showing() -> None:
    assert follow_up_announcement((VOLUME, LOAD, BURSTS), (), wizard().steps[0]) == ""


def test_follow_ups_added_and_removed_are_announced() -> None:
    step = wizard().steps[0]
    shown_before = {"monthly_queries", "load_pattern"}
    assert follow_up_announcement((VOLUME, LOAD, BURSTS), shown_before, step) == (
        "Follow-up question added: Bursts planned"
    )
    assert follow_up_announcement((VOLUME, LOAD), shown_before | {"bursts_planned"}, step) == (
        "Follow-up question removed: Bursts planned"
    )


def test_progress_marks_saved_current_and_remaining_steps_then_the_review() -> None:
    steps = wizard().steps
    shown = progress(steps, ["workload"], current=steps[1])
    assert [(item.title, item.state) for item in shown.items] == [
        ("Workload", "done"),
        ("Compliance", "current"),
        ("Models", "todo"),
        ("Review", "todo"),
    ]
    assert (shown.current_number, shown.total, shown.percent) == (2, 4, 50)
    assert shown.current_title == "Compliance"


def test_the_review_is_the_last_step_of_progress() -> None:
    steps = wizard().steps
    shown = progress(steps, ["workload", "compliance", "models"], current=None)
    assert shown.items[-1].state == "current"
    assert shown.items[-1].slug == ""
    assert (shown.current_number, shown.percent, shown.current_title) == (4, 100, "Review")


def test_answers_read_as_labels_numbers_and_units() -> None:
    assert display_answer(VOLUME, None, {}) == "Not answered"
    assert display_answer(BURSTS, True, {}) == "Yes"
    assert display_answer(BURSTS, False, {}) == "No"
    assert display_answer(LOAD, "spiky", {}) == "Spiky"
    assert display_answer(REGIMES, ("hipaa", "gdpr"), {}) == "HIPAA, GDPR"
    assert display_answer(REGIMES, (), {}) == "None"
    assert display_answer(API_MODEL, "mid-b", CATALOG_OPTIONS) == "Mid model B"
    assert display_answer(VOLUME, 20_000_000, {}) == "20,000,000 queries"
    assert display_answer(VOLUME, 2.5, {}) == "2.50 queries"


def test_a_value_no_longer_offered_is_shown_as_stored() -> None:
    assert display_answer(LOAD, "business_hours", {}) == "business_hours"
    assert display_answer(API_MODEL, "retired-model", CATALOG_OPTIONS) == "retired-model"


def test_a_number_too_long_to_read_is_shown_in_scientific_notation() -> None:
    assert display_answer(VOLUME, 10**20, {}) == "1.000e+20 queries"


def test_review_shows_visible_questions_with_the_answer_that_will_be_scored() -> None:
    sections = review_sections(
        wizard(),
        {"load_pattern": "spiky", "bursts_planned": True},
        errors={"monthly_queries": "Too large for the cost model"},
        measured={"load_pattern"},
    )
    workload = sections[0]
    assert [(item.key, item.answer, item.is_default) for item in workload.items] == [
        ("monthly_queries", "1,000,000 queries", True),
        ("load_pattern", "Spiky", False),
        ("bursts_planned", "Yes", False),
    ]
    assert workload.items[0].error == "Too large for the cost model"
    assert [item.is_measured for item in workload.items] == [False, True, False]
    assert [section.step.title for section in sections] == ["Workload", "Compliance", "Models"]


def test_review_leaves_out_a_question_whose_show_if_is_false() -> None:
    keys = [item.key for item in review_sections(wizard(), {"load_pattern": "steady"})[0].items]
    assert keys == ["monthly_queries", "load_pattern"]


def test_answer_change_rows_read_as_the_buyer_does() -> None:
    before = {"monthly_queries": 1_000_000, "load_pattern": "steady", "regimes": []}
    after = {"monthly_queries": 1_000_000, "load_pattern": "spiky", "regimes": ["gdpr"]}
    rows = answer_change_rows(wizard(), before, after)
    assert [(row.prompt, row.before, row.after) for row in rows] == [
        ("Load pattern", "Steady", "Spiky"),
        ("Regimes", "None", "GDPR"),
    ]


def test_pending_changes_ignore_catalog_picks_the_buyer_did_not_make() -> None:
    delivered = {
        "monthly_queries": 1_000_000,
        "load_pattern": "steady",
        "regimes": [],
        "api_model": "mid-a",
    }
    rows = pending_answer_changes(wizard(), delivered, {"monthly_queries": 3_000_000})
    assert [(row.key, row.before, row.after) for row in rows] == [
        ("monthly_queries", "1,000,000 queries", "3,000,000 queries")
    ]


def test_pending_changes_count_a_catalog_pick_the_buyer_changed() -> None:
    delivered = {
        "monthly_queries": 1_000_000,
        "load_pattern": "steady",
        "regimes": [],
        "api_model": "mid-a",
    }
    rows = pending_answer_changes(wizard(), delivered, {"api_model": "mid-b"})
    assert [(row.key, row.before, row.after) for row in rows] == [
        ("api_model", "mid-a", "mid-b")  # an empty catalog has no labels for them
    ]


def past(reason: str, answers: dict[str, Any]) -> PastResult:
    return PastResult(result={"answers": answers}, reason=reason)


def test_history_rows_list_what_replaced_each_result() -> None:
    assessment = Assessment(result={"answers": {"load_pattern": "spiky"}})
    newest = past(ReplacedBecause.ANSWERS_CHANGED, {"load_pattern": "steady"})
    rescored = past(ReplacedBecause.RESCORED, {"load_pattern": "steady"})
    oldest = past(ReplacedBecause.ANSWERS_CHANGED, {"load_pattern": "steady", "regimes": []})
    rows = history_rows(wizard(), assessment, [newest, rescored, oldest])
    assert [row.past for row in rows] == [newest, rescored, oldest]
    # The newest was replaced by the current result; each older one by the row above it.
    assert [(change.before, change.after) for change in rows[0].changes] == [("Steady", "Spiky")]
    assert rows[1].changes == []  # re-scored: the answers did not change
    assert [change.key for change in rows[2].changes] == ["regimes"]


def test_no_usage_import_shows_only_the_error() -> None:
    panel = usage_panel(None, wizard(), measured=(), error="Not a LiteLLM export")
    assert panel.error == "Not a LiteLLM export"
    assert not panel.derived
    assert panel.figures == ()


def test_usage_panel_lists_the_figures_the_ruleset_asks_for() -> None:
    derived = {
        "source_label": "LiteLLM",
        "filename": "spend.json",
        "period": {"text": "1-31 March 2026"},
        "figures": {
            "monthly_queries": {"value": 2_500_000, "provenance": "31 days of logs"},
            "has_production_data": {"value": True, "provenance": "an export exists"},
            "not_a_question": {"value": 3, "provenance": "?"},
        },
        "missing": {"load_pattern": "too few days", "batch_share_pct": "no batch field"},
        "gaps": [f"gap {i}" for i in range(7)],
        "notes": [f"note {i}" for i in range(10)],
        "kept_file": True,
    }
    panel = usage_panel(derived, wizard(), measured={"monthly_queries"})
    assert [(f.key, f.answer, f.provenance, f.is_measured) for f in panel.figures] == [
        ("monthly_queries", "2,500,000 queries", "31 days of logs", True)
    ]
    assert panel.missing == (
        ("Load pattern", "too few days"),
        (USAGE_FIGURE_LABELS["batch_share_pct"], "no batch field"),
    )
    assert (panel.source_label, panel.filename, panel.period) == (
        "LiteLLM",
        "spend.json",
        "1-31 March 2026",
    )
    assert (len(panel.gaps), len(panel.notes)) == (5, 8)
    assert panel.kept_file
    assert not panel.accepted
    assert panel.derived


def test_a_default_the_cost_model_works_out_is_said_in_words(client, make_completed) -> None:
    # No GPU pricing ticked: what applies is visible, not an empty set of radios.
    assessment = make_completed()
    page = client.get(f"/a/{assessment.token}/step/cost-assumptions/").content.decode()
    assert "Default if left unticked: on-demand rental" in page
    assessment.answers = {**assessment.answers, "gpu_pricing": "owned"}
    assessment.save()
    page = client.get(f"/a/{assessment.token}/step/cost-assumptions/").content.decode()
    assert "Default if left unticked" not in page


def test_a_configuration_left_to_the_planner_reads_as_the_step_shows_it() -> None:
    spec = replace(VOLUME, key="self_host_model", type="catalog", catalog="self_host_model")
    assert display_answer(spec, None, {}) == PLANNER_CHOICE
