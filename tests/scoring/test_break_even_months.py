"""Break-even months read from the Monte Carlo draws (decision model v3): per draw, the
first month from which the option's cumulative cost stays at or below the API's; the
range over the draws that break even, and the share that never does, in words."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from advisor.reports.report_sections import uncertainty_view, what_would_change
from advisor.rules.preview import SCENARIOS_DIR
from advisor.rules.services import advice_for_answers
from advisor.scoring.simulation import break_even_months
from advisor.snapshot import ResultSnapshot


def reference_month(own: list[float], other: list[float]) -> int | None:
    """The definition, one draw at a time (Verdict.break_even_month's, on a path)."""
    month = 1
    for index, (mine, theirs) in enumerate(zip(own, other, strict=True)):
        if mine > theirs:
            month = index + 2
    return month if month <= len(own) else None


def test_each_draw_breaks_even_where_its_own_path_does() -> None:
    other = np.cumsum(np.full((5, 6), 10.0), axis=1)
    own = np.array(
        [
            [5, 10, 15, 20, 25, 30],  # below from month 1
            [30, 35, 40, 45, 55, 65],  # above throughout: never within the horizon
            [15, 25, 29, 45, 45, 55],  # below in month 3, above again in 4: from month 5
            [25, 30, 30, 40, 50, 60],  # equal from month 3: at or below counts
            [40, 45, 50, 55, 60, 65],  # never
        ],
        dtype=float,
    )
    months = [reference_month(list(a), list(b)) for a, b in zip(own, other, strict=True)]
    assert months == [1, None, 5, 3, None]
    found = break_even_months(own, other)
    assert found.draws == 5
    assert found.share_never == pytest.approx(2 / 5)
    assert found.months is not None
    assert (found.months.p10, found.months.p50, found.months.p90) == (1, 3, 5)
    nobody = break_even_months(own[[1, 4]], other[[1, 4]])
    assert nobody.months is None and nobody.share_never == 1.0
    assert nobody.to_dict()["p50"] is None


@pytest.mark.parametrize(
    "name", ["cost-driven-mid-volume", "no-cliff-at-10m", "spiky-load-counted-once"]
)
def test_the_range_is_read_from_the_verdicts_draws_and_said_in_words(
    name: str, brief_ruleset: object
) -> None:
    raw = json.loads((SCENARIOS_DIR / f"{name}.json").read_text(encoding="utf-8"))["answers"]
    advice = advice_for_answers(answers=raw)
    verdict = advice.verdict
    assert verdict is not None
    result = advice.to_dict()
    sentences = uncertainty_view(ResultSnapshot.from_dict(result)).break_even_sentences
    # Beside the cost table's break-even column, not in "what would change": that
    # compares with what would replace the recommendation, never the API alone.
    assert what_would_change(ResultSnapshot.from_dict(result)).volume_ranges == ()
    for option in ("self_host", "hybrid"):
        own = verdict.options[option].cumulative
        api = verdict.options["api"].cumulative
        assert own is not None and api is not None
        months = [reference_month(list(a), list(b)) for a, b in zip(own, api, strict=True)]
        crossed = [month for month in months if month is not None]
        stored = result["costs"]["break_even_month_range"][option]
        assert stored["draws"] == len(months) == verdict.draws
        assert stored["share_never"] == round(1 - len(crossed) / len(months), 4)
        assert crossed, "each scenario breaks even in some draws"
        expected = np.percentile(crossed, (10, 50, 90), method="nearest")
        assert [stored["p10"], stored["p50"], stored["p90"]] == [int(v) for v in expected]
        # In words: the share that breaks even, the P10-P90 months, the share that never does.
        label = "Self-hosting" if option == "self_host" else "The hybrid"
        (sentence,) = [text for text in sentences if text.startswith(label)]
        assert f"month {stored['p10']}" in sentence and f"month {stored['p90']}" in sentence
        if len(crossed) == len(months):
            assert "in every one of the 256 plausible worlds drawn" in sentence
            assert "does not" not in sentence
            continue
        assert f"it does not in {round(stored['share_never'] * 100)}% of them" in sentence
        assert f"in {round((1 - stored['share_never']) * 100)}% of the 256" in sentence


def test_a_result_stored_before_says_no_range(brief_ruleset: object) -> None:
    raw = json.loads((SCENARIOS_DIR / "cost-driven-mid-volume.json").read_text())["answers"]
    result = advice_for_answers(answers=raw).to_dict()
    assert uncertainty_view(ResultSnapshot.from_dict(result)).break_even_sentences
    del result["costs"]["break_even_month_range"]
    assert uncertainty_view(ResultSnapshot.from_dict(result)).break_even_sentences == ()


@pytest.mark.parametrize("path", sorted(SCENARIOS_DIR.glob("*.json")), ids=lambda path: path.stem)
def test_the_sentences_agree_with_the_tables_break_even_column(
    path: Path, brief_ruleset: object
) -> None:
    """The table's month is the median path's: some draws break even when it does, and
    a range that says none does stands beside "not within the horizon"."""
    raw = json.loads(path.read_text(encoding="utf-8"))["answers"]
    result = advice_for_answers(answers=raw).to_dict()
    costs = result["costs"]
    for option, spread in costs["break_even_month_range"].items():
        month = costs["break_even_month"][option]
        if month is not None:
            assert spread["share_never"] < 1
        if spread["share_never"] == 1:
            assert month is None
