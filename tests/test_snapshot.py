"""The typed result snapshot (``advisor/snapshot.py``): storage, old shapes, one wording."""

from __future__ import annotations

import json
from typing import Any

import pytest

from advisor.assessments.results import build_snapshot
from advisor.rules.models import Ruleset
from advisor.snapshot import (
    SNAPSHOT_VERSION,
    Change,
    ResultSnapshot,
    break_even_sentence,
    breaks_even_today,
)

from .conftest import HIGH_VOLUME_ANSWERS


@pytest.fixture
def snapshot(brief_ruleset: Ruleset) -> ResultSnapshot:
    return build_snapshot(ruleset=brief_ruleset, answers=HIGH_VOLUME_ANSWERS)


def old_shape(snapshot: ResultSnapshot) -> dict[str, Any]:
    """The dict stored before snapshot version 2: flips and an SVG in "page"."""
    stored = snapshot.to_dict()
    flips = [change for change in stored["what_would_change"] if change["kind"] == "answer"]
    stored["what_would_change"] = [
        change for change in stored["what_would_change"] if change["kind"] == "assumption"
    ]
    del stored["snapshot_version"], stored["computed_at"]
    stored["page"] = {
        "computed_at": "2026-01-05T10:00:00+00:00",
        "option_labels": {"api": "Commercial API"},
        "chart_svg": '<svg id="cumulative-cost-chart"><title>stored</title></svg>',
        "chart_description": "stored description",
        "chart_table": [],
        "cost_rows": [],
        "break_even_volumes": [],
        "flips": [
            {"key": flip["key"], "change": flip["text"], "recommendation": flip["recommendation"]}
            for flip in flips
        ],
    }
    return stored


def test_round_trip_through_json_gives_an_equal_snapshot(snapshot: ResultSnapshot) -> None:
    stored = json.loads(json.dumps(snapshot.to_dict(), allow_nan=False))

    assert ResultSnapshot.from_dict(stored) == snapshot
    assert ResultSnapshot.from_dict(stored).to_dict() == stored
    assert stored["snapshot_version"] == SNAPSHOT_VERSION


def test_what_would_change_holds_answer_flips_and_assumption_crossings(
    snapshot: ResultSnapshot,
) -> None:
    kinds = {change.kind for change in snapshot.what_would_change}
    assert "answer" in kinds
    assert kinds <= {"answer", "assumption"}
    for item in snapshot.to_dict()["what_would_change"]:
        assert set(item) == {"kind", "key", "value", "recommendation", "text"}
        assert item["recommendation"] != snapshot.recommendation
    volume = [change for change in snapshot.answer_changes if change.key == "monthly_queries"]
    assert all(isinstance(change.value, int) for change in volume)


def test_an_old_shape_result_still_reads(snapshot: ResultSnapshot) -> None:
    old = ResultSnapshot.from_dict(old_shape(snapshot))

    assert old.recommendation == snapshot.recommendation
    assert old.costs == snapshot.costs
    assert [change.text for change in old.answer_changes] == [
        change.text for change in snapshot.answer_changes
    ]
    assert old.assumption_changes == snapshot.assumption_changes
    assert old.computed_at == "2026-01-05T10:00:00+00:00"
    # The stored SVG and description are not used: both come from the numbers.
    assert old.chart_description == snapshot.chart_description
    assert "page" not in old.to_dict()


def test_a_result_from_before_decision_model_v2_reads() -> None:
    oldest = {
        "recommendation": "api",
        "confidence": 0.8,
        "scores": {"api": 2, "self_host": 0, "hybrid": 0},
        "excluded": {},
        "fired_rules": [{"code": "low-volume", "title": "Low", "rationale": "R", "effect": {}}],
        "caveats": [],
        "costs": {
            "horizon_months": 12,
            "options": {
                option: {"tco_usd": 12.0, "monthly_usd": [1.0] * 12, "cost_per_1k_queries_usd": 1}
                for option in ("api", "self_host", "hybrid")
            },
            "break_even_month": {"self_host": None, "hybrid": None},
            "break_even_volume_multiplier": {"self_host": None, "hybrid": None},
        },
        "ruleset": {"name": "brief-2026", "version": "1"},
    }

    snapshot = ResultSnapshot.from_dict(oldest)

    assert snapshot.reasons is None and snapshot.what_would_change == ()
    assert snapshot.chart_table[-1].api_usd == 12.0  # summed from the monthly figures
    assert [row.month for row in snapshot.chart_table] == [6, 12]
    assert "would not break even" in snapshot.break_even[0].text


@pytest.mark.parametrize(
    ("multiplier", "today"), [(0.5, True), (1.0, True), (1.0001, False), (None, False)]
)
def test_one_threshold_decides_breaking_even(multiplier: float | None, today: bool) -> None:
    assert breaks_even_today(multiplier) is today
    sentence = break_even_sentence("Self-hosted", multiplier, 1000, 36)
    assert ("already costs no more" in sentence) is today


def test_a_change_to_every_option_ruled_out_says_so() -> None:
    assert Change("answer", "regimes", [], None, "x").recommendation_label == (
        "every option ruled out"
    )


def test_a_chart_table_row_lists_its_figures_in_option_order(snapshot: ResultSnapshot) -> None:
    rows = snapshot.chart_table
    step = snapshot.chart_table_step_months
    assert [row.month for row in rows][:2] == [step, 2 * step]
    for row in rows:
        assert row.usd_by_option == tuple(
            snapshot.cumulative_usd(option)[row.month - 1] for option in snapshot.charted_options
        )
