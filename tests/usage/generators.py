"""Synthetic usage exports of any size, in each format the importer reads.

Used by the tests (traffic shapes, growth) and by ``bench/usage.py``. Every
generator is deterministic for a seed. Traffic shapes, per hour (UTC):

- ``steady``: a mild daily swing (+-15 %) and +-5 % noise;
- ``business_hours``: weekdays 09:00-17:00 at full volume, 5 % otherwise;
- ``spiky``: the steady base, with about one hour in 60 at 6-12 times it.

    python -m tests.usage.generators litellm --requests 1000000 --out /tmp/spend.jsonl
    python -m tests.usage.generators openai --days 30 --models 5 --out /tmp/openai.json
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

HOUR = 3600
DAY = 86400
# Monday 2026-09-07 00:00 UTC: whole weeks from here.
START = int(datetime(2026, 9, 7, tzinfo=UTC).timestamp())
MODELS = ("gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-5", "gpt-5-mini")
PATTERNS = ("steady", "business_hours", "spiky")


def shape(pattern: str, hour_start: int, rng: random.Random) -> float:
    """The relative volume of one hour in ``pattern`` (about 1 on average for steady)."""
    hour_of_day = (hour_start // HOUR) % 24
    weekday = ((hour_start // DAY) + 3) % 7 < 5
    if pattern == "business_hours":
        return 1.0 if weekday and 9 <= hour_of_day < 17 else 0.05
    base = 1 + 0.15 * math.sin(2 * math.pi * hour_of_day / 24) + rng.uniform(-0.05, 0.05)
    if pattern == "spiky" and rng.random() < 1 / 60:
        return base * rng.uniform(6, 12)
    if pattern in ("steady", "spiky"):
        return base
    raise ValueError(f"unknown pattern {pattern!r}")


def hourly_requests(
    *,
    pattern: str = "steady",
    days: int = 30,
    per_hour: float = 1000,
    monthly_growth_pct: float = 0.0,
    seed: int = 1,
    start: int = START,
) -> list[tuple[int, int]]:
    """(hour start, requests) for every hour of ``days`` days."""
    rng = random.Random(seed)
    rate = math.log1p(monthly_growth_pct / 100) / (30 * DAY)
    hours = []
    for index in range(days * 24):
        hour = start + index * HOUR
        growth = math.exp(rate * (hour - start))
        hours.append((hour, max(0, round(per_hour * shape(pattern, hour, rng) * growth))))
    return hours


def openai_pages(
    hours: list[tuple[int, int]], *, models: int = 5, bucket_hours: int = 1
) -> list[dict[str, Any]]:
    """Completions usage pages, grouped by model and batch; one page per 168 buckets."""
    buckets = []
    for first in range(0, len(hours), bucket_hours):
        chunk = hours[first : first + bucket_hours]
        start = chunk[0][0]
        requests = sum(count for _hour, count in chunk)
        results = []
        for index in range(models):
            share = requests // models + (1 if index < requests % models else 0)
            results.append(
                {
                    "object": "organization.usage.completions.result",
                    "input_tokens": share * 1500,
                    "output_tokens": share * 400,
                    "input_cached_tokens": share * 300,
                    "input_audio_tokens": 0,
                    "output_audio_tokens": 0,
                    "num_model_requests": share,
                    "project_id": None,
                    "user_id": None,
                    "api_key_id": None,
                    "model": MODELS[index % len(MODELS)],
                    "batch": index == 0,
                    "service_tier": None,
                }
            )
        buckets.append(
            {
                "object": "bucket",
                "start_time": start,
                "end_time": start + bucket_hours * HOUR,
                "results": results,
            }
        )
    pages = []
    for first in range(0, len(buckets), 168):
        last = first + 168 >= len(buckets)
        pages.append(
            {
                "object": "page",
                "data": buckets[first : first + 168],
                "has_more": not last,
                "next_page": None if last else f"page_{first + 168}",
            }
        )
    return pages


def anthropic_pages(hours: list[tuple[int, int]], *, bucket_hours: int = 1) -> list[dict[str, Any]]:
    """Messages usage report pages: tokens only (no request counts), by service tier."""
    buckets = []
    for first in range(0, len(hours), bucket_hours):
        chunk = hours[first : first + bucket_hours]
        start = chunk[0][0]
        requests = sum(count for _hour, count in chunk)
        buckets.append(
            {
                "starting_at": _iso(start),
                "ending_at": _iso(start + bucket_hours * HOUR),
                "results": [
                    {
                        "uncached_input_tokens": requests * 1000,
                        "cache_creation": {
                            "ephemeral_1h_input_tokens": 0,
                            "ephemeral_5m_input_tokens": requests * 100,
                        },
                        "cache_read_input_tokens": requests * 400,
                        "output_tokens": requests * 400,
                        "server_tool_use": {"web_search_requests": 0},
                        "api_key_id": None,
                        "workspace_id": None,
                        "model": "claude-sonnet-4-20250514",
                        "service_tier": "standard",
                        "context_window": "0-200k",
                    }
                ],
            }
        )
    pages = []
    for first in range(0, len(buckets), 168):
        last = first + 168 >= len(buckets)
        pages.append(
            {
                "data": buckets[first : first + 168],
                "has_more": not last,
                "next_page": None if last else f"page_{first + 168}",
            }
        )
    return pages


def litellm_rows(hours: list[tuple[int, int]], *, seed: int = 1) -> Iterator[dict[str, Any]]:
    """Spend-log rows, one per request, spread over each hour."""
    rng = random.Random(seed)
    number = 0
    for hour, requests in hours:
        for index in range(requests):
            number += 1
            at = hour + (index * HOUR) // max(requests, 1)
            prompt = rng.randint(800, 2200)
            yield {
                "request_id": f"chatcmpl-{number:012d}",
                "call_type": "acompletion",
                "api_key": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
                "spend": 0.0042,
                "total_tokens": prompt + 400,
                "prompt_tokens": prompt,
                "completion_tokens": 400,
                "startTime": _iso(at, fraction=True),
                "endTime": _iso(at + 2, fraction=True),
                "model": MODELS[number % len(MODELS)],
                "model_group": "gpt-4.1",
                "api_base": "https://api.openai.com/v1",
                "user": "default_user",
                "metadata": {
                    "user_api_key_alias": "prod",
                    "additional_usage_values": {
                        "prompt_tokens_details": {"cached_tokens": prompt // 4}
                    },
                },
                "cache_hit": "False",
                "cache_key": "",
                "request_tags": [],
                "status": "success",
            }


ROW_TEMPLATE = (
    '{{"request_id":"chatcmpl-{number:012d}","call_type":"acompletion",'
    '"api_key":"88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",'
    '"spend":0.0042,"total_tokens":{total},"prompt_tokens":{prompt},"completion_tokens":400,'
    '"startTime":"{start}","endTime":"{end}","model":"{model}","model_group":"gpt-4.1",'
    '"api_base":"https://api.openai.com/v1","user":"default_user",'
    '"metadata":{{"user_api_key_alias":"prod","additional_usage_values":'
    '{{"prompt_tokens_details":{{"cached_tokens":{cached}}}}}}},'
    '"cache_hit":"False","cache_key":"","request_tags":[],"status":"success"}}\n'
)


def write_litellm_fast(hours: list[tuple[int, int]], out: IO[str], *, seed: int = 1) -> int:
    """The same rows as :func:`litellm_rows`, formatted from a template (a million in seconds)."""
    rng = random.Random(seed)
    number = 0
    for hour, requests in hours:
        for index in range(requests):
            number += 1
            at = hour + (index * HOUR) // max(requests, 1)
            prompt = rng.randint(800, 2200)
            out.write(
                ROW_TEMPLATE.format(
                    number=number,
                    total=prompt + 400,
                    prompt=prompt,
                    start=_iso(at, fraction=True),
                    end=_iso(at + 2, fraction=True),
                    model=MODELS[number % len(MODELS)],
                    cached=prompt // 4,
                )
            )
    return number


def write_jsonl(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    written = 0
    for row in rows:
        out.write(json.dumps(row, separators=(",", ":")))
        out.write("\n")
        written += 1
    return written


def write_generic_csv(hours: list[tuple[int, int]], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["start", "requests", "input_tokens", "output_tokens", "cached_input_tokens"])
    for hour, requests in hours:
        writer.writerow([_iso(hour), requests, requests * 1500, requests * 400, requests * 300])


def hours_for_requests(
    total: int, *, days: int = 30, pattern: str = "steady"
) -> list[tuple[int, int]]:
    """Hours of ``pattern`` traffic over ``days`` days summing to about ``total`` requests."""
    shape_only = hourly_requests(pattern=pattern, days=days, per_hour=1000)
    scale = total / sum(count for _hour, count in shape_only)
    return [(hour, round(count * scale)) for hour, count in shape_only]


def _iso(seconds: int, *, fraction: bool = False) -> str:
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    if fraction:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("format", choices=["openai", "anthropic", "litellm", "csv"])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--models", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--pattern", choices=PATTERNS, default="steady")
    args = parser.parse_args(argv)
    hours = hours_for_requests(args.requests, days=args.days, pattern=args.pattern)
    with args.out.open("w", encoding="utf-8") as out:
        if args.format == "openai":
            json.dump(openai_pages(hours, models=args.models), out)
        elif args.format == "anthropic":
            json.dump(anthropic_pages(hours), out)
        elif args.format == "litellm":
            write_litellm_fast(hours, out)
        else:
            write_generic_csv(hours, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
