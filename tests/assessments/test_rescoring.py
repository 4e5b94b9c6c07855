"""What re-scoring would change: the diff of two result snapshots, and its fingerprint."""

from __future__ import annotations

from typing import Any

from advisor.assessments import rescoring
from advisor.assessments.rescoring import (
    AnswerChange,
    TcoChange,
    answer_changes,
    snapshot_fingerprint,
)
from advisor.snapshot import ResultSnapshot


def diff_results(before: dict[str, Any], after: dict[str, Any]) -> rescoring.ResultDiff:
    """Two stored results compared, read as every caller reads them (through the snapshot)."""
    return rescoring.diff_results(ResultSnapshot.from_dict(before), ResultSnapshot.from_dict(after))


def snapshot(**overrides: Any) -> dict[str, Any]:
    """A stored result with only what the diff reads."""
    base: dict[str, Any] = {
        "ruleset": {"name": "brief-2026", "version": 3},
        "recommendation": "api",
        "confidence": 0.8,
        "excluded": {"self_host": ["Data must stay in the EU"]},
        "caveats": [{"code": "baa", "text": "Check the BAA."}],
        "costs": {
            "options": {
                "api": {"tco_usd": 1_000_000.0},
                "self_host": {"tco_usd": 2_000_000.0},
                "hybrid": {"tco_usd": 1_500_000.0},
            }
        },
        "computed_at": "2026-01-05T09:10:00+00:00",
    }
    return {**base, **overrides}


def with_tco(option: str, value: float | None) -> dict[str, Any]:
    options = {**snapshot()["costs"]["options"], option: {"tco_usd": value}}
    return snapshot(costs={"options": options})


def test_the_same_result_is_unchanged() -> None:
    diff = diff_results(snapshot(), snapshot(computed_at="2026-02-01T00:00:00+00:00"))
    assert diff.unchanged
    assert not diff.tco_changed


def test_a_new_recommendation_is_a_change() -> None:
    diff = diff_results(snapshot(), snapshot(recommendation="hybrid"))
    assert diff.recommendation_changed
    assert (diff.recommendation_before, diff.recommendation_after) == ("api", "hybrid")
    assert not diff.unchanged


def test_confidence_moving_by_rounding_is_not_a_change() -> None:
    assert not diff_results(snapshot(), snapshot(confidence=0.804)).confidence_changed
    assert diff_results(snapshot(), snapshot(confidence=0.81)).confidence_changed


def test_a_new_ruleset_version_is_a_change() -> None:
    diff = diff_results(snapshot(), snapshot(ruleset={"name": "brief-2026", "version": 4}))
    assert (diff.ruleset_before, diff.ruleset_after) == ("brief-2026 3", "brief-2026 4")
    assert diff.ruleset_changed
    assert not diff.unchanged


def test_a_result_without_ruleset_reads_as_unknown() -> None:
    assert diff_results(snapshot(ruleset=None), snapshot()).ruleset_before == "? ?"


def test_exclusions_added_and_removed_keep_their_reasons() -> None:
    diff = diff_results(snapshot(), snapshot(excluded={"hybrid": ["No GPUs in region"]}))
    assert diff.excluded_added == {"hybrid": ["No GPUs in region"]}
    assert diff.excluded_removed == {"self_host": ["Data must stay in the EU"]}
    assert not diff.unchanged


def test_caveats_are_matched_by_code() -> None:
    after = snapshot(
        caveats=[
            {"code": "baa", "text": "Check the BAA (reworded)."},
            {"code": "egress", "text": "Egress is billed."},
        ]
    )
    diff = diff_results(snapshot(), after)
    assert diff.caveats_added == [{"code": "egress", "text": "Egress is billed."}]
    assert diff.caveats_removed == []


def test_tco_moving_under_a_dollar_is_not_a_change() -> None:
    assert not diff_results(snapshot(), with_tco("api", 1_000_000.5)).tco_changed
    assert diff_results(snapshot(), with_tco("api", 1_000_001.0)).tco_changed


def test_tco_rows_follow_the_options_with_their_labels_and_differences() -> None:
    diff = diff_results(snapshot(), with_tco("hybrid", 1_400_000.0))
    assert [(row.option, row.label) for row in diff.tco] == [
        ("api", "Commercial API"),
        ("self_host", "Self-hosted"),
        ("hybrid", "Hybrid"),
    ]
    assert diff.tco[2].difference_usd == -100_000.0
    assert [row.changed for row in diff.tco] == [False, False, True]


def test_a_tco_that_appears_or_disappears_is_a_change_without_a_difference() -> None:
    appeared = TcoChange("hybrid", "Hybrid", None, 1_500_000.0)
    neither = TcoChange("hybrid", "Hybrid", None, None)
    assert appeared.changed
    assert appeared.difference_usd is None
    assert not neither.changed


def test_a_snapshot_without_costs_has_no_tco() -> None:
    diff = diff_results(snapshot(costs=None), snapshot(costs=None))
    assert [row.before_usd for row in diff.tco] == [None, None, None]
    assert diff.unchanged


def test_answer_changes_follow_the_questionnaire_order() -> None:
    before = {"monthly_queries": 1_000_000, "load_pattern": "steady", "regimes": ["gdpr"]}
    after = {"load_pattern": "spiky", "monthly_queries": 2_000_000, "regimes": ("gdpr",)}
    keys = ["load_pattern", "monthly_queries", "regimes"]
    assert answer_changes(before, after, keys=keys) == [
        AnswerChange("load_pattern", "steady", "spiky"),
        AnswerChange("monthly_queries", 1_000_000, 2_000_000),
    ]


def test_an_answer_given_on_one_side_only_is_a_change_from_none() -> None:
    changes = answer_changes({}, {"customer_facing": True}, keys=["customer_facing", "gpu"])
    assert changes == [AnswerChange("customer_facing", None, True)]


def test_fingerprint_ignores_when_the_result_was_computed() -> None:
    later = snapshot(computed_at="2026-03-01T00:00:00+00:00")
    assert snapshot_fingerprint(snapshot()) == snapshot_fingerprint(later)


def test_fingerprint_ignores_when_an_old_snapshots_page_was_computed() -> None:
    old = snapshot(page={"computed_at": "2025-12-01", "flips": []})
    older = snapshot(page={"computed_at": "2025-11-01", "flips": []})
    assert snapshot_fingerprint(old) == snapshot_fingerprint(older)


def test_fingerprint_changes_with_any_figure() -> None:
    assert snapshot_fingerprint(snapshot()) != snapshot_fingerprint(with_tco("api", 1_000_000.01))


def test_fingerprint_does_not_depend_on_key_order() -> None:
    reordered = dict(reversed(list(snapshot().items())))
    assert snapshot_fingerprint(reordered) == snapshot_fingerprint(snapshot())
