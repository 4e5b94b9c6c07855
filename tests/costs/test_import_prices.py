from __future__ import annotations

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
