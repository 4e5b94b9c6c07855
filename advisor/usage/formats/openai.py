"""OpenAI's organization Usage API, completions endpoint.

Followed: OpenAI API reference, "Usage: Completions", ``GET
/v1/organization/usage/completions``
(https://platform.openai.com/docs/api-reference/usage/completions; read as
mirrored at https://developers.openai.com/api/reference/resources/organization/subresources/audit_logs/subresources/usage/methods/get_completions
and in the OpenAPI-generated schema ``UsageCompletionsResult``, e.g.
https://hexdocs.pm/ex_openai/2.0.0-beta2/ExOpenAI.Components.UsageCompletionsResult.html).

A response is a page ``{"object": "page", "data": [bucket...], "has_more",
"next_page"}``; a bucket is ``{"object": "bucket", "start_time",
"end_time", "results": [...]}`` with Unix seconds (end exclusive) and a
width of ``bucket_width`` (1m, 1h or 1d). Each result
(``"object": "organization.usage.completions.result"``) carries
``input_tokens`` (including cached tokens), ``input_cached_tokens``,
``output_tokens`` and ``num_model_requests``, and, when the request grouped
by them, ``model`` and ``batch`` (null otherwise). A file is one page, a
list of pages, or pages one after another (one per line or pretty-printed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from advisor.usage.accumulate import Accumulator
from advisor.usage.derive import Vocabulary
from advisor.usage.errors import UsageFileError
from advisor.usage.fields import count, epoch_seconds, items, mapping, optional_flag, optional_text

RESULT_OBJECT = "organization.usage.completions.result"

WORDS = Vocabulary(
    label="an OpenAI organization Usage API export (completions)",
    requests="num_model_requests",
    input_tokens="input_tokens",
    cached_input_tokens="input_cached_tokens",
    output_tokens="output_tokens",
    batch="batch = true",
    no_cached_reason="no result carries input_cached_tokens.",
    no_batch_reason=(
        "every result has batch = null: the export was not grouped by batch "
        "(group_by=batch), so batch and other usage cannot be told apart."
    ),
)


def is_page(value: Any) -> bool:
    if not isinstance(value, Mapping) or not isinstance(value.get("data"), list):
        return False
    if value.get("object") == "page":
        return True
    first = next(iter(value["data"]), None)
    return isinstance(first, Mapping) and "start_time" in first


def read(values: Iterable[tuple[int, Any]], acc: Accumulator) -> None:
    for line, page in values:
        if not is_page(page):
            raise UsageFileError(
                'expected another OpenAI usage page ({"object": "page", "data": [...]}): '
                "one format per file",
                line=line,
            )
        for index, bucket in enumerate(page["data"]):
            _bucket(
                mapping(bucket, line=line, field=f"data[{index}]"), acc, line, f"data[{index}]."
            )


def _bucket(bucket: Mapping[str, Any], acc: Accumulator, line: int, path: str) -> None:
    if "start_time" not in bucket:
        raise UsageFileError("this field is missing", line=line, field=f"{path}start_time")
    if "end_time" not in bucket:
        raise UsageFileError("this field is missing", line=line, field=f"{path}end_time")
    start = epoch_seconds(bucket["start_time"], line=line, field=f"{path}start_time")
    end = epoch_seconds(bucket["end_time"], line=line, field=f"{path}end_time")
    if end <= start:
        raise UsageFileError(
            "end_time must be after start_time", line=line, field=f"{path}end_time"
        )
    results = items(bucket, "results", line=line, path=path)
    if not results:
        acc.mark_bucket(start=start, end=end)
    for index, raw in enumerate(results):
        where = f"{path}results[{index}]."
        result = mapping(raw, line=line, field=where.rstrip("."))
        kind = result.get("object", RESULT_OBJECT)
        if kind != RESULT_OBJECT:
            raise UsageFileError(
                f"this is a {kind!r} result; export the completions endpoint ({RESULT_OBJECT!r})",
                line=line,
                field=f"{where}object",
            )
        input_tokens = count(result, "input_tokens", line=line, path=where) or 0
        cached = count(result, "input_cached_tokens", line=line, path=where, required=False)
        if cached is not None and cached > input_tokens:
            raise UsageFileError(
                f"{cached:,} cached tokens is more than the {input_tokens:,} input tokens "
                "that include them",
                line=line,
                field=f"{where}input_cached_tokens",
            )
        acc.add_bucket(
            start=start,
            end=end,
            requests=count(result, "num_model_requests", line=line, path=where),
            input_tokens=input_tokens,
            cached_input_tokens=cached,
            output_tokens=count(result, "output_tokens", line=line, path=where) or 0,
            batch=optional_flag(result, "batch", line=line, path=where),
            model=optional_text(result, "model"),
        )
