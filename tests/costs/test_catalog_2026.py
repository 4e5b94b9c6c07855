"""Catalog 2026 (issue 25): current generations, hosted open-weights offers, open models
with their serving profiles, quality scores, announced price changes, and the refresh."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from advisor.costs.assumptions import workload_from_answers
from advisor.costs.models import ApiModel, ApiPriceChange, OpenModel, SelfHostedModelProfile
from advisor.costs.price_sources import bundled_genai_prices, parse_genai_prices
from advisor.costs.prices import ApiModelPrice, ScheduledPrice, Source
from advisor.costs.projection import project
from advisor.costs.selectors import catalog_snapshot
from advisor.costs.services import assumptions_for

TODAY = date(2026, 12, 5)
GPUS = ("h100-80gb", "h200", "b200")
# Weights alone, at one byte a parameter (FP8): DeepSeek R1's 671 GB exceed 8 x 80 GB.
DOES_NOT_FIT = {("deepseek-r1", "h100-80gb")}


def refresh(*args: str) -> str:
    out = StringIO()
    call_command("refresh_catalog", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


# --- the importer reads the installed data offline -------------------------------------------


def test_installed_genai_prices_give_current_generations_with_cache_and_batch_prices() -> None:
    version, data = bundled_genai_prices()
    records = {r.key: r for r in parse_genai_prices(data, today=TODAY).records}

    assert version == "0.2.5"
    sol = records["gpt-6.2-sol"]
    assert (sol.input_usd_per_million_tokens, sol.output_usd_per_million_tokens) == (
        Decimal("2"),
        Decimal("10"),
    )
    assert sol.cached_input_usd_per_million_tokens == Decimal("0.1")
    assert sol.batch_input_usd_per_million_tokens == Decimal("1")
    sonnet = records["claude-sonnet-5-5"]
    assert sonnet.cache_write_usd_per_million_tokens == Decimal("2.5")
    assert sonnet.batch_output_usd_per_million_tokens == Decimal("5")
    flash = records["gemini-3.8-flash"]
    # An introductory price that ends: $0.75 / $3.75 now, $1.50 / $7.50 from 2027-01-01.
    assert flash.input_usd_per_million_tokens == Decimal("0.75")
    assert [(c.starts_on, c.prices["input_usd_per_million_tokens"]) for c in flash.scheduled] == [
        (date(2027, 1, 1), Decimal("1.5"))
    ]
    assert flash.scheduled[0].prices["batch_input_usd_per_million_tokens"] == Decimal("0.75")
    # Hosted open weights, each tied to the open model it serves.
    assert records["bedrock/openai.gpt-oss-120b-1:0"].open_model_key == "gpt-oss-120b"
    assert records["groq/llama-3.3-70b-versatile"].open_model_key == "llama-3.3-70b"
    assert "bedrock/anthropic.claude-3-haiku-20240307-v1:0" not in records  # closed on Bedrock


def test_installed_litellm_map_is_read_as_a_file_without_importing_the_package(
    catalog: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "litellm"
    package.mkdir()
    (package / "__init__.py").write_text("raise ImportError('never imported')\n")
    (package / "model_prices_and_context_window_backup.json").write_text(
        json.dumps(
            {
                "o1": {
                    "litellm_provider": "openai",
                    "mode": "chat",
                    "input_cost_per_token": 1.4e-05,
                    "output_cost_per_token": 6e-05,
                }
            }
        )
    )
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        if name == "litellm":
            return SimpleNamespace(origin=str(package / "__init__.py"))
        return real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    # o1 is in genai-prices too: genai-prices wins; LiteLLM only fills what it lacks.
    ApiModel.objects.create(
        key="o1-litellm-only",
        provider="openai",
        name="a row only LiteLLM prices",
        input_usd_per_million_tokens=1,
        output_usd_per_million_tokens=1,
        tier="frontier",
        source="hand entry",
        as_of=TODAY,
    )

    out = refresh()

    assert "litellm" not in sys.modules
    assert "o1-litellm-only" not in out  # LiteLLM's map has no such key: nothing to say
    assert ApiModel.objects.get(key="o1").input_usd_per_million_tokens == Decimal("15")


# --- the seeded catalog ---------------------------------------------------------------------


@pytest.mark.usefixtures("catalog")
def test_the_default_api_model_is_a_current_mid_tier_generation() -> None:
    default = catalog_snapshot().default_api_model()

    assert default.key == "gpt-6.2-sol"
    assert default.price.tier == "mid"
    assert not default.price.open_weights
    assert default.price.source.text.startswith("genai-prices 0.2.5")


@pytest.mark.usefixtures("catalog")
def test_retired_models_are_inactive_but_kept() -> None:
    retired = ApiModel.objects.get(key="claude-sonnet-4-20250514")

    assert retired.active is False
    assert catalog_snapshot().api_model("claude-sonnet-4-20250514") is None
    # Offers the data marks deprecated are not added at all.
    assert not ApiModel.objects.filter(key="cerebras/llama-3.3-70b").exists()


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize("model", ["gpt-oss-120b", "qwen3-235b-a22b", "llama-3.3-70b"])
def test_open_api_offers_from_at_least_three_providers_cheapest_first(model: str) -> None:
    offers = catalog_snapshot().open_api_offers(model)

    assert len({offer.price.provider for offer in offers}) >= 3
    assert all(offer.price.open_weights and offer.open_model_key == model for offer in offers)
    assert [offer.blended_usd for offer in offers] == sorted(o.blended_usd for o in offers)
    for offer in offers:
        assert offer.price.source.text.startswith("genai-prices 0.2.5")
        assert offer.price.source.as_of == TODAY


@pytest.mark.usefixtures("catalog")
def test_the_router_never_picks_an_open_weights_offer() -> None:
    catalog = catalog_snapshot()
    router = catalog.router_model(catalog.default_api_model())

    assert router is not None
    assert router.key == "gpt-6-luna"
    assert not router.price.open_weights


@pytest.mark.usefixtures("catalog")
def test_each_open_model_is_measured_on_h100_h200_and_b200_where_it_fits() -> None:
    catalog = catalog_snapshot()
    names = {model.key for model in catalog.open_models}

    assert {"gpt-oss-120b", "gpt-oss-20b", "qwen3-235b-a22b", "deepseek-r1"} <= names
    assert {"llama-4-maverick", "llama-3.3-70b", "llama-3.1-8b"} <= names
    assert any(model.mixture_of_experts for model in catalog.open_models)
    for model in catalog.open_models:
        profiles = catalog.profiles_of(model.key)
        on = {profile.profile.gpu.key for profile in profiles}
        for gpu in GPUS:
            assert (gpu in on) is ((model.key, gpu) not in DOES_NOT_FIT), (model.key, gpu)
        for profile in profiles:
            source = profile.profile.source
            if profile.profile.gpu.key not in GPUS:
                continue  # the older L4 / L40S rows include judgements
            assert source.url.startswith("https://") and source.as_of is not None
            row = SelfHostedModelProfile.objects.get(key=profile.key)
            assert row.serving_stack and row.precision
            # A token shape, except MLPerf's, whose shape is its data set's.
            assert row.benchmark_output_tokens or "MLPerf" in row.serving_stack


@pytest.mark.usefixtures("catalog")
def test_no_profile_runs_a_model_on_fewer_gpus_than_its_weights_need() -> None:
    for row in SelfHostedModelProfile.objects.active().select_related("gpu"):
        model = OpenModel.objects.get(key=row.model_key)
        # FP4 halves a byte a parameter; FP16 doubles it.
        bytes_per_parameter = {"FP4": 0.5, "FP8": 1, "FP16": 2}[row.precision]
        weights_gb = float(model.total_parameters_billions) * bytes_per_parameter
        assert weights_gb < row.gpus_per_replica * row.gpu.memory_gb, row.key


@pytest.mark.usefixtures("catalog")
def test_every_active_model_is_rated_on_one_leaderboard_or_says_not_rated() -> None:
    catalog = catalog_snapshot()
    sources = set()
    for entry in catalog.api_models:
        if entry.quality is None:
            assert entry.price.quality.startswith("not rated")
        else:
            sources.add(entry.quality.source.split(" (")[0])
            assert entry.quality.url.startswith("https://") and entry.quality.as_of
    for model in catalog.open_models:
        if model.quality is not None:
            sources.add(model.quality.source.split(" (")[0])
    assert sources == {"Artificial Analysis Intelligence Index v4.0"}
    assert catalog.open_model("gpt-oss-120b").quality.score == 33  # type: ignore[union-attr]
    assert catalog.api_model("gpt-5.5").quality.score == 60  # type: ignore[union-attr]


@pytest.mark.usefixtures("catalog")
def test_an_open_weights_row_must_name_a_catalog_open_model() -> None:
    row = ApiModel.objects.get(key="groq/llama-3.3-70b-versatile")
    row.open_model_key = "no-such-model"

    with pytest.raises(ValidationError, match="No open model 'no-such-model'"):
        row.full_clean()
    row.open_model_key = ""
    with pytest.raises(ValidationError, match="must name the open model"):
        row.full_clean()


# --- announced price changes ------------------------------------------------------------------


def _price(**changes: Any) -> ApiModelPrice:
    base = ApiModelPrice(
        key="m",
        name="M",
        provider="p",
        tier="small",
        usd_per_input_token=1e-6,
        usd_per_output_token=2e-6,
        source=Source("test"),
    )
    return replace(base, **changes)


def test_a_scheduled_price_change_applies_from_its_month() -> None:
    change = ScheduledPrice(date(2027, 1, 1), usd_per_input_token=2e-6, usd_per_output_token=4e-6)
    price = _price(scheduled=(change,))

    by_month = price.per_query_by_month(1000, 100, 0.0, 0.0, months=4, start=date(2026, 11, 15))

    before, after = 1000 * 1e-6 + 100 * 2e-6, 1000 * 2e-6 + 100 * 4e-6
    # Months begin 11-15, 12-15, 01-15, 02-15: the change starts inside the second.
    assert np.allclose(by_month, [before, after, after, after])


@pytest.mark.usefixtures("catalog")
def test_the_projection_prices_each_month_at_the_price_then_in_force() -> None:
    answers = {"monthly_queries": 1_000_000, "api_model": "gemini-3.8-flash"}
    assumptions = replace(assumptions_for(answers=answers), api_price_trend_pct_per_year=0.0)
    workload = workload_from_answers(answers)

    december = replace(assumptions, start_date=date(2026, 12, 1))
    api = project(workload, december).options["api"].monthly_usd

    # Gemini 3.8 Flash doubles on 2027-01-01: month 2 costs twice month 1, then stays.
    assert api[1] == pytest.approx(2 * api[0], rel=1e-6)
    assert api[2] == pytest.approx(api[1], rel=1e-6)
    from_january = project(workload, replace(assumptions, start_date=date(2027, 1, 1)))
    assert from_january.options["api"].monthly_usd[0] == pytest.approx(api[1], rel=1e-6)
    assert ApiPriceChange.objects.filter(api_model__key="gemini-3.8-flash").count() == 1


# --- staying current ----------------------------------------------------------------------------


@pytest.mark.usefixtures("catalog")
def test_refresh_on_a_fresh_catalog_reports_no_change() -> None:
    before = ApiModel.objects.get(key="gpt-6.2-sol").as_of

    assert refresh().strip().splitlines()[-1] == "No change."
    assert ApiModel.objects.get(key="gpt-6.2-sol").as_of == before


@pytest.mark.usefixtures("catalog")
def test_refresh_keeps_a_hand_edit_and_reports_the_conflict() -> None:
    ApiModel.objects.filter(key="gpt-6.2-sol").update(
        input_usd_per_million_tokens=Decimal("1.5")
    )  # an admin's negotiated price

    out = refresh()

    assert re.search(r"conflict \(hand edit kept\): gpt-6\.2-sol: admin's \$1\.5 in", out)
    assert "the source now says $2 in / $10 out" in out
    assert out.strip().splitlines()[-1] == "No change (1 hand edits kept)."
    assert ApiModel.objects.get(key="gpt-6.2-sol").input_usd_per_million_tokens == Decimal("1.5")


@pytest.mark.usefixtures("catalog")
def test_refresh_reports_price_changes_new_models_and_retirements() -> None:
    # As if the catalog were older: a price the source has since cut, a model it did not
    # list yet, and an offer that has since been retired.
    sol = ApiModel.objects.get(key="gpt-6.2-sol")
    ApiModel.objects.filter(pk=sol.pk).update(
        input_usd_per_million_tokens=Decimal("3"), imported_fingerprint=""
    )
    ApiModel.objects.filter(key="gpt-6.2-astra").delete()
    ApiModel.objects.create(
        key="cerebras/llama-3.3-70b",
        provider="cerebras",
        name="Llama 3.3 70B (Cerebras)",
        input_usd_per_million_tokens=Decimal("0.85"),
        output_usd_per_million_tokens=Decimal("1.2"),
        tier="mid",
        open_weights=True,
        open_model_key="llama-3.3-70b",
        source="genai-prices 0.2.3 (pydantic/genai-prices, MIT)",
        as_of=date(2026, 6, 1),
    )

    out = refresh()

    assert "price change: gpt-6.2-sol: $3 in / $10 out" in out
    assert "-> $2 in / $10 out per 1M tokens, cached $0.1, batch $1 / $5" in out
    assert "new model (inactive, review it): gpt-6.2-astra ($8 in / $40 out" in out
    assert "retired: cerebras/llama-3.3-70b: the source marks it deprecated" in out
    assert ApiModel.objects.get(key="gpt-6.2-astra").active is False
    assert ApiModel.objects.get(key="cerebras/llama-3.3-70b").active is False
    assert ApiModel.objects.get(key="gpt-6.2-sol").input_usd_per_million_tokens == Decimal("2")
    assert refresh().strip().splitlines()[-1] == "No change."


@pytest.mark.usefixtures("catalog")
def test_refresh_dry_run_writes_nothing() -> None:
    ApiModel.objects.filter(key="gpt-6.2-astra").delete()

    out = refresh("--dry-run")

    assert "new model (inactive, review it): gpt-6.2-astra" in out
    assert "Dry run, nothing written." in out
    assert not ApiModel.objects.filter(key="gpt-6.2-astra").exists()


# --- sources in the contract ------------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
def test_every_assumption_in_evaluate_json_is_sourced_dated_or_a_judgement(
    tmp_path: Path,
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"monthly_queries": 50_000_000, "gpu_pricing": "owned"}))
    out = StringIO()

    call_command("evaluate", str(answers), "--format", "json", stdout=out)

    rows = json.loads(out.getvalue())["assumptions"]
    assert len(rows) > 30
    for row in rows:
        assert row["as_of"], row["label"]
        cites = row["source_url"].startswith("https://") or re.search(
            r"genai-prices \d+\.\d+\.\d+", row["source"]
        )
        # The product's brief is the one source without a public address.
        assert cites or row["judgement"] or row["source"].startswith("Brief:"), row["label"]
        if row["judgement"]:
            assert row["range"] is not None or "GPU" in row["label"], row["label"]


@pytest.mark.usefixtures("catalog")
def test_an_import_prices_write_is_the_importers_not_a_hand_edit(tmp_path: Path) -> None:
    litellm = tmp_path / "prices.json"
    litellm.write_text(
        json.dumps(
            {
                "gpt-6.2-sol": {
                    "litellm_provider": "openai",
                    "mode": "chat",
                    "input_cost_per_token": 1.8e-06,
                    "output_cost_per_token": 9e-06,
                }
            }
        )
    )
    call_command("import_prices", str(litellm), stdout=StringIO())

    out = refresh()

    assert "hand edit kept" not in out
    assert "price change: gpt-6.2-sol: $1.8 in / $9 out" in out
