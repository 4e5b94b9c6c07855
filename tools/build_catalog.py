"""Build fixtures/10-catalog.json (catalog 2026, issue 25) from the previous one.

Loads the previous fixture in a scratch database, then:
1. adds the open models (``OpenModel``) with their model cards' parameters
   and licences;
2. runs ``refresh_catalog``'s import against the installed genai-prices
   (prices as of ``TODAY``): current prices, announced changes, retirements,
   and the models the catalog lacks (added inactive);
3. activates the curated current generations and the hosted open-weights
   offers of the catalog's open models, marks the default API model;
4. adds serving profiles measured in public tables (TensorRT-LLM's
   performance overview) and refreshes GPU prices and the GPU price trend;
5. sets the quality scores (one leaderboard, each figure dated);
then dumps the catalog tables back to the fixture, with stable keys.

Every figure here is a public one with its source, or a judgement that says
so with its reason and range. Run from the checkout, against a scratch database::

    rm -f /tmp/catalog.sqlite3
    DATABASE_URL=sqlite:////tmp/catalog.sqlite3 .venv/bin/python tools/build_catalog.py
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")

import django

django.setup()

from django.core import serializers  # noqa: E402
from django.core.management import call_command  # noqa: E402

from advisor.costs.management.commands.refresh_catalog import (  # noqa: E402
    _genai_batch,
    refresh,
)
from advisor.costs.models import (  # noqa: E402
    ApiModel,
    ApiPriceChange,
    CostAssumption,
    GpuOffering,
    OpenModel,
    SelfHostedModelProfile,
)
from advisor.costs.price_sources import open_model_key  # noqa: E402

FIXTURE = Path("fixtures/10-catalog.json")
# The day the prices were read from the installed package (and the public pages).
TODAY = date(2026, 12, 5)

# --- 1. open models (model cards) ----------------------------------------------------------


@dataclass(frozen=True)
class Card:
    key: str
    name: str
    total: str
    active: str
    licence: str
    tier: str
    source: str
    url: str
    as_of: date


OPEN_MODELS = (
    Card(
        "gpt-oss-120b",
        "gpt-oss-120b",
        "116.8",
        "5.1",
        "Apache 2.0",
        "mid",
        "OpenAI, 'gpt-oss-120b & gpt-oss-20b Model Card': 116.8B total, 5.1B active parameters",
        "https://huggingface.co/openai/gpt-oss-120b",
        date(2025, 8, 5),
    ),
    Card(
        "gpt-oss-20b",
        "gpt-oss-20b",
        "20.9",
        "3.6",
        "Apache 2.0",
        "small",
        "OpenAI, 'gpt-oss-120b & gpt-oss-20b Model Card': 20.9B total, 3.6B active parameters",
        "https://huggingface.co/openai/gpt-oss-20b",
        date(2025, 8, 5),
    ),
    Card(
        "qwen3-235b-a22b",
        "Qwen3 235B A22B",
        "235.0",
        "22.0",
        "Apache 2.0",
        "mid",
        "Qwen, Qwen3-235B-A22B model card: 235B total, 22B activated parameters",
        "https://huggingface.co/Qwen/Qwen3-235B-A22B",
        date(2025, 4, 29),
    ),
    Card(
        "deepseek-r1",
        "DeepSeek R1 (0528)",
        "671.0",
        "37.0",
        "MIT",
        "mid",
        "DeepSeek, DeepSeek-R1 model card: 671B total, 37B activated parameters",
        "https://huggingface.co/deepseek-ai/DeepSeek-R1-0528",
        date(2025, 5, 28),
    ),
    Card(
        "llama-4-maverick",
        "Llama 4 Maverick 17B-128E",
        "400.0",
        "17.0",
        "Llama 4 Community License",
        "mid",
        "Meta, Llama-4-Maverick-17B-128E-Instruct model card: 400B total, 17B active parameters",
        "https://huggingface.co/meta-llama/Llama-4-Maverick-17B-128E-Instruct",
        date(2025, 4, 5),
    ),
    Card(
        "llama-4-scout",
        "Llama 4 Scout 17B-16E",
        "109.0",
        "17.0",
        "Llama 4 Community License",
        "mid",
        "Meta, Llama-4-Scout-17B-16E-Instruct model card: 109B total, 17B active parameters",
        "https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E-Instruct",
        date(2025, 4, 5),
    ),
    Card(
        "llama-3.3-70b",
        "Llama 3.3 70B Instruct",
        "70.0",
        "70.0",
        "Llama 3.3 Community License",
        "mid",
        "Meta, Llama-3.3-70B-Instruct model card: 70B parameters (dense)",
        "https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct",
        date(2024, 12, 6),
    ),
    Card(
        "llama-3.1-8b",
        "Llama 3.1 8B Instruct",
        "8.0",
        "8.0",
        "Llama 3.1 Community License",
        "small",
        "Meta, Llama-3.1-8B-Instruct model card: 8B parameters (dense)",
        "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct",
        date(2024, 7, 23),
    ),
)

# --- 3. the API models buyers are offered ---------------------------------------------------

# Current closed generations (key -> tier), besides the older ones still sold.
CURRENT_CLOSED = {
    "gpt-6.2-astra": "frontier",
    "gpt-6.2-sol": "mid",
    "gpt-6.1-terra": "mid",
    "gpt-6-luna": "small",
    "gpt-5.6-sol": "frontier",
    "gpt-5.6-terra": "mid",
    "gpt-5.6-luna": "small",
    "gpt-5.4-nano": "small",
    "gpt-5.2": "frontier",
    "claude-fable-5-2": "frontier",
    "claude-opus-4-7": "frontier",
    "claude-opus-4-6": "frontier",
    "claude-sonnet-4-6": "mid",
    "gemini-4-neon": "frontier",
    "gemini-4-argon": "frontier",
    "gemini-4-hydrogen": "mid",
    "gemini-3.1-pro-preview": "frontier",
    "gemini-3.8-flash": "small",
    "gemini-3.5-flash-lite": "small",
}
# The newest OpenAI generation's middle line ($2 / $10, beside Claude Sonnet 5.5's $2 / $10).
DEFAULT_API_MODEL = "gpt-6.2-sol"

# --- 5. quality: one leaderboard ------------------------------------------------------------

AA_INDEX = "Artificial Analysis Intelligence Index v4.0"


@dataclass(frozen=True)
class Score:
    score: str
    url: str
    as_of: date
    reported_by: str


# Figures as reported on public pages (the leaderboard itself is a live page).
_MARCH = (
    "https://officechai.com/ai/gpt-5-4-tied-with-gemini-3-1-pro-on-artificial-analysis-"
    "intelligence-index-first-time-a-new-openai-model-hasnt-topped-index-outright"
)
_MAY = (
    "https://hivebook.wiki/wiki/artificial-analysis-intelligence-index-10-eval-llm-"
    "quality-composite-score"
)
_GPT_OSS = "https://manifold.markets/trvon/while-a-medium-oss-llm-model-surpas"
QUALITY = {
    "gpt-5.4": Score("57", _MARCH, date(2026, 3, 31), "OfficeChai, GPT-5.4 at launch"),
    "gemini-3.1-pro-preview": Score("57", _MARCH, date(2026, 3, 31), "OfficeChai"),
    "claude-opus-4-6": Score("53", _MARCH, date(2026, 3, 31), "OfficeChai, (max)"),
    "claude-sonnet-4-6": Score("52", _MARCH, date(2026, 3, 31), "OfficeChai, (max)"),
    "gpt-5.2": Score("51", _MARCH, date(2026, 3, 31), "OfficeChai, (xhigh)"),
    "gpt-5.5": Score("60", _MAY, date(2026, 5, 31), "Hivebook, late May 2026, (xhigh)"),
    "claude-opus-4-7": Score("57", _MAY, date(2026, 5, 31), "Hivebook, late May 2026, (max)"),
    "gpt-oss-120b": Score("33", _GPT_OSS, date(2026, 6, 20), "Manifold market text, (high)"),
}

# --- 4. serving profiles (TensorRT-LLM performance overview) -------------------------------

TRT_12 = "TensorRT-LLM 1.2 Performance Overview (output tokens/s per GPU, offline max throughput)"
TRT_12_URL = "https://nvidia.github.io/TensorRT-LLM/1.2.0/developer-guide/perf-overview.html"
TRT_10 = "TensorRT-LLM 1.0 Performance Overview (total output tokens/s, offline max throughput)"
TRT_10_URL = "https://nvidia.github.io/TensorRT-LLM/performance/perf-overview.html"
# The date the 1.2 table was read; the 1.0 table's date as the catalog already cites it.
TRT_12_AS_OF = TODAY
TRT_10_AS_OF = date(2025, 9, 1)


@dataclass(frozen=True)
class Measured:
    """Two token shapes of one configuration: (input, output, output tokens/s per replica)."""

    key: str
    model: str
    gpu: str
    gpus: int
    engine: str
    precision: str
    parallel: str
    shapes: tuple[tuple[int, int, float], tuple[int, int, float]]
    per_gpu: bool  # the table gives tokens/s per GPU (x gpus per replica)
    note: str = ""

    def solved(self) -> tuple[float, float]:
        """(input, output) tokens/s of a replica: busy time = in / P + out / D at both shapes."""
        (i1, o1, t1), (i2, o2, t2) = self.shapes
        scale = self.gpus if self.per_gpu else 1
        t1, t2 = t1 * scale, t2 * scale
        # i1 a + o1 b = o1 / t1 and i2 a + o2 b = o2 / t2, with a = 1/P, b = 1/D.
        det = i1 * o2 - i2 * o1
        a = (o1 / t1 * o2 - o2 / t2 * o1) / det
        b = (i1 * o2 / t2 - i2 * o1 / t1) / det
        if a <= 0 or b <= 0:
            raise ValueError(f"{self.key}: the two shapes give no positive rates")
        return 1 / a, 1 / b


PROFILES = (
    Measured(
        "gpt-oss-120b-fp4-2xb200",
        "gpt-oss-120b",
        "b200",
        2,
        "TensorRT-LLM 1.2",
        "FP4",
        "DEP2",
        ((1000, 1000, 25943), (8192, 1024, 6111)),
        per_gpu=True,
    ),
    Measured(
        "gpt-oss-120b-fp8-1xh200",
        "gpt-oss-120b",
        "h200",
        1,
        "TensorRT-LLM 1.2",
        "FP8",
        "TP1",
        ((1000, 1000, 6868), (8192, 1024, 1828)),
        per_gpu=True,
    ),
    Measured(
        "gpt-oss-120b-fp8-4xh100",
        "gpt-oss-120b",
        "h100-80gb",
        4,
        "TensorRT-LLM 1.2",
        "FP8",
        "DEP4",
        ((1000, 1000, 4685), (8192, 1024, 1169)),
        per_gpu=True,
    ),
    Measured(
        "gpt-oss-20b-fp4-1xb200",
        "gpt-oss-20b",
        "b200",
        1,
        "TensorRT-LLM 1.2",
        "FP4",
        "TP1",
        ((1000, 1000, 53812), (8192, 1024, 11904)),
        per_gpu=True,
    ),
    Measured(
        "gpt-oss-20b-fp8-1xh200",
        "gpt-oss-20b",
        "h200",
        1,
        "TensorRT-LLM 1.2",
        "FP8",
        "TP1",
        ((1000, 1000, 13858), (8192, 1024, 4015)),
        per_gpu=True,
    ),
    Measured(
        "gpt-oss-20b-fp8-1xh100",
        "gpt-oss-20b",
        "h100-80gb",
        1,
        "TensorRT-LLM 1.2",
        "FP8",
        "TP1",
        ((1000, 1000, 11557), (8192, 1024, 3366)),
        per_gpu=True,
    ),
    Measured(
        "qwen3-235b-a22b-fp4-4xb200",
        "qwen3-235b-a22b",
        "b200",
        4,
        "TensorRT-LLM 1.2",
        "FP4",
        "DEP4",
        ((1000, 1000, 5764), (8192, 1024, 1410)),
        per_gpu=True,
    ),
    Measured(
        "qwen3-235b-a22b-fp8-4xh200",
        "qwen3-235b-a22b",
        "h200",
        4,
        "TensorRT-LLM 1.2",
        "FP8",
        "DEP4",
        ((1000, 1000, 3288), (8192, 1024, 627)),
        per_gpu=True,
    ),
    Measured(
        "qwen3-235b-a22b-fp8-8xh100",
        "qwen3-235b-a22b",
        "h100-80gb",
        8,
        "TensorRT-LLM 1.0",
        "FP8",
        "TP8",
        ((1000, 1000, 14898), (5000, 500, 3225)),
        per_gpu=False,
    ),
    Measured(
        "llama-4-maverick-fp4-4xb200",
        "llama-4-maverick",
        "b200",
        4,
        "TensorRT-LLM 1.2",
        "FP4",
        "DEP4",
        ((1000, 1000, 11337), (8192, 1024, 3279)),
        per_gpu=True,
    ),
    Measured(
        "llama-4-maverick-fp8-8xh200",
        "llama-4-maverick",
        "h200",
        8,
        "TensorRT-LLM 1.2",
        "FP8",
        "DEP8",
        ((1000, 1000, 4146), (8192, 1024, 1276)),
        per_gpu=True,
    ),
    Measured(
        "llama-4-maverick-fp8-8xh100",
        "llama-4-maverick",
        "h100-80gb",
        8,
        "TensorRT-LLM 1.0",
        "FP8",
        "TP8",
        ((1000, 1000, 9677), (5000, 500, 3457)),
        per_gpu=False,
    ),
    Measured(
        "llama-4-scout-fp4-1xb200",
        "llama-4-scout",
        "b200",
        1,
        "TensorRT-LLM 1.0",
        "FP4",
        "TP1",
        ((1000, 1000, 10591), (2048, 128, 3137)),
        per_gpu=False,
    ),
    Measured(
        "llama-4-scout-fp8-4xh200",
        "llama-4-scout",
        "h200",
        4,
        "TensorRT-LLM 1.0",
        "FP8",
        "TP4",
        ((1000, 1000, 21636), (2048, 128, 3699)),
        per_gpu=False,
    ),
    Measured(
        "llama-4-scout-fp8-4xh100",
        "llama-4-scout",
        "h100-80gb",
        4,
        "TensorRT-LLM 1.0",
        "FP8",
        "TP4",
        ((1000, 1000, 12129), (2048, 128, 3253)),
        per_gpu=False,
    ),
    Measured(
        "deepseek-r1-fp4-4xb200",
        "deepseek-r1",
        "b200",
        4,
        "TensorRT-LLM 1.2",
        "FP4",
        "DEP4",
        ((1000, 1000, 6463), (8192, 1024, 1168)),
        per_gpu=True,
    ),
)
# DeepSeek R1 on 8 x H200: the 1.2 table has 1000/1000 (1,627 per GPU) but no
# prefill-heavy shape, so prefill is taken in the B200 profile's ratio (as the
# catalog's MLPerf row does); on 8 x H100 its 671 GB of FP8 weights do not fit
# in 640 GB, so there is no H100 profile.
DEEPSEEK_H200_PER_GPU = 1627


def profile_rows() -> list[dict[str, Any]]:
    rows = []
    for measured in PROFILES:
        prefill, decode = measured.solved()
        table, url, as_of = (
            (TRT_12, TRT_12_URL, TRT_12_AS_OF)
            if measured.engine.endswith("1.2")
            else (TRT_10, TRT_10_URL, TRT_10_AS_OF)
        )
        unit = "per GPU" if measured.per_gpu else f"per {measured.gpus} GPUs"
        shapes = " and ".join(f"{t:,.0f} at {i}/{o}" for i, o, t in measured.shapes)
        rows.append(
            {
                "key": measured.key,
                "model": measured.model,
                "gpu": measured.gpu,
                "gpus": measured.gpus,
                "engine": measured.engine,
                "precision": measured.precision,
                "shape": measured.shapes[0][:2],
                "prefill": prefill,
                "decode": decode,
                "source": f"{table}, {measured.parallel} {measured.precision}: output tok/s "
                f"{unit} {shapes}; prefill and decode rates solved from the two shapes",
                "url": url,
                "as_of": as_of,
            }
        )
    b200 = next(row for row in rows if row["key"] == "deepseek-r1-fp4-4xb200")
    # 1000/1000 at 8 x 1,627 output tok/s, with prefill = decode x the B200 ratio.
    ratio = b200["prefill"] / b200["decode"]
    total = DEEPSEEK_H200_PER_GPU * 8
    decode = total * (1 + 1 / ratio)  # 1000/P + 1000/D = 1000/total with P = ratio x D
    rows.append(
        {
            "key": "deepseek-r1-fp8-8xh200",
            "model": "deepseek-r1",
            "gpu": "h200",
            "gpus": 8,
            "engine": "TensorRT-LLM 1.2",
            "precision": "FP8",
            "shape": (1000, 1000),
            "prefill": decode * ratio,
            "decode": decode,
            "source": f"{TRT_12}, DEP8 FP8: {DEEPSEEK_H200_PER_GPU:,} output tok/s per GPU at "
            "1000/1000; no prefill-heavy shape is published, so prefill is in the 4 x B200 "
            "profile's prefill/decode ratio",
            "url": TRT_12_URL,
            "as_of": TRT_12_AS_OF,
        }
    )
    return rows


# --- GPU prices 2026 ----------------------------------------------------------------------

GPU_PRICES = {
    "h100-80gb": {
        "usd_per_hour": Decimal("2.95"),
        "usd_per_hour_low": Decimal("1.99"),
        "usd_per_hour_high": Decimal("5.00"),
        "source": "AIMultiple 'Cloud GPU Rental Price Index' (58 providers): H100 median about "
        "$2.95/GPU-hour across 37 providers; range $1.99 (long-tail) to $5.00 (hyperscalers) "
        "from Mercatus 'Cloud GPU pricing 2026' (May 2026)",
        "source_url": "https://aimultiple.com/gpu-index",
        "as_of": date(2026, 5, 20),
    },
    "h200": {
        "usd_per_hour_low": Decimal("2.50"),
        "usd_per_hour_high": Decimal("7.00"),
        "source": "RunPod Pods pricing (H200 $4.59/hr), as transcribed in the api-evangelist/"
        "runpod plans file; range $2.50 (long-tail) to $7.00 (hyperscalers) from Mercatus "
        "'Cloud GPU pricing 2026' (May 2026)",
    },
    "b200": {
        "usd_per_hour_low": Decimal("6.03"),
        "source": "Lambda instance pricing (lambda.ai/instances), as transcribed in the "
        "api-evangelist/lambda-labs plans file; low $6.03 from Spheron on-demand (2026-03-17)",
    },
}
GPU_TREND = {
    "value": Decimal("-10"),
    "low": Decimal("-30"),
    "high": Decimal("15"),
    "judgement": True,
    "reasoning": "on-demand H100 held a tight band around $2-3 through 2026 after falling from "
    "about $8 in 2023, and 1-year commitments rose, so a slow fall rather than the -20 %/yr of "
    "2024-25",
    "source": "AIMultiple 'Cloud GPU Rental Price Index' (2026-05-20: H100, H200, A100 held a "
    "tight band; 1-year H100 commitments trended up); SemiAnalysis rental index as summarised "
    "(H100 $1.70 Oct 2025 -> $2.35 Mar 2026)",
    "source_url": "https://aimultiple.com/gpu-index",
    "as_of": date(2026, 5, 20),
}


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("loaddata", str(FIXTURE), verbosity=0)
    add_open_models()
    batch = _genai_batch(TODAY)
    report = refresh([batch])
    print("\n".join(report.lines()), file=sys.stderr)
    curate_api_models(
        listed={record.key for record in batch[0] if not record.deprecated},
    )
    add_profiles()
    refresh_gpus()
    set_quality()
    dump()


def add_open_models() -> None:
    for card in OPEN_MODELS:
        OpenModel.objects.update_or_create(
            key=card.key,
            defaults={
                "name": card.name,
                "total_parameters_billions": Decimal(card.total),
                "active_parameters_billions": Decimal(card.active),
                "licence": card.licence,
                "tier": card.tier,
                "source": card.source,
                "source_url": card.url,
                "as_of": card.as_of,
            },
        )


def curate_api_models(*, listed: set[str]) -> None:
    tiers = {model.key: model.tier for model in OpenModel.objects.all()}
    ApiModel.objects.filter(is_default=True).update(is_default=False)
    for row in ApiModel.objects.all():
        fields: dict[str, Any] = {}
        if row.open_weights:
            prefix = row.key.split("/")[0] + "/"
            serves = open_model_key(row.key[len(prefix) :]) or open_model_key(row.key)
            if serves in tiers:
                fields["open_model_key"] = serves
                fields["tier"] = tiers[serves]
                # Every hosted offer of a catalog open model the data lists (not retired).
                fields["active"] = row.key in listed
        elif row.key in CURRENT_CLOSED:
            fields["tier"] = CURRENT_CLOSED[row.key]
            fields["active"] = True
        if fields:
            ApiModel.objects.filter(pk=row.pk).update(**fields)
    ApiModel.objects.filter(key=DEFAULT_API_MODEL).update(is_default=True, active=True)


def add_profiles() -> None:
    gpus = {gpu.key: gpu for gpu in GpuOffering.objects.all()}
    names = {model.key: model.name for model in OpenModel.objects.all()}
    tiers = {model.key: model.tier for model in OpenModel.objects.all()}
    params = {model.key: model.total_parameters_billions for model in OpenModel.objects.all()}
    for row in profile_rows():
        gpu = gpus[row["gpu"]]
        SelfHostedModelProfile.objects.update_or_create(
            key=row["key"],
            defaults={
                "name": f"{names[row['model']]} {row['precision']} ({row['engine']}, "
                f"{row['gpus']} x {gpu.name.replace('NVIDIA ', '')})",
                "parameters_billions": params[row["model"]],
                "tier": tiers[row["model"]],
                "gpu": gpu,
                "gpus_per_replica": row["gpus"],
                "output_tokens_per_second": Decimal(f"{row['decode']:.1f}"),
                "input_tokens_per_second": Decimal(f"{row['prefill']:.1f}"),
                "model_key": row["model"],
                "serving_stack": row["engine"],
                "precision": row["precision"],
                "benchmark_input_tokens": row["shape"][0],
                "benchmark_output_tokens": row["shape"][1],
                "source": row["source"],
                "source_url": row["url"],
                "as_of": row["as_of"],
                "active": True,
                "is_default_for_tier": False,
            },
        )


def refresh_gpus() -> None:
    for key, fields in GPU_PRICES.items():
        GpuOffering.objects.filter(key=key).update(**fields)
    CostAssumption.objects.filter(key="gpu_price_trend_pct_per_year").update(**GPU_TREND)


def set_quality() -> None:
    for key, score in QUALITY.items():
        fields = {
            "quality_score": Decimal(score.score),
            "quality_source": f"{AA_INDEX} (as reported by {score.reported_by})",
            "quality_source_url": score.url,
            "quality_as_of": score.as_of,
        }
        ApiModel.objects.filter(key=key).update(**fields)
        OpenModel.objects.filter(key=key).update(**fields)
    # The rest: the same leaderboard, no public dated figure found ("not rated").
    ApiModel.objects.filter(quality_score__isnull=True).update(quality_source=AA_INDEX)
    OpenModel.objects.filter(quality_score__isnull=True).update(quality_source=AA_INDEX)


def dump() -> None:
    objects: list[Any] = []
    for model in (OpenModel, ApiModel, ApiPriceChange, GpuOffering, SelfHostedModelProfile):
        objects += list(model._default_manager.order_by("pk"))
    objects += list(CostAssumption.objects.order_by("pk"))
    data = json.loads(serializers.serialize("json", objects))
    FIXTURE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE}: {len(data)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
