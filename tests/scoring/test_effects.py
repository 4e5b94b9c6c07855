"""Typed rule effects: each kind parses, and a bad one says which field is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.scoring.effects import (
    Check,
    CostEffect,
    Exclude,
    InvalidEffect,
    RangeEffect,
    Triangle,
    parse_effects,
)


def test_each_kind_parses_to_its_type() -> None:
    effects = parse_effects(
        [
            {"kind": "exclude", "options": ["api", "open_api", "hybrid"]},
            {"kind": "caveat", "code": "c", "text": "Mind it."},
            {
                "kind": "cost",
                "options": ["self_host"],
                "label": "Contractor while the team learns",
                "usd_per_month": {"low": 5000, "base": 10000, "high": 20000},
                "one_off_usd": 30000,
            },
            {"kind": "range", "target": "monthly_queries", "low_factor": 0.3, "high_factor": 3},
            {"kind": "check", "key": "hipaa_baa_sufficient"},
        ]
    )
    assert [effect.kind for effect in effects] == ["exclude", "caveat", "cost", "range", "check"]
    assert effects[0] == Exclude(("api", "open_api", "hybrid"))
    cost = effects[2]
    assert isinstance(cost, CostEffect)
    assert cost.one_off_usd == Triangle.point(30000)
    assert cost.total(36) == Triangle(30000 + 5000 * 36, 30000 + 10000 * 36, 30000 + 20000 * 36)
    assert effects[3] == RangeEffect("monthly_queries", 0.3, 3.0)
    assert effects[4] == Check("hipaa_baa_sufficient")


def test_effects_round_trip_through_their_json() -> None:
    raw = [
        {"kind": "cost", "options": ["open_api"], "label": "Evaluation", "one_off_usd": 1000},
        {"kind": "range", "target": "monthly_queries", "low_factor": 0.5, "high_factor": 2},
    ]
    effects = parse_effects(raw)
    assert parse_effects([effect.to_dict() for effect in effects]) == effects


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"kind": "score"}, "kind must be one of"),
        ({"kind": "exclude", "options": ["cloud"]}, "options must be a non-empty list"),
        ({"kind": "cost", "options": ["api"], "one_off_usd": 5}, "needs a 'label'"),
        ({"kind": "cost", "options": ["api"], "label": "x"}, "needs usd_per_month or one_off_usd"),
        (
            {"kind": "cost", "options": ["api"], "label": "x",
             "one_off_usd": {"low": 9, "base": 5, "high": 10}},
            "effect 1: one_off_usd: low <= base <= high",
        ),
        ({"kind": "cost", "options": ["api"], "label": "x", "one_off_usd": -1}, "between 0"),
        ({"kind": "range", "target": "nowhere", "low_factor": 0.5, "high_factor": 2}, "target"),
        ({"kind": "range", "target": "monthly_queries", "low_factor": 2, "high_factor": 3},
         "low_factor <= 1"),
        ({"kind": "check", "key": "monthly_queries"}, "names a follow-up question"),
        ({"kind": "caveat", "code": "c"}, "needs a 'text'"),
    ],
)  # fmt: skip
def test_bad_effects_are_refused_with_the_field(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidEffect, match=message):
        parse_effects(
            [raw],
            range_targets=("monthly_queries", "engineer_monthly_cost_usd"),
            check_keys=("hipaa_baa_sufficient",),
        )


def test_no_effects_is_an_empty_tuple() -> None:
    assert parse_effects(None) == ()
    assert parse_effects([]) == ()
    with pytest.raises(InvalidEffect, match="must be a list"):
        parse_effects({"kind": "exclude"})
