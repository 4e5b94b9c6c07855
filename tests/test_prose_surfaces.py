"""The wording test: every sentence a surface shows, over the scenario library and a grid.

The scenario library is scored in full (with the uncertainty analysis: the
confidence sentences and the assumption crossings need it) and rendered on
every surface: the result page, the PDF's HTML, ``evaluate``'s text and the
CSV export. The grid of answer sets is scored without the uncertainty
analysis (fast) and put through the sentence builders the surfaces call.
Each text must pass :func:`tests.prose.prose_defects`.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils.html import strip_tags

from advisor import wording
from advisor.assessments.models import Assessment
from advisor.assessments.results import build_snapshot
from advisor.consultants.exports import assessments_csv
from advisor.reports import report_sections
from advisor.reports.evaluate_text import render_text
from advisor.reports.services import ReportInputs, report_html
from advisor.rules.models import Ruleset
from advisor.rules.reasons import open_question_sentence, reasons_summary
from advisor.snapshot import ResultSnapshot
from tests.prose import misnamed_options, prose_defects

SCENARIOS = sorted((Path(__file__).parents[1] / "advisor/rules/scenarios").glob("*.json"))

# 5 volumes x 3 loads x 2 shares x 3 capability needs x 2 drivers x 3 compliance
# set-ups x 3 GPU experiences = 1,620; every third keeps the grid to 540 cases.
GRID_AXES: dict[str, list[Any]] = {
    "monthly_queries": [300_000, 5_000_000, 30_000_000, 300_000_000, 3_000_000_000],
    "load_pattern": ["steady", "spiky", "business_hours"],
    "simple_query_share_pct": [20, 80],
    "frontier_capability": ["required", "helpful", "not_needed"],
    "primary_driver": ["cost", "compliance"],
    "compliance": ["none", "hipaa-unknown", "fedramp-no"],
    "gpu_ops_experience": ["none", "some", "established"],
}
COMPLIANCE = {
    "none": {},
    "hipaa-unknown": {"regimes": ["hipaa"], "hipaa_baa_sufficient": "unknown"},
    "fedramp-no": {"regimes": ["fedramp"], "fedramp_authorized_available": "no"},
}


def grid() -> Iterator[dict[str, Any]]:
    keys = list(GRID_AXES)
    for index, values in enumerate(itertools.product(*GRID_AXES.values())):
        if index % 3:
            continue
        answers = dict(zip(keys, values, strict=True))
        answers.update(COMPLIANCE[answers.pop("compliance")])
        yield answers


def sentences(snapshot: ResultSnapshot) -> Iterator[tuple[str, str]]:
    """(where, text) for every sentence the surfaces build from ``snapshot``."""
    for rule in snapshot.fired_rules:
        yield f"rationale {rule.code}", rule.rationale
    for caveat in snapshot.caveats:
        yield f"caveat {caveat.code}", caveat.text
    summary = reasons_summary(snapshot)
    for text in (*summary.cheaper, *summary.open_questions):
        yield "reasons", text
    for figure in report_sections.key_figures(snapshot):
        yield "key figure", f"{figure.label}: {figure.value}. {figure.detail}."
    change = report_sections.what_would_change(snapshot)
    for text in (*change.volume, *change.volume_ranges, *change.assumptions, change.volume_note):
        yield "what would change", text
    for flip in change.flips:
        yield "flip", f"{flip.change} -> {flip.recommendation}"
    for row in report_sections.option_cost_rows(snapshot, snapshot.recommendation):
        assert_row_agrees(row, snapshot)
        yield f"cost row {row.option}", f"{row.why}."
    for text in report_sections.serving_sentences(snapshot):
        yield "serving", text
    yield "confidence", report_sections.confidence_sentence(snapshot)
    yield "chart", snapshot.chart_description
    yield "evaluate text", render_text(snapshot)


def assert_row_agrees(row: report_sections.OptionCostRow, snapshot: ResultSnapshot) -> None:
    """A row's "why" says what its figures say: the difference it names is the rows' difference."""
    if snapshot.recommendation is None:
        return
    assert row.why, f"{row.option}: no reason given"
    assert row.why.startswith("Ruled out") == row.excluded, (row.option, row.why)
    assert row.why.startswith("Recommended:") == row.is_recommended, (row.option, row.why)
    rows = report_sections.option_cost_rows(snapshot, snapshot.recommendation)
    recommended = next(other for other in rows if other.is_recommended)
    difference = wording.usd_short(abs(row.tco_usd - recommended.tco_usd))
    if not row.is_recommended and not row.excluded and "saves about" not in row.why:
        assert row.why.count(difference) == 1, (row.option, row.why, difference)


def page_text(markup: str) -> str:
    """The words of a page, as a reader sees them (tags gone, entities decoded)."""
    return re.sub(r"\s+", " ", html.unescape(strip_tags(markup)))


def assert_clean(where: str, text: str) -> None:
    defects = prose_defects(text)
    assert defects == [], f"{where}: {defects}"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_every_surface_of_a_scenario_reads_cleanly(
    path: Path, make_completed: Callable[..., Assessment], client: Client
) -> None:
    answers = json.loads(path.read_text())["answers"]
    assessment = make_completed(answers)
    snapshot = ResultSnapshot.from_dict(assessment.result)
    for where, text in sentences(snapshot):
        assert_clean(f"{path.stem}, {where}", text)
    page = client.get(f"/a/{assessment.token}/result/")
    assert page.status_code == 200
    assert_clean(f"{path.stem}, result page", page_text(page.content.decode()))
    report = report_html(ReportInputs(result=snapshot, answers=answers, client_name="Acme"))
    assert_clean(f"{path.stem}, PDF", page_text(report))
    for row in csv.DictReader(io.StringIO(assessments_csv([assessment]))):
        for column, cell in row.items():
            assert_clean(f"{path.stem}, CSV {column}", cell)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: path.stem)
def test_no_caveat_starts_or_ends_the_plan_on_an_option_not_recommended(
    path: Path, seeded: None
) -> None:
    answers = json.loads(path.read_text())["answers"]
    assert_caveats_fit_the_plan(path.stem, build_snapshot(answers=answers, uncertainty=False))


def assert_caveats_fit_the_plan(where: str, snapshot: ResultSnapshot) -> None:
    """No caveat starts on, or moves to, an option the result does not recommend."""
    plan = snapshot.plan
    then = plan.then if plan is not None and plan.recommended else None
    for caveat in snapshot.caveats:
        found = misnamed_options(caveat.text, start=snapshot.recommendation, then=then)
        assert found == [], f"{where}, caveat {caveat.code}: {found}"


def test_every_sentence_over_the_grid_reads_cleanly(seeded: None) -> None:
    ruleset = Ruleset.objects.get(name="brief-2026", is_current=True)
    checked = 0
    for answers in grid():
        snapshot = build_snapshot(answers=answers, ruleset=ruleset, uncertainty=False)
        for where, text in sentences(snapshot):
            assert_clean(f"{answers}, {where}", text)
        assert_caveats_fit_the_plan(str(answers), snapshot)
        checked += 1
    assert checked == 540


@pytest.mark.parametrize(
    ("text", "defect"),
    [
        ("Check first: Is it? If yes, self-hosting; if no, self-hosting.", "identical branches"),
        ("It breaks even in month n/a (n/a: not within the horizon).", "n/a in prose"),
        ("the answers are locked.: send it to your client only.", "doubled punctuation"),
        ("Enter at least 1 tokens.", "plural after 1"),
        ("Self-hosting breaks even not within the horizon.", "broken negation"),
        ("If growth were above 0% per month (today 0% per month), the API would win.", "today"),
    ],
)
def test_the_checks_catch_each_defect_the_issue_lists(text: str, defect: str) -> None:
    assert any(defect in found for found in prose_defects(text))


@pytest.mark.parametrize(
    ("text", "start", "then"),
    [
        ("No production data yet: start on the API, then re-run.", "open_api", None),
        ("Switching to self-hosting later is normal.", "api", None),
        ("Start on a hosted open model; moving to the hybrid later.", "open_api", "self_host"),
    ],
)
def test_the_check_catches_an_option_the_result_does_not_recommend(
    text: str, start: str, then: str | None
) -> None:
    assert misnamed_options(text, start=start, then=then)


def test_the_recommended_start_and_destination_pass() -> None:
    text = "Start on the API; switching to self-hosting later is normal."
    assert misnamed_options(text, start="api", then="self_host") == []


def test_clean_sentences_pass() -> None:
    for text in (
        "Enter at least 1 token.",
        "It costs 1.5 tokens, $1 in all, 21 engineers... and 1 engineer.",
        "If growth were above 2% per month (today 0% per month), the API would win.",
        "Check first: Is it? If yes, the API; if no, self-hosting.",
        f"It breaks even {wording.break_even_month(None)}.",
    ):
        assert prose_defects(text) == [], text


def test_a_check_with_one_outcome_is_not_worded_as_a_choice() -> None:
    item = {"prompt": "Is the BAA sufficient?", "if_yes": "self_host", "if_no": "self_host"}
    sentence = open_question_sentence(item)
    assert "If yes" not in sentence
    assert sentence.startswith("Worth checking: Is the BAA sufficient? Either answer leads to")
