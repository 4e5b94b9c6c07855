"""The generic CSV: the example export, figures checked to the unit.

The example in tests/usage/data/ follows the documented shape (the reader's
module docstring cites the page it follows).
"""

from __future__ import annotations


def test_generic_csv_figures_and_gap(example):
    # Daily rows for Oct 1, 2 and 4: Oct 3 is a gap and is not divided by.
    workload = example("usage.csv")
    assert workload.answers() == {
        "monthly_queries": 33_000,  # 3,300 over the 3 days with data, x 30
        "avg_input_tokens": 1_500,
        "avg_output_tokens": 400,
        "cached_input_share_pct": 20.0,
        "has_production_data": True,
    }
    assert len(workload.gaps) == 1
    assert workload.gaps[0].describe() == "2026-10-03 to 2026-10-04 (24 hours)"
