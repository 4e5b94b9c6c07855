"""Each format's example export, figures checked to the unit against hand computation.

The examples in tests/usage/data/ follow the documented shapes (see each
reader's module docstring for the page it follows).
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


def test_explicit_format_matches_auto(example):
    assert example("usage.csv", format="csv").answers() == example("usage.csv").answers()
    assert (
        example("openai_completions.json", format="openai").answers()
        == example("openai_completions.json").answers()
    )
