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
from advisor.usage.fields import count, optional_flag, optional_text
from advisor.usage.formats.buckets import BucketedReport

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


def _result(
    result: Mapping[str, Any], acc: Accumulator, *, start: int, end: int, line: int, path: str
) -> None:
    kind = result.get("object", RESULT_OBJECT)
    if kind != RESULT_OBJECT:
        raise UsageFileError(
            f"this is a {kind!r} result; export the completions endpoint ({RESULT_OBJECT!r})",
            line=line,
            field=f"{path}object",
        )
    input_tokens = count(result, "input_tokens", line=line, path=path) or 0
    cached = count(result, "input_cached_tokens", line=line, path=path, required=False)
    if cached is not None and cached > input_tokens:
        raise UsageFileError(
            f"{cached:,} cached tokens is more than the {input_tokens:,} input tokens "
            "that include them",
            line=line,
            field=f"{path}input_cached_tokens",
        )
    acc.add_bucket(
        start=start,
        end=end,
        requests=count(result, "num_model_requests", line=line, path=path),
        input_tokens=input_tokens,
        cached_input_tokens=cached,
        output_tokens=count(result, "output_tokens", line=line, path=path) or 0,
        batch=optional_flag(result, "batch", line=line, path=path),
        model=optional_text(result, "model"),
    )


REPORT = BucketedReport(
    is_page=is_page,
    not_a_page=(
        'expected another OpenAI usage page ({"object": "page", "data": [...]}): '
        "one format per file"
    ),
    start_key="start_time",
    end_key="end_time",
    read_result=_result,
)


def read(values: Iterable[tuple[int, Any]], acc: Accumulator) -> None:
    REPORT.read(values, acc)
