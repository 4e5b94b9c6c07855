"""The pure parsers of the two price sources (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from advisor.costs.price_sources import (
    SourceFormatError,
    bundled_genai_prices,
    clause_matches,
    open_model_tier,
    parse_genai_prices,
    parse_litellm,
)

TODAY = date(2026, 11, 1)


def genai(model: dict) -> list[dict]:
    return [{"id": "openai", "models": [{"id": "gpt-x", "match": {"equals": "gpt-x"}, **model}]}]


def test_litellm_per_token_prices_become_per_million() -> None:
    parsed = parse_litellm(
        {
            "m": {
                "mode": "chat",
                "input_cost_per_token": 1.25e-06,
                "output_cost_per_token": 1e-05,
                "cache_read_input_token_cost": 1.25e-07,
                "output_cost_per_token_batches": 5e-06,
            }
        }
    )

    (record,) = parsed.records
    assert record.input_usd_per_million_tokens == Decimal("1.25")
    assert record.cached_input_usd_per_million_tokens == Decimal("0.125")
    assert record.batch_input_usd_per_million_tokens is None
    assert record.batch_output_usd_per_million_tokens == Decimal("5")


def test_litellm_negative_batch_price_is_malformed() -> None:
    parsed = parse_litellm(
        {
            "m": {
                "mode": "chat",
                "input_cost_per_token": 1e-06,
                "output_cost_per_token": 1e-06,
                "input_cost_per_token_batches": -1e-06,
            }
        }
    )

    assert parsed.records == []
    assert parsed.malformed == [
        "m: input_cost_per_token_batches must be a finite number of 0 or more (-1e-06)"
    ]


def test_genai_time_of_day_price_is_not_the_standard_one() -> None:
    data = genai(
        {
            "prices": [
                {"prices": {"input_mtok": 0.27, "output_mtok": 1.1}},
                {
                    "constraint": {"start_time": "16:30:00Z", "end_time": "00:30:00Z"},
                    "prices": {"input_mtok": 0.135, "output_mtok": 0.55},
                },
            ]
        }
    )

    (record,) = parse_genai_prices(data, today=TODAY).records
    assert record.input_usd_per_million_tokens == Decimal("0.27")
    assert "time-of-day (off-peak) price not used: standard price taken" in record.notes


def test_genai_future_batch_variant_is_not_current() -> None:
    data = genai(
        {
            "prices": {"input_mtok": 2, "output_mtok": 8},
            "price_variants": [
                {
                    "when": {"processing": "batch"},
                    "constraint": {"start_date": "2027-01-01"},
                    "prices": {"input_mtok": 1, "output_mtok": 4},
                }
            ],
        }
    )

    (record,) = parse_genai_prices(data, today=TODAY).records
    assert record.batch_input_usd_per_million_tokens is None


def test_genai_unmapped_provider_and_non_text_models_are_skipped() -> None:
    data = [
        {"id": "elevenlabs", "models": [{"id": "v3", "prices": {"input_mtok": 1}}]},
        {
            "id": "openai",
            "models": [{"id": "gpt-4o-mini-tts", "prices": {"input_mtok": 0.6, "output_mtok": 12}}],
        },
    ]

    parsed = parse_genai_prices(data, today=TODAY)
    assert parsed.records == []
    assert len(parsed.skipped) == 2


def test_genai_not_a_list_of_providers_is_a_format_error() -> None:
    with pytest.raises(SourceFormatError):
        parse_genai_prices({"providers": []}, today=TODAY)


@pytest.mark.parametrize(
    ("clause", "ref", "expected"),
    [
        (
            {"or": [{"starts_with": "claude-sonnet-4-2025"}, {"equals": "x"}]},
            "claude-sonnet-4-20250514",
            True,
        ),
        ({"and": [{"contains": "llama"}, {"ends_with": "70b"}]}, "llama-3.3-70b", True),
        ({"regex": "^gpt-4\\.1(-\\d{4})?$"}, "gpt-4.1-mini", False),
    ],
)
def test_match_clauses(clause: dict, ref: str, expected: bool) -> None:
    assert clause_matches(clause, ref) is expected


@pytest.mark.parametrize(
    ("model_id", "tier"),
    [
        ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "mid"),
        ("llama-3.1-8b-instant", "small"),
        ("llama-v3p1-8b-instruct", "small"),
        ("meta-llama/Llama-4-Scout-17B-16E-Instruct", "mid"),
    ],
)
def test_open_model_tier_by_size(model_id: str, tier: str) -> None:
    assert open_model_tier(model_id) == tier


def test_bundled_data_parses_without_malformed_entries() -> None:
    version, data = bundled_genai_prices()

    parsed = parse_genai_prices(data, today=TODAY)
    assert version.startswith("0.2.")
    assert parsed.malformed == []
    keys = {record.key for record in parsed.records}
    assert {"gpt-4.1", "gpt-5-mini", "claude-haiku-4-5", "gemini-2.5-flash"} <= keys
