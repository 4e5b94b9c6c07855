"""Bounded, streaming reads of a usage file: JSON values and text lines.

Everything is read in chunks, so memory stays flat however long the file
is; every bound in :class:`~advisor.usage.limits.Limits` is checked as the
bytes arrive. JSON comes in three shapes and all are read one value at a
time: JSON Lines (one object a line, LiteLLM's usual export), a top-level
array (the ``/spend/logs`` API's answer, or saved API pages in a list), and
one or more pretty-printed objects one after another (saved API pages).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, Protocol

import orjson

from advisor.usage.errors import UsageFileError
from advisor.usage.limits import DEFAULT_LIMITS, Limits, MiB, mib_text

CHUNK_CHARS = 1 * MiB
_WHITESPACE = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


class BinaryReader(Protocol):
    """What these readers need of a stream: an uploaded file, ``BytesIO``, a :class:`Rewound`."""

    def read(self, size: int = -1, /) -> bytes: ...


class TextSource:
    """UTF-8 text from a binary stream, in chunks, refusing past ``limits.max_bytes``."""

    def __init__(self, raw: BinaryReader, limits: Limits = DEFAULT_LIMITS) -> None:
        self._raw = raw
        self._limits = limits
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.bytes_read = 0
        self.at_end = False

    def read(self, size: int = CHUNK_CHARS) -> str:
        """The next chunk of text ("" at the end of the file)."""
        if self.at_end:
            return ""
        data = self._raw.read(size)
        self.bytes_read += len(data)
        if self.bytes_read > self._limits.max_bytes:
            raise UsageFileError(
                f"the file is larger than {mib_text(self._limits.max_bytes)}, "
                "the most this importer reads; export a shorter period"
            )
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as error:
            raise UsageFileError(
                f"the file is not UTF-8 text (byte {self.bytes_read - len(data) + error.start})"
            ) from None
        if not data:
            self.at_end = True
        return text


class JsonValues:
    """The file's JSON values in order, each with the line it starts on.

    ``array`` tells whether they were the elements of one top-level array.
    """

    def __init__(self, source: TextSource, limits: Limits = DEFAULT_LIMITS) -> None:
        self._source = source
        self._limits = limits
        self._buffer = ""
        self._pos = 0
        self._line = 1  # line number at self._pos
        self.array = False
        self._started = False
        self._closed = False
        self._records = 0

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        return self

    def __next__(self) -> tuple[int, Any]:
        if not self._started:
            self._start()
        if self._closed:
            raise StopIteration
        if self.array and not self._array_separator():
            raise StopIteration
        if not self.array and not self._skip_blank():
            raise StopIteration
        return self._value()

    # -- reading -------------------------------------------------------------

    def _start(self) -> None:
        self._started = True
        if not self._skip_blank():
            raise UsageFileError("the file is empty")
        if self._buffer[self._pos] == "[":
            self.array = True
            self._advance(1)
            self._first_element = True
        elif self._buffer[self._pos] != "{":
            raise UsageFileError(
                f"expected JSON (an object or an array), found {self._buffer[self._pos]!r}",
                line=self._line,
            )

    def _fill(self) -> bool:
        """Append a chunk; False at the end of the file. Drops what was consumed."""
        if self._pos:
            self._buffer = self._buffer[self._pos :]
            self._pos = 0
        chunk = self._source.read()
        if not chunk:
            return False
        self._buffer += chunk
        return True

    def _advance(self, count: int) -> None:
        end = self._pos + count
        self._line += self._buffer.count("\n", self._pos, end)
        self._pos = end

    def _skip_blank(self) -> bool:
        """Skip whitespace (bounded); False at the end of the file."""
        skipped = 0
        while True:
            match = _WHITESPACE.match(self._buffer, self._pos)
            assert match is not None  # the pattern matches the empty string
            skipped += match.end() - self._pos
            self._advance(match.end() - self._pos)
            if skipped > self._limits.max_blank_bytes:
                raise UsageFileError(
                    f"more than {mib_text(self._limits.max_blank_bytes)} of blank space "
                    "with no record in it: this is not a usage export",
                    line=self._line,
                )
            if self._pos < len(self._buffer):
                return True
            if not self._fill():
                return False

    def _array_separator(self) -> bool:
        """Between array elements: a comma, or the closing bracket (then only blanks)."""
        if not self._skip_blank():
            raise UsageFileError(
                "the JSON array is not closed: the file ends early", line=self._line
            )
        char = self._buffer[self._pos]
        if char == "]":
            self._advance(1)
            self._closed = True
            if self._skip_blank():
                raise UsageFileError(
                    "unexpected text after the end of the JSON array", line=self._line
                )
            return False
        if self._first_element:
            self._first_element = False
        elif char == ",":
            self._advance(1)
            if not self._skip_blank():
                raise UsageFileError("the JSON array is not closed", line=self._line)
        else:
            raise UsageFileError(
                f"expected ',' or ']' between array elements, found {char!r}", line=self._line
            )
        return True

    def _value(self) -> tuple[int, Any]:
        self._records = count_record(self._records, self._limits, self._line)
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buffer, self._pos)
            except RecursionError:
                # Python's decoder recurses per level: a deep record fails before
                # it can be measured. Nothing real nests anywhere near this deep.
                raise too_deep(self._limits, self._line) from None
            except json.JSONDecodeError as error:
                # Maybe the value continues in the next chunk: read on, within bounds.
                if len(self._buffer) - self._pos > self._limits.max_record_bytes:
                    raise UsageFileError(
                        f"one JSON record is larger than {mib_text(self._limits.max_record_bytes)}",
                        line=self._line,
                    ) from None
                if self._fill():
                    continue
                line = self._line + self._buffer.count("\n", self._pos, error.pos)
                raise UsageFileError(f"not valid JSON: {error.msg}", line=line) from None
            except ValueError:
                # Python refuses to convert an integer of more than 4,300 digits
                # (CVE-2020-10735); no count or time in an export is anywhere near.
                raise UsageFileError(
                    "a number too long to be a count or a time", line=self._line
                ) from None
            line = self._line
            check_depth(value, self._buffer, self._pos, end, self._limits, line)
            self._advance(end - self._pos)
            return line, value


def text_lines(source: TextSource, limits: Limits = DEFAULT_LIMITS) -> Iterator[str]:
    """The file's lines without their line ends, refusing a line past ``max_line_bytes``."""
    pending = ""
    while True:
        chunk = source.read()
        if not chunk:
            break
        lines = (pending + chunk).split("\n")
        pending = lines.pop()
        # Every line, not only the one the chunk cut: a chunk holds a MiB of text.
        if max(len(pending), max(map(len, lines), default=0)) > limits.max_line_bytes:
            raise UsageFileError(
                f"a line longer than {mib_text(limits.max_line_bytes)}: this is not a usage export"
            )
        for line in lines:
            yield line[:-1] if line.endswith("\r") else line
    if pending:
        yield pending[:-1] if pending.endswith("\r") else pending


