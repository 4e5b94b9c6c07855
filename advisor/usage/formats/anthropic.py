"""Anthropic's Admin API usage report for the Messages API.

Followed: Claude API reference, "Get Messages Usage Report", ``GET
/v1/organizations/usage_report/messages``
(https://platform.claude.com/docs/en/api/admin-api/usage-cost/get-messages-usage-report
and https://platform.claude.com/docs/en/api/admin/usage_report/retrieve_messages).

A response is ``{"data": [bucket...], "has_more", "next_page"}``; a bucket
is ``{"starting_at", "ending_at", "results": [...]}`` with RFC 3339 times
and a width of ``bucket_width`` (1m, 1h or 1d). Each result carries
``uncached_input_tokens``, ``cache_read_input_tokens``,
``cache_creation: {ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}``
and ``output_tokens``, plus, when grouped by them, ``model`` and
``service_tier`` (``standard``, ``batch`` or ``priority``). The report has
**no request counts**: monthly queries and the per-query averages are left
to the buyer; the batch share is a share of tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from advisor.usage.accumulate import Accumulator
from advisor.usage.derive import Vocabulary
from advisor.usage.fields import count, mapping, optional_text
from advisor.usage.formats.buckets import BucketedReport

WORDS = Vocabulary(
    label="an Anthropic Admin API usage report (messages)",
    requests="requests",
    input_tokens=(
        "input tokens (uncached_input_tokens + cache_read_input_tokens + cache_creation)"
    ),
    cached_input_tokens="cache_read_input_tokens",
    output_tokens="output_tokens",
    batch="service_tier = batch",
    no_requests_reason=(
        "Anthropic's usage report counts tokens, not requests, so monthly queries and "
        "the averages per query cannot be measured from it: please enter them."
    ),
    no_batch_reason=("no result has a service_tier: the report was not grouped by service_tier."),
)


def is_page(value: Any) -> bool:
    if not isinstance(value, Mapping) or not isinstance(value.get("data"), list):
        return False
    first = next(iter(value["data"]), None)
    if first is None:
        return value.get("object") != "page"
    return isinstance(first, Mapping) and "starting_at" in first


def _result(
    result: Mapping[str, Any], acc: Accumulator, *, start: int, end: int, line: int, path: str
) -> None:
    uncached = count(result, "uncached_input_tokens", line=line, path=path) or 0
    cache_read = count(result, "cache_read_input_tokens", line=line, path=path) or 0
    creation = result.get("cache_creation") or {}
    creation = mapping(creation, line=line, field=f"{path}cache_creation")
    written = sum(
        count(creation, key, line=line, path=f"{path}cache_creation.", required=False) or 0
        for key in ("ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens")
    )
    tier = optional_text(result, "service_tier")
    acc.add_bucket(
        start=start,
        end=end,
        requests=None,
        input_tokens=uncached + cache_read + written,
        cached_input_tokens=cache_read,
        output_tokens=count(result, "output_tokens", line=line, path=path) or 0,
        batch=None if tier is None else tier == "batch",
        model=optional_text(result, "model"),
    )


REPORT = BucketedReport(
    is_page=is_page,
    not_a_page=(
        'expected another Anthropic usage report page ({"data": [...]} with '
        "starting_at buckets): one format per file"
    ),
    start_key="starting_at",
    end_key="ending_at",
    read_result=_result,
)


def read(values: Iterable[tuple[int, Any]], acc: Accumulator) -> None:
    REPORT.read(values, acc)
