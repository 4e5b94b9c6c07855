"""Anthropic's Admin usage report (messages): the example export, figures checked to the unit.

The example in tests/usage/data/ follows the documented shape (the reader's
module docstring cites the page it follows).
"""

from __future__ import annotations


def test_anthropic_messages_figures(example):
    # Input = uncached + cache read + cache creation: 1,000,000 + 200,000 on day 1,
    # 1,000,000 on day 2; 550,000 read from cache; 350,000 output; the batch tier
    # carried 250,000 of 2,550,000 tokens.
    workload = example("anthropic_messages.json")
    assert workload.answers() == {
        "cached_input_share_pct": 25.0,
        "batch_share_pct": 9.8,
        "has_production_data": True,
    }
    assert workload.totals["input_tokens"] == 2_200_000
    assert workload.totals["output_tokens"] == 350_000


def test_anthropic_names_the_request_counts_it_lacks(example):
    workload = example("anthropic_messages.json")
    for key in ("monthly_queries", "avg_input_tokens", "avg_output_tokens"):
        assert "counts tokens, not requests" in workload.missing[key]
    assert "share of tokens" in workload.provenance["batch_share_pct"]
    # The monthly token volume is still reported, for the buyer to divide.
    assert any("33,000,000 input and 5,250,000 output" in note for note in workload.notes)
