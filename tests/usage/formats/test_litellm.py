"""LiteLLM proxy spend logs: the example export, figures checked to the unit.

The example in tests/usage/data/ follows the documented shape (the reader's
module docstring cites the page it follows).
"""

from __future__ import annotations


def test_litellm_spend_log_figures(example):
    # Six rows: one failure and one proxy-cache hit are left out; the four left
    # fall in 10:00-12:00, 6,000 prompt and 1,000 completion tokens, 1,400 cached.
    workload = example("litellm_spend_logs.jsonl")
    assert workload.answers() == {
        "monthly_queries": 1_440,  # 4 requests in 2 hours = 48 a day, x 30
        "avg_input_tokens": 1_500,
        "avg_output_tokens": 250,
        "cached_input_share_pct": 23.3,  # 1,400 / 6,000
        "has_production_data": True,
    }
    assert any("status = failure" in note for note in workload.notes)
    assert any("cache_hit = True" in note for note in workload.notes)
    assert "no batch flag" in workload.missing["batch_share_pct"]


def test_litellm_csv_export_reads_like_its_json_lines(example):
    from_csv = example("litellm_spend_logs.csv")
    from_json = example("litellm_spend_logs.jsonl")
    assert from_csv.source_format == "litellm"
    assert from_csv.answers() == from_json.answers()
