from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from advisor.costs.models import ApiModel

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"

PRICE_MAP = {
    "sample_spec": {"input_cost_per_token": 0, "mode": "one of chat, embedding, ..."},
    # Price moved: $2 -> $1.5 in, $8 -> $6 out.
    "gpt-4.1": {
        "input_cost_per_token": 1.5e-06,
        "output_cost_per_token": 6e-06,
        "litellm_provider": "openai",
        "mode": "chat",
    },
    # Same price as the seeded catalog.
    "gpt-4o": {
        "input_cost_per_token": 2.5e-06,
        "output_cost_per_token": 1e-05,
        "litellm_provider": "openai",
        "mode": "chat",
    },
    "mistral-large-latest": {
        "input_cost_per_token": 2e-06,
        "output_cost_per_token": 6e-06,
        "litellm_provider": "mistral",
        "mode": "chat",
        "max_input_tokens": 128000,
    },
    "text-embedding-3-small": {
        "input_cost_per_token": 2e-08,
        "output_cost_per_token": 0,
        "litellm_provider": "openai",
        "mode": "embedding",
    },
    "broken-string": {
        "input_cost_per_token": "cheap",
        "output_cost_per_token": 1e-6,
        "mode": "chat",
    },
    "broken-negative": {
        "input_cost_per_token": -1e-6,
        "output_cost_per_token": 1e-6,
        "mode": "chat",
    },
    "broken-missing": {"input_cost_per_token": 1e-6, "mode": "chat"},
    "broken-bool": {"input_cost_per_token": True, "output_cost_per_token": 1e-6, "mode": "chat"},
    "broken-shape": ["not", "an", "object"],
}


def list_prices_only() -> None:
    """The seeded rows as a price map without cache, batch or open models would leave them."""
    ApiModel.objects.update(
        cached_input_usd_per_million_tokens=None,
        cache_write_usd_per_million_tokens=None,
        batch_input_usd_per_million_tokens=None,
        batch_output_usd_per_million_tokens=None,
    )
    ApiModel.objects.filter(open_weights=True).delete()


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_prices", str(path), "--as-of", "2026-11-01", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("catalog")
def test_updates_prices_and_reports_added_changed_skipped_malformed(tmp_path: Path) -> None:
    list_prices_only()
    out, err = run(write(tmp_path, PRICE_MAP))

    gpt41 = ApiModel.objects.get(key="gpt-4.1")
    assert gpt41.input_usd_per_million_tokens == Decimal("1.5")
    assert gpt41.output_usd_per_million_tokens == Decimal("6")
    assert str(gpt41.as_of) == "2026-11-01"
    assert "changed: gpt-4.1 ($2 in / $8 out per 1M tokens -> $1.5 in / $6 out" in out
    assert "Added 0, changed 1, unchanged 1, skipped 2, malformed 5." in out
    for key in (
        "broken-string",
        "broken-negative",
        "broken-missing",
        "broken-bool",
        "broken-shape",
    ):
        assert f"malformed: {key}" in err
    assert not ApiModel.objects.filter(key__startswith="broken").exists()
    assert not ApiModel.objects.filter(key="mistral-large-latest").exists()


@pytest.mark.usefixtures("catalog")
def test_add_new_adds_chat_models_inactive_for_review(tmp_path: Path) -> None:
    out, _ = run(write(tmp_path, PRICE_MAP), "--add-new")

    added = ApiModel.objects.get(key="mistral-large-latest")
    assert (added.active, added.tier, added.provider) == (False, "mid", "mistral")
    assert added.context_window_tokens == 128000
    assert "added: mistral-large-latest" in out
    assert not ApiModel.objects.filter(key="text-embedding-3-small").exists()


@pytest.mark.usefixtures("catalog")
def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    out, _ = run(write(tmp_path, PRICE_MAP), "--add-new", "--dry-run")

    assert "Dry run, nothing written." in out
    assert ApiModel.objects.get(key="gpt-4.1").input_usd_per_million_tokens == Decimal("2")
    assert not ApiModel.objects.filter(key="mistral-large-latest").exists()


