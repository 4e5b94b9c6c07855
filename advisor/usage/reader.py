"""Open a usage file, tell its format, and read it into a :class:`UsageWorkload`."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import replace
from itertools import chain
from typing import IO, Any

import orjson

from advisor.usage.accumulate import Accumulator
from advisor.usage.derive import derive
from advisor.usage.errors import UsageFileError
from advisor.usage.formats import anthropic, generic_csv, litellm, openai
from advisor.usage.limits import DEFAULT_LIMITS, Limits, mib_text
from advisor.usage.streams import (
    JsonValues,
    Rewound,
    TextSource,
    byte_json_lines,
    check_depth,
    count_record,
    is_orjson_depth_error,
    text_lines,
    too_deep,
    too_many_records,
)
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
    head = _peek(raw, limits)
    stream = Rewound(head, raw)
    if head[:1] in (b"{", b"["):
        return _read_json(stream, head, format, limits)
    if format in ("openai", "anthropic"):
        raise UsageFileError(f"expected JSON for {FORMAT_LABELS[format]}, found text", line=1)
    return _read_csv(TextSource(stream, limits), format, limits)


PEEK_BYTES = 64 * 1024
WHOLE_DOCUMENT_BYTES = 16 * 1024 * 1024


def _peek(raw: IO[bytes], limits: Limits) -> bytes:
    """The file's start from its first non-blank byte, up to its first line end at least."""
    skipped = 0
    head = b""
    while not head:
        chunk = raw.read(PEEK_BYTES)
        if not chunk:
            raise UsageFileError("the file is blank" if skipped else "the file is empty")
        if not skipped and chunk.startswith(codecs.BOM_UTF8):
            chunk = chunk[len(codecs.BOM_UTF8) :]
        head = chunk.lstrip()
        skipped += len(chunk) - len(head)
        if skipped > limits.max_blank_bytes:
            raise UsageFileError(
                f"more than {mib_text(limits.max_blank_bytes)} of blank space before any "
                "record: this is not a usage export"
            )
    while b"\n" not in head and len(head) < limits.max_line_bytes:
        chunk = raw.read(PEEK_BYTES)
        if not chunk:
            break
        head += chunk
    return head


def _read_json(stream: Rewound, head: bytes, format: str, limits: Limits) -> UsageWorkload:
    if head[:1] == b"{" and _first_line_is_object(head):
        return _read_json_values(byte_json_lines(stream, limits), format)
    # A saved API page (or a list of them) is small: parsed whole by orjson, it reads
    # about five times faster than value by value. Any error is reported by the
    # value-by-value reader instead, which knows the line it happened on.
    bound = min(WHOLE_DOCUMENT_BYTES, limits.max_bytes)
    whole = _read_up_to(stream, bound + 1)
    if len(whole) <= bound:
        try:
            document = orjson.loads(whole)
        except orjson.JSONDecodeError as error:
            if is_orjson_depth_error(error):
                raise too_deep(limits, None) from None
            document = None
        if document is not None:
            items = document if isinstance(document, list) else [document]
            # Depth first: a record too deep is refused as such, not as not a usage export.
            check_depth(document, whole, 0, len(whole), _array_depth(limits, document), None)
            if len(items) > limits.max_records:
                raise too_many_records(limits, None)
            try:
                return _read_json_values(((1, item) for item in items), format)
            except UsageFileError:
                pass
        stream = Rewound(whole, io.BytesIO(b""))
    else:
        stream = Rewound(whole, stream)
    return _read_json_values(JsonValues(TextSource(stream, limits), limits), format)


def _array_depth(limits: Limits, document: Any) -> Limits:
    """The limit for a whole document: one level more for a top-level list of records."""
    if isinstance(document, list):
        return replace(limits, max_json_depth=limits.max_json_depth + 1)
    return limits


def _read_up_to(stream: Rewound, size: int) -> bytes:
    parts, total = [], 0
    while total < size:
        chunk = stream.read(size - total)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def _read_json_values(values: Iterator[tuple[int, Any]], format: str) -> UsageWorkload:
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


def _first_line_is_object(head: bytes) -> bool:
    """JSON Lines: the first line alone is a whole object."""
    line, newline, _rest = head.partition(b"\n")
    if not newline:
        return False
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
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
    rows = _csv_rows(numbered, limits)
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


def _csv_rows(
    numbered: Iterator[tuple[int, list[str]]], limits: Limits
) -> Iterator[tuple[int, Sequence[str]]]:
    line = 1
    records = 0
    while True:
        try:
            line, row = next(numbered)
        except StopIteration:
            return
        except csv.Error as error:
            raise UsageFileError(f"not valid CSV: {error}", line=line + 1) from None
        if row and any(cell.strip() for cell in row):
            records = count_record(records, limits, line)
            yield line, row
