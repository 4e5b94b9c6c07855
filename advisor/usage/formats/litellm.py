"""LiteLLM proxy spend logs: one row per request.

Followed: LiteLLM's proxy database schema, model ``LiteLLM_SpendLogs``
(https://github.com/BerriAI/litellm/blob/main/schema.prisma), its spend
tracking page (https://docs.litellm.ai/docs/proxy/cost_tracking) and the
``SpendLogsMetadata`` type in ``litellm/proxy/_types.py`` (prompt-cache
counts are kept in ``metadata.additional_usage_values``).

Fields read: ``startTime`` (ISO 8601, or Unix seconds), ``prompt_tokens``,
``completion_tokens``, ``model``, ``status`` (rows with ``"failure"`` are
left out), ``cache_hit`` (``"True"`` when LiteLLM's own response cache
answered: no model ran, and a self-hosted model behind the same proxy would
not run either, so these rows are left out of the workload and counted in
the notes) and ``metadata.additional_usage_values`` with
``cache_read_input_tokens`` (Anthropic-style) or
``prompt_tokens_details.cached_tokens`` (OpenAI-style). A file is JSON Lines
(one row a line), a JSON array of rows (the ``/spend/logs`` answer), or CSV
with the table's column names (``COPY ... TO ... CSV HEADER``). Spend logs
carry no batch flag, so the batch share is left to the buyer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from advisor.usage.accumulate import HOUR, Accumulator, Cell
from advisor.usage.derive import Vocabulary
from advisor.usage.errors import UsageFileError
from advisor.usage.fields import epoch_seconds, to_count

REQUIRED = ("startTime", "prompt_tokens", "completion_tokens")
CSV_MARKERS = frozenset(REQUIRED)
TRUE_TEXT = frozenset({"true", "True", "TRUE", "1"})
# startTime endings whose hour is its first 13 characters (the row loop's cache key).
UTC_ENDINGS = ("+00:00", "Z")

WORDS = Vocabulary(
    label="LiteLLM proxy spend logs",
    requests="requests (rows)",
    input_tokens="prompt_tokens",
    cached_input_tokens="cached prompt tokens (metadata.additional_usage_values)",
    output_tokens="completion_tokens",
    batch="a batch flag",
    no_cached_reason=(
        "no row carries prompt-cache counts (metadata.additional_usage_values), "
        "so the cached share cannot be measured."
    ),
    no_batch_reason="spend logs carry no batch flag per request.",
)


def is_row(value: Any) -> bool:
    return isinstance(value, Mapping) and ("startTime" in value or "request_id" in value)


def read(rows: Iterable[tuple[int, Any]], acc: Accumulator) -> None:
    """Stream the rows into ``acc``: the hot path of a million-row log, kept small.

    Plain ``dict`` checks (not ``Mapping``) and one cached hour per
    ``YYYY-MM-DDTHH`` prefix keep a row to a few dictionary look-ups.
    """
    acc.per_request = True
    hours: dict[str, int] = {}  # "YYYY-MM-DDTHH" -> hour start, so most rows parse no time
    cells = acc.cells
    first = last = None
    failures = proxy_cache_hits = 0
    requests = input_total = output_total = cached_total = with_cached = 0
    models = acc.models
    for line, row in rows:
        if type(row) is not dict or ("startTime" not in row and "request_id" not in row):
            raise UsageFileError(
                "expected a LiteLLM spend-log row (with startTime, prompt_tokens, "
                "completion_tokens): one format per file",
                line=line,
            )
        if row.get("status") == "failure":
            failures += 1
            continue
        cache_hit = row.get("cache_hit")
        if cache_hit is True or (type(cache_hit) is str and cache_hit in TRUE_TEXT):
            proxy_cache_hits += 1
            continue
        start = row.get("startTime")
        if type(start) is str and start.endswith(UTC_ENDINGS):
            hour = hours.get(start[:13])
            if hour is None:
                hour = _hour(row, line, hours)
        else:
            hour = _hour(row, line, hours)
        prompt = row.get("prompt_tokens")
        if type(prompt) is not int or prompt < 0:
            prompt = _count(row, "prompt_tokens", line)
        completion = row.get("completion_tokens")
        if type(completion) is not int or completion < 0:
            completion = _count(row, "completion_tokens", line)
        metadata = row.get("metadata")
        if metadata:
            cached = _openai_cached(metadata)
            if cached is None:
                cached = _cached(metadata, line)
            if cached is not None:
                if cached > prompt:
                    raise UsageFileError(
                        f"{cached:,} cached tokens is more than the {prompt:,} prompt tokens",
                        line=line,
                        field="metadata.additional_usage_values",
                    )
                cached_total += cached
                with_cached += 1
        cell = cells.get(hour)
        if cell is None:
            cell = cells[hour] = Cell(HOUR)
            first = hour if first is None or hour < first else first
            last = hour if last is None or hour > last else last
        cell.requests += 1
        cell.tokens += prompt + completion
        requests += 1
        input_total += prompt
        output_total += completion
        model = row.get("model")
        if model and type(model) is str and model not in models and len(models) < 50:
            models.add(model[:100])
    acc.requests += requests
    acc.records += requests
    acc.input_tokens += input_total
    acc.output_tokens += output_total
    acc.cached_input_tokens += cached_total
    acc.records_with_cached += with_cached
    acc.batch_unknown_records += requests
    if first is not None and last is not None:
        acc.first_start, acc.last_end = first, last + HOUR
    if failures:
        acc.notes.append(f"{failures:,} failed requests (status = failure) were left out.")
    if proxy_cache_hits:
        acc.notes.append(
            f"{proxy_cache_hits:,} requests answered by LiteLLM's response cache "
            "(cache_hit = True) were left out: no model served them."
        )


def _count(row: Mapping[str, Any], key: str, line: int) -> int:
    value = row.get(key)
    if type(value) is int and value >= 0:  # the usual case, checked without a call
        return value
    if value is None or value == "":
        raise UsageFileError("this field is missing", line=line, field=key)
    return to_count(value, line=line, field=key)


def _hour(row: Mapping[str, Any], line: int, hours: dict[str, int]) -> int:
    value = row.get("startTime")
    if type(value) is str and len(value) >= 19:
        key = value[:13]
        hour = hours.get(key)
        if hour is not None and _utc_suffix(value):
            return hour
        if _utc_suffix(value):
            hour = epoch_seconds(value, line=line, field="startTime")
            hour -= hour % HOUR
            hours[key] = hour
            return hour
    if value is None or value == "":
        raise UsageFileError("this field is missing", line=line, field="startTime")
    seconds = epoch_seconds(value, line=line, field="startTime")
    return seconds - seconds % HOUR


def _utc_suffix(value: str) -> bool:
    """No offset, ``Z`` or ``+00:00``: the hour can be read from the text's first 13 characters."""
    tail = value[19:]
    if "+" not in tail and "-" not in tail:
        return True  # no offset (UTC, as LiteLLM writes them) or Z
    return tail.endswith(("+00:00", "+0000", "-00:00"))


