"""The workload an export implies: answers only for what it supports, and how each was found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from advisor.usage.workload import (
    ANSWER_KEYS,
    Gap,
    UsageWorkload,
    clamp,
    from_epoch,
    round_pct,
)

START = datetime(2026, 10, 1, tzinfo=UTC)


def workload(**figures: object) -> UsageWorkload:
    return UsageWorkload(
        source_format="openai",
        source_label="an OpenAI usage export",
        period_start=START,
        period_end=START + timedelta(days=30),
        covered_days=30.0,
        **figures,  # type: ignore[arg-type]
    )


def test_answers_hold_only_the_figures_the_file_supports() -> None:
    answers = workload(monthly_queries=1_200_000, avg_input_tokens=900).answers()
    assert answers == {
        "monthly_queries": 1_200_000,
        "avg_input_tokens": 900,
        "has_production_data": True,
    }
    assert set(answers) - {"has_production_data"} <= set(ANSWER_KEYS)


def test_the_summary_says_where_each_figure_came_from_and_why_others_are_missing() -> None:
    lines = workload(
        monthly_queries=1_200_000,
        provenance={"monthly_queries": "the last 30 days"},
        missing={"load_pattern": "daily buckets cannot show hours"},
        notes=("3 models",),
    ).summary_lines()
    assert lines == [
        "Read an OpenAI usage export, 2026-10-01 to 2026-10-31 (30.0 days).",
        "monthly_queries = 1200000: the last 30 days",
        "load_pattern left out: daily buckets cannot show hours",
        "3 models",
    ]


def test_the_summary_lists_five_gaps_and_counts_the_rest() -> None:
    gaps = tuple(
        Gap(START + timedelta(days=day), START + timedelta(days=day, hours=6)) for day in range(7)
    )
    line = workload(gaps=gaps).summary_lines()[1]
    assert line.startswith("Gaps with no data: 2026-10-01 to 2026-10-01 06:00 UTC (6 hours);")
    assert line.endswith(" and 2 more.")


def test_helpers_round_and_bound() -> None:
    assert from_epoch(1_790_812_800) == START
    assert clamp(250.0, (-50.0, 100.0)) == 100.0
    assert round_pct(-0.04) == 0.0
    assert round_pct(12.345) == 12.3