@pytest.mark.usefixtures("catalog")
def test_a_crash_midway_leaves_nothing_half_imported(tmp_path: Path, monkeypatch) -> None:
    without_cache_prices("claude-sonnet-4-20250514")
    original_save = ApiModel.save

    def save_then_crash(self: ApiModel, *args: object, **kwargs: object) -> None:
        if self.key == "gpt-4o":
            raise RuntimeError("database went away")
        original_save(self, *args, **kwargs)

    monkeypatch.setattr(ApiModel, "save", save_then_crash)

    with pytest.raises(RuntimeError):
        run(write(tmp_path, PRICE_MAP))

    # gpt-4.1 was saved before the crash, and rolled back with it.
    assert ApiModel.objects.get(key="gpt-4.1").input_usd_per_million_tokens == Decimal("2")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "is not valid JSON"), ("[1, 2]", "expected a JSON object")],
)
def test_invalid_files_fail_with_status_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "prices.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message) as error:
        run(path)
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_missing_file_fails_with_status_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read") as error:
        run(tmp_path / "absent.json")
    assert error.value.returncode == 2


def test_command_line_exit_status_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text("{not json", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "import_prices", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 2
    assert "is not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


# --- cached-input and batch prices (LiteLLM) --------------------------------------

CACHE_AND_BATCH_MAP = {
    # Every optional price listed.
    "gpt-4.1": {
        "input_cost_per_token": 2e-06,
        "output_cost_per_token": 8e-06,
        "cache_read_input_token_cost": 5e-07,
        "input_cost_per_token_batches": 1e-06,
        "output_cost_per_token_batches": 4e-06,
        "litellm_provider": "openai",
        "mode": "chat",
    },
    # Cache read and write, no batch fields: batch left empty (the fallback).
    "claude-sonnet-4-20250514": {
        "input_cost_per_token": 3e-06,
        "output_cost_per_token": 1.5e-05,
        "cache_read_input_token_cost": 3e-07,
        "cache_creation_input_token_cost": 3.75e-06,
        "litellm_provider": "anthropic",
        "mode": "chat",
    },
    # A malformed optional price makes the whole entry malformed.
    "gpt-4.1-mini": {
        "input_cost_per_token": 4e-07,
        "output_cost_per_token": 1.6e-06,
        "cache_read_input_token_cost": "a tenth",
        "litellm_provider": "openai",
        "mode": "chat",
    },
}


@pytest.mark.usefixtures("catalog")
def test_litellm_cache_and_batch_prices_are_imported_to_the_cent(tmp_path: Path) -> None:
    list_prices_only()
    out, _ = run(write(tmp_path, CACHE_AND_BATCH_MAP), "--litellm-version", "1.77.3")

    gpt41 = ApiModel.objects.get(key="gpt-4.1")
    assert gpt41.cached_input_usd_per_million_tokens == Decimal("0.50")
    assert gpt41.cache_write_usd_per_million_tokens is None
    assert gpt41.batch_input_usd_per_million_tokens == Decimal("1.00")
    assert gpt41.batch_output_usd_per_million_tokens == Decimal("4.00")
    assert gpt41.source == (
        "LiteLLM model price map (model_prices_and_context_window.json), litellm 1.77.3"
    )
    assert gpt41.source_url == (
        "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
    )
    assert "cached $0.5, batch $1 / $4" in out


@pytest.mark.usefixtures("catalog")
def test_litellm_missing_cache_or_batch_fields_are_left_empty(tmp_path: Path) -> None:
    run(write(tmp_path, CACHE_AND_BATCH_MAP))

    sonnet = ApiModel.objects.get(key="claude-sonnet-4-20250514")
    assert sonnet.cached_input_usd_per_million_tokens == Decimal("0.30")
    assert sonnet.cache_write_usd_per_million_tokens == Decimal("3.75")
    assert sonnet.batch_input_usd_per_million_tokens is None
    assert sonnet.batch_output_usd_per_million_tokens is None


@pytest.mark.usefixtures("catalog")
def test_litellm_malformed_optional_price_skips_the_entry(tmp_path: Path) -> None:
    list_prices_only()
    out, err = run(write(tmp_path, CACHE_AND_BATCH_MAP))

    assert "malformed: gpt-4.1-mini: cache_read_input_token_cost is missing or not a number" in err
    mini = ApiModel.objects.get(key="gpt-4.1-mini")
    assert mini.cached_input_usd_per_million_tokens is None
    assert mini.source.startswith("genai-prices")  # the seeded row, untouched
    assert str(mini.as_of) != "2026-11-01"
    assert "malformed 1." in out


@pytest.mark.django_db
def test_litellm_format_needs_a_file() -> None:
    with pytest.raises(CommandError, match="FILE is required") as error:
        call_command("import_prices", "--format", "litellm")
    assert error.value.returncode == 2


# --- genai-prices -----------------------------------------------------------------

GENAI_DATA = [
    {
        "id": "openai",
        "name": "OpenAI",
        "models": [
            {
                "id": "gpt-4.1",
                "match": {"or": [{"equals": "gpt-4.1"}, {"equals": "gpt-4.1-2025-04-14"}]},
                "context_window": 1000000,
                # Launch price, then a cut on 2026-06-01, then one announced for 2027.
                "prices": [
                    {"prices": {"input_mtok": 2, "output_mtok": 8, "cache_read_mtok": 0.5}},
                    {
                        "constraint": {"start_date": "2026-06-01"},
                        "prices": {"input_mtok": 1.8, "output_mtok": 7.2, "cache_read_mtok": 0.45},
                    },
                    {
                        "constraint": {"start_date": "2027-01-01"},
                        "prices": {"input_mtok": 1, "output_mtok": 4},
                    },
                ],
                "price_variants": [
                    {"when": {"service_tier": "priority"}, "prices": {"input_mtok": 3.5}},
                    {
                        "when": {"processing": "batch"},
                        "prices": {"input_mtok": 0.9, "output_mtok": 3.6},
                    },
                ],
            },
            {
                "id": "gpt-5-mini",
                "match": {"equals": "gpt-5-mini"},
                "prices": {"input_mtok": "cheap", "output_mtok": 2},
            },
        ],
    },
    {
        "id": "anthropic",
        "name": "Anthropic",
        "models": [
            {
                "id": "claude-sonnet-4-0",
                "match": {
                    "or": [
                        {"starts_with": "claude-sonnet-4-2025"},
                        {"starts_with": "claude-sonnet-4-0"},
                    ]
                },
                # Tiered by prompt length: the base tier is taken.
                "prices": {
                    "input_mtok": {"base": 3, "tiers": [{"start": 200000, "price": 6}]},
                    "output_mtok": {"base": 15, "tiers": [{"start": 200000, "price": 22.5}]},
                    "cache_read_mtok": 0.3,
                    "cache_write_mtok": 3.75,
                },
            },
        ],
    },
    {
        "id": "together",
        "name": "Together AI",
        "models": [
            {
                "id": "meta-llama/Llama-3.3-70B-Instruct-Turbo",
                "match": {"equals": "meta-llama/llama-3.3-70b-instruct-turbo"},
                "prices": {"input_mtok": 0.88, "output_mtok": 0.88},
            },
            {
                "id": "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
                "match": {"equals": "meta-llama/meta-llama-3.1-8b-instruct-turbo"},
                "prices": {"input_mtok": 0.18, "output_mtok": 0.18},
            },
            {
                "id": "meta-llama/Llama-2-70b-chat-hf",
                "match": {"equals": "meta-llama/llama-2-70b-chat-hf"},
                "deprecated": True,
                "prices": {"input_mtok": 0.9, "output_mtok": 0.9},
            },
        ],
    },
    {"id": "elevenlabs", "name": "ElevenLabs", "models": []},
]


def run_genai(path: Path | None, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    file_args = [str(path)] if path else []
    call_command(
        "import_prices",
        *file_args,
        "--format",
        "genai-prices",
        "--as-of",
        "2026-11-01",
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("catalog")
def test_genai_prices_file_takes_the_current_conditional_price_and_batch_variant(
    tmp_path: Path,
) -> None:
    run_genai(write(tmp_path, GENAI_DATA))

    gpt41 = ApiModel.objects.get(key="gpt-4.1")
    # 2026-06-01's price is current on 2026-11-01; 2027's is not yet.
    assert gpt41.input_usd_per_million_tokens == Decimal("1.80")
    assert gpt41.output_usd_per_million_tokens == Decimal("7.20")
    assert gpt41.cached_input_usd_per_million_tokens == Decimal("0.45")
    assert gpt41.batch_input_usd_per_million_tokens == Decimal("0.90")
    assert gpt41.batch_output_usd_per_million_tokens == Decimal("3.60")
    assert gpt41.source == "genai-prices data file prices.json (pydantic/genai-prices, MIT)"
    assert gpt41.source_url == "https://github.com/pydantic/genai-prices"
    assert str(gpt41.as_of) == "2026-11-01"


@pytest.mark.usefixtures("catalog")
def test_genai_prices_match_rules_map_to_litellm_names_and_tiers_take_the_base(
    tmp_path: Path,
) -> None:
    without_cache_prices("claude-sonnet-4-20250514")
    out, _ = run_genai(write(tmp_path, GENAI_DATA))

    sonnet = ApiModel.objects.get(key="claude-sonnet-4-20250514")
    assert sonnet.input_usd_per_million_tokens == Decimal("3")
    assert sonnet.output_usd_per_million_tokens == Decimal("15")
    assert sonnet.cached_input_usd_per_million_tokens == Decimal("0.30")
    assert sonnet.cache_write_usd_per_million_tokens == Decimal("3.75")
    assert sonnet.batch_input_usd_per_million_tokens is None  # not listed: the fallback
    assert "claude-sonnet-4-20250514 (as claude-sonnet-4-0)" in out
    assert "base tier taken (prompts below 200,000 tokens)" in out


@pytest.mark.usefixtures("catalog")
def test_genai_prices_malformed_models_are_reported_and_skipped(tmp_path: Path) -> None:
    out, err = run_genai(write(tmp_path, GENAI_DATA))

    assert "malformed: openai/gpt-5-mini: input_mtok is missing or not a number" in err
    assert ApiModel.objects.get(key="gpt-5-mini").input_usd_per_million_tokens == Decimal("0.25")
    assert "malformed 1." in out


@pytest.mark.usefixtures("catalog")
def test_genai_prices_add_new_adds_hosted_open_models_inactive_with_their_tier(
    tmp_path: Path,
) -> None:
    list_prices_only()
    out, _ = run_genai(write(tmp_path, GENAI_DATA), "--add-new", "--verbosity", "2")

    llama70 = ApiModel.objects.get(key="together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo")
    llama8 = ApiModel.objects.get(key="together_ai/meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo")
    assert (llama70.open_weights, llama70.tier, llama70.active) == (True, "mid", False)
    assert (llama8.open_weights, llama8.tier, llama8.active) == (True, "small", False)
    assert llama70.provider == "together_ai"
    assert llama70.input_usd_per_million_tokens == Decimal("0.88")
    # Deprecated models are not added, nor is a model a catalog row already matched.
    assert not ApiModel.objects.filter(key__contains="Llama-2-70b").exists()
    assert not ApiModel.objects.filter(key="claude-sonnet-4-0").exists()
    assert "deprecated in the source, not added" in out


@pytest.mark.usefixtures("catalog")
def test_genai_prices_dry_run_writes_nothing(tmp_path: Path) -> None:
    list_prices_only()
    out, _ = run_genai(write(tmp_path, GENAI_DATA), "--add-new", "--dry-run")

    assert "Dry run, nothing written." in out
    assert ApiModel.objects.get(key="gpt-4.1").input_usd_per_million_tokens == Decimal("2")
    assert not ApiModel.objects.filter(open_weights=True).exists()


@pytest.mark.usefixtures("catalog")
def test_genai_prices_crash_midway_leaves_nothing_half_imported(
    tmp_path: Path, monkeypatch
) -> None:
    without_cache_prices("claude-sonnet-4-20250514")
    original_save = ApiModel.save

    def save_then_crash(self: ApiModel, *args: object, **kwargs: object) -> None:
        if self.key == "gpt-4.1":
            raise RuntimeError("database went away")
        original_save(self, *args, **kwargs)

    monkeypatch.setattr(ApiModel, "save", save_then_crash)

    with pytest.raises(RuntimeError):
        run_genai(write(tmp_path, GENAI_DATA))

    # Anthropic's row comes first in the catalog, and was rolled back with the crash.
    sonnet = ApiModel.objects.get(key="claude-sonnet-4-20250514")
    assert sonnet.cached_input_usd_per_million_tokens is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"gpt-4.1": {}}', "expected a JSON list of provider objects"),
        ("[1, 2]", "expected a JSON list of provider objects"),
    ],
)
def test_genai_prices_invalid_files_fail_with_status_2(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "data.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message) as error:
        run_genai(path)
    assert error.value.returncode == 2


def test_genai_prices_bad_file_exit_status_2_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text("[1, 2]", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "import_prices", "--format", "genai-prices", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 2
    assert "is not genai-prices data" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("catalog")
def test_genai_prices_bundled_data_imports_offline() -> None:
    """The data shipped in the installed genai-prices wheel (no network, no updater)."""
    version = importlib.metadata.version("genai-prices")
    # A dated Anthropic name, found through the package's own match rules.
    ApiModel.objects.filter(key="claude-sonnet-4-20250514").delete()
    ApiModel.objects.create(
        key="claude-sonnet-4-20250514",
        provider="anthropic",
        name="Claude Sonnet 4",
        tier="mid",
        input_usd_per_million_tokens=1,
        output_usd_per_million_tokens=1,
        source="test",
        as_of="2025-01-01",
    )

    _, err = run_genai(None)

    gpt41 = ApiModel.objects.get(key="gpt-4.1")
    assert gpt41.source == f"genai-prices {version} (pydantic/genai-prices, MIT)"
    assert gpt41.input_usd_per_million_tokens > 0
    assert gpt41.cached_input_usd_per_million_tokens is not None
    assert gpt41.batch_input_usd_per_million_tokens is not None
    sonnet = ApiModel.objects.get(key="claude-sonnet-4-20250514")
    assert sonnet.source == gpt41.source
    assert sonnet.input_usd_per_million_tokens == Decimal("3")
    assert sonnet.cache_write_usd_per_million_tokens is not None
    assert err == ""


@pytest.mark.usefixtures("catalog")
def test_source_genai_prices_is_accepted_for_the_format() -> None:
    ApiModel.objects.filter(key="gpt-4.1").update(input_usd_per_million_tokens=Decimal("9"))
    out, _ = StringIO(), StringIO()
    call_command("import_prices", "--source", "genai-prices", "--dry-run", stdout=out)

    assert "Dry run, nothing written." in out.getvalue()
    assert "changed: gpt-4.1" in out.getvalue()


def without_cache_prices(key: str) -> None:
    """The row as the LiteLLM map of 2025 left it: no cache prices (the import adds them)."""
    ApiModel.objects.filter(key=key).update(
        cached_input_usd_per_million_tokens=None, cache_write_usd_per_million_tokens=None
    )