def _openai_cached(metadata: Any) -> int | None:
    """The common shape, read without a call per level; None sends it to :func:`_cached`."""
    if type(metadata) is dict:
        usage = metadata.get("additional_usage_values")
        if type(usage) is dict and "cache_read_input_tokens" not in usage:
            details = usage.get("prompt_tokens_details")
            if type(details) is dict:
                cached = details.get("cached_tokens")
                if type(cached) is int and cached >= 0:
                    return cached
    return None


def _cached(metadata: Any, line: int) -> int | None:
    if type(metadata) is str:  # a CSV cell, or a JSON-string column
        try:
            metadata = json.loads(metadata)
        except json.JSONDecodeError:
            raise UsageFileError(
                "metadata is not valid JSON", line=line, field="metadata"
            ) from None
    if type(metadata) is not dict:
        return None
    usage = metadata.get("additional_usage_values")
    if type(usage) is not dict:
        return None
    if usage.get("cache_read_input_tokens") is not None:
        return to_count(
            usage["cache_read_input_tokens"],
            line=line,
            field="metadata.additional_usage_values.cache_read_input_tokens",
        )
    details = usage.get("prompt_tokens_details")
    if type(details) is dict and details.get("cached_tokens") is not None:
        cached = details["cached_tokens"]
        if type(cached) is int and cached >= 0:
            return cached
        return to_count(
            details["cached_tokens"],
            line=line,
            field="metadata.additional_usage_values.prompt_tokens_details.cached_tokens",
        )
    return None
