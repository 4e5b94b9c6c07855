"""OpenAI's organization Usage API (completions): the example export, figures checked to the unit.

The example in tests/usage/data/ follows the documented shape (the reader's
module docstring cites the page it follows).
"""

from __future__ import annotations

from advisor.usage import UsageWorkload


def test_openai_completions_figures(example):
    # Two daily buckets: 500 + 200 and 600 + 200 requests; 3,000,000 input tokens
    # (600,000 cached), 640,000 output; 400 batch requests.
    workload: UsageWorkload = example("openai_completions.json")
    assert workload.answers() == {
        "monthly_queries": 22_500,  # 1,500 requests over 2 days, x 30
        "avg_input_tokens": 2_000,  # 3,000,000 / 1,500
        "avg_output_tokens": 427,  # 640,000 / 1,500 = 426.67
        "cached_input_share_pct": 20.0,  # 600,000 / 3,000,000
        "batch_share_pct": 26.7,  # 400 / 1,500
        "has_production_data": True,
    }
    assert workload.source_format == "openai"
    assert workload.period_days == 2
    assert set(workload.models) == {"gpt-4.1", "gpt-4.1-mini"}


def test_openai_leaves_out_what_daily_buckets_cannot_show(example):
    workload = example("openai_completions.json")
    assert "hourly" in workload.missing["load_pattern"]
    assert "60" in workload.missing["monthly_growth_pct"]
    assert "num_model_requests" in workload.provenance["monthly_queries"]
