"""Money at three significant figures (ranges and summaries)."""

from __future__ import annotations

import pytest

from advisor.assessments.templatetags.assessments import usd_precise, usd_short


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (4_461_234.0, "$4.46M"),
        (873_400.0, "$873K"),
        (12_625_277.0, "$12.6M"),
        (2_100_000_000.0, "$2.10B"),
        (512.0, "$512"),
        (None, "—"),
    ],
)
def test_usd_short_rounds_to_three_significant_figures(value: float | None, shown: str) -> None:
    assert usd_short(value) == shown


def test_usd_precise_keeps_cents_from_a_dollar_and_three_figures_below() -> None:
    assert usd_precise(4.5612) == "$4.56"
    assert usd_precise(0.99999) == "$1.00"
    assert usd_precise(0.8951) == "$0.895"
    assert usd_precise(0.0012345) == "$0.00123"
    assert usd_precise(0) == "$0.00"
    assert usd_precise(None) == "—"
