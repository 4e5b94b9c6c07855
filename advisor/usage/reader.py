"""Open a usage file, tell its format, and read it into a :class:`UsageWorkload`."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import IO, Any

from advisor.usage.accumulate import Accumulator
from advisor.usage.derive import derive
from advisor.usage.errors import UsageFileError
from advisor.usage.formats import anthropic, generic_csv, litellm, openai
from advisor.usage.limits import DEFAULT_LIMITS, Limits, MiB
from advisor.usage.streams import JsonValues, TextSource, json_lines, text_lines
from advisor.usage.workload import UsageWorkload

FORMATS = ("auto", "openai", "anthropic", "litellm", "csv")
FORMAT_LABELS = {
    "openai": openai.WORDS.label,
    "anthropic": anthropic.WORDS.label,
    "litellm": litellm.WORDS.label,
    "csv": generic_csv.WORDS.label,
}
_JSON_KINDS = {"openai": openai.is_page, "anthropic": anthropic.is_page, "litellm": litellm.is_row}


def read_usage(
    raw: IO[bytes], *, format: str = "auto", limits: Limits = DEFAULT_LIMITS
) -> UsageWorkload:
    """The workload in a usage export (a binary stream); raises :class:`UsageFileError`.

    ``format`` is one of :data:`FORMATS`; ``auto`` tells them apart by their
    shape (JSON pages with ``start_time`` or ``starting_at`` buckets, JSON
    rows with ``startTime``, CSV headers).
    """
    if format not in FORMATS:
        raise UsageFileError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    source = TextSource(raw, limits)
    head = _peek(source, limits)
    if head[:1] in ("{", "["):
        return _read_json(source, head, format, limits)
    if format in ("openai", "anthropic"):
        raise UsageFileError(f"expected JSON for {FORMAT_LABELS[format]}, found text", line=1)
    return _read_csv(source, format, limits)


def _peek(source: TextSource, limits: Limits) -> str:
    """The first chunk that has something other than whitespace, left to be read again."""
    seen = 0
    while True:
        chunk = source.read()
        if not chunk:
            raise UsageFileError("the file is empty" if not seen else "the file is blank")
        stripped = chunk.lstrip()
        seen += len(chunk) - len(stripped)
        if seen > limits.max_blank_bytes:
            raise UsageFileError(
                f"more than {limits.max_blank_bytes // MiB} MiB of blank space before any "
                "record: this is not a usage export"
            )
        if stripped:
            source.push_back(chunk)
            return stripped


def _read_json(source: TextSource, head: str, format: str, limits: Limits) -> UsageWorkload:
    values: Iterator[tuple[int, Any]]
    if head[0] == "{" and _first_line_is_object(head):
        values = json_lines(source, limits)
    else:
        values = JsonValues(source, limits)
    first = next(values, None)
    if first is None:
        raise UsageFileError("the file holds no usage records")
    kind = _kind(first[1]) if format == "auto" else format
    if kind is None:
        raise UsageFileError(
            "not a usage export this importer knows: expected OpenAI usage pages "
            "(data[].start_time), an Anthropic usage report (data[].starting_at) or "
            f"LiteLLM spend-log rows (startTime){_keys_hint(first[1])}",
            line=first[0],
        )
    if kind == "csv":
        raise UsageFileError("expected CSV text, found JSON", line=first[0])
    if not _JSON_KINDS[kind](first[1]):
        raise UsageFileError(
            f"this does not look like {FORMAT_LABELS[kind]}{_keys_hint(first[1])}", line=first[0]
        )
    everything = chain([first], values)
    return _accumulated(kind, everything)


def _accumulated(kind: str, values: Iterator[tuple[int, Any]]) -> UsageWorkload:
    module = {"openai": openai, "anthropic": anthropic, "litellm": litellm}[kind]
    acc = Accumulator(has_request_counts=kind != "anthropic")
    module.read(values, acc)
    return derive(acc, source_format=kind, words=module.WORDS)


def _first_line_is_object(head: str) -> bool:
    line, newline, _rest = head.partition("\n")
    if not newline:
        return False
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def _kind(value: Any) -> str | None:
    for kind, test in _JSON_KINDS.items():
        if test(value):
            return kind
    return None


def _keys_hint(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(sorted(map(str, value))[:8])
        return f"; the first record has the fields {keys}"
    return ""


def _read_csv(source: TextSource, format: str, limits: Limits) -> UsageWorkload:
    numbered = enumerate(csv.reader(text_lines(source, limits)), start=1)
    try:
        _line, header = next(numbered)
    except csv.Error as error:
        raise UsageFileError(f"not valid CSV: {error}", line=1) from None
    rows = _csv_rows(numbered)
    names = {name.strip() for name in header}
    is_litellm = names >= litellm.CSV_MARKERS
    if format == "litellm" or (format == "auto" and is_litellm):
        if not is_litellm:
            missing = ", ".join(sorted(litellm.CSV_MARKERS - names))
            raise UsageFileError(f"a LiteLLM spend-log CSV needs the columns {missing}", line=1)
        clean = [name.strip() for name in header]
        acc = Accumulator(has_request_counts=True)
        litellm.read(((line, dict(zip(clean, row, strict=False))) for line, row in rows), acc)
        return derive(acc, source_format="litellm", words=litellm.WORDS)
    columns = generic_csv.check_header(header)
    acc = Accumulator(has_request_counts=True)
    generic_csv.read(rows, columns, acc)
    return derive(acc, source_format="csv", words=generic_csv.WORDS)


def _csv_rows(numbered: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, Sequence[str]]]:
    line = 1
    while True:
        try:
            line, row = next(numbered)
        except StopIteration:
            return
        except csv.Error as error:
            raise UsageFileError(f"not valid CSV: {error}", line=line + 1) from None
        if row and any(cell.strip() for cell in row):
            yield line, row