class Rewound:
    """A binary stream whose first bytes (``head``, already read to peek) are read again."""

    def __init__(self, head: bytes, raw: BinaryReader) -> None:
        self._head = head
        self._raw = raw

    def read(self, size: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return self._raw.read(size)


def byte_json_lines(raw: Rewound, limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[int, Any]]:
    """JSON Lines read as bytes and parsed by orjson: the million-row path.

    orjson checks the UTF-8 as it parses, so no separate decode pass is
    needed; a line that fails is only then looked at for being blank.
    """
    line_number = 0
    blank = 0
    total = 0
    records = 0
    max_records, max_depth = limits.max_records, limits.max_json_depth
    pending = b""
    while True:
        chunk = raw.read(4 * MiB)
        total += len(chunk)
        if total > limits.max_bytes:
            raise UsageFileError(
                f"the file is larger than {mib_text(limits.max_bytes)}, "
                "the most this importer reads; export a shorter period"
            )
        if chunk:
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            if len(pending) > limits.max_record_bytes:
                raise UsageFileError(
                    f"a line longer than {mib_text(limits.max_record_bytes)}: "
                    "this is not a usage export",
                    line=line_number + 1,
                )
        else:
            lines, pending = ([pending] if pending else []), b""
        for line in lines:
            line_number += 1
            if len(line) > limits.max_record_bytes:
                raise UsageFileError(
                    f"a line longer than {mib_text(limits.max_record_bytes)}: "
                    "this is not a usage export",
                    line=line_number,
                )
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                if line.strip():
                    message = str(error).split(":", 1)[0]
                    if is_orjson_depth_error(error):
                        raise too_deep(limits, line_number) from None
                    raise UsageFileError(f"not valid JSON: {message}", line=line_number) from None
                blank += len(line) + 1
                if blank > limits.max_blank_bytes:
                    raise UsageFileError(
                        f"more than {mib_text(limits.max_blank_bytes)} of blank lines "
                        "with no record in them: this is not a usage export",
                        line=line_number,
                    ) from None
                continue
            blank = 0
            # Inline (this loop runs a million times): see count_record and check_depth.
            records += 1
            if records > max_records:
                raise too_many_records(limits, line_number)
            if line.count(b"{") + line.count(b"[") > max_depth and nesting_exceeds(
                value, max_depth
            ):
                raise too_deep(limits, line_number)
            yield line_number, value
        if not chunk:
            return


# -- bounds shared by every reader -------------------------------------------


def count_record(seen: int, limits: Limits, line: int | None) -> int:
    """One more record; refuses the one past ``limits.max_records``."""
    if seen >= limits.max_records:
        raise too_many_records(limits, line)
    return seen + 1


def too_many_records(limits: Limits, line: int | None) -> UsageFileError:
    return UsageFileError(
        f"more than {limits.max_records:,} records, the most this importer reads: "
        "export a shorter period or coarser buckets",
        line=line,
    )


def too_deep(limits: Limits, line: int | None) -> UsageFileError:
    return UsageFileError(
        f"JSON nested more than {limits.max_json_depth} levels deep: this is not a usage export",
        line=line,
    )


def is_orjson_depth_error(error: orjson.JSONDecodeError) -> bool:
    """orjson refuses nesting past 1,024 levels itself, as "depth limit exceeded"."""
    return str(error).startswith("depth limit")


def check_depth(
    value: Any, text: str | bytes, start: int, end: int, limits: Limits, line: int | None
) -> None:
    """Refuse a record nested deeper than ``limits.max_json_depth``.

    A record with no more opening brackets than the limit cannot be nested
    deeper than it: counting them (C speed) spares walking the million rows
    of a LiteLLM log; only a record with many containers is walked.
    """
    if isinstance(text, bytes):
        opens = text.count(b"{", start, end) + text.count(b"[", start, end)
    else:
        opens = text.count("{", start, end) + text.count("[", start, end)
    if opens > limits.max_json_depth and nesting_exceeds(value, limits.max_json_depth):
        raise too_deep(limits, line)


def nesting_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest more than ``limit`` deep in ``value`` (walked without recursion)."""
    if not isinstance(value, (dict, list)):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
