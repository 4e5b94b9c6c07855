"""Reading a file in chunks: text, JSON values with their line, JSON Lines, and the bounds."""

from __future__ import annotations

import io

import pytest

from advisor.usage.errors import UsageFileError
from advisor.usage.limits import Limits
from advisor.usage.streams import (
    JsonValues,
    Rewound,
    TextSource,
    byte_json_lines,
    count_record,
    nesting_exceeds,
    text_lines,
)


def source(data: bytes, **limits: int) -> TextSource:
    return TextSource(io.BytesIO(data), Limits(**limits))


def test_text_drops_a_byte_order_mark_and_ends_with_an_empty_read() -> None:
    text = source("\ufeffstart,requests\n".encode())
    assert text.read() == "start,requests\n"
    assert text.read() == ""
    assert text.at_end


def test_text_past_the_size_limit_or_not_utf8_is_refused() -> None:
    with pytest.raises(UsageFileError, match="larger than"):
        source(b"x" * 100, max_bytes=10).read()
    with pytest.raises(UsageFileError, match=r"not UTF-8 text \(byte 2\)"):
        source(b"ab\xff").read()


def test_lines_lose_their_line_ends_and_a_too_long_line_is_refused() -> None:
    assert list(text_lines(source(b"a\r\nb\nc"))) == ["a", "b", "c"]
    with pytest.raises(UsageFileError, match="a line longer than"):
        list(text_lines(source(b"x" * 50 + b"\n"), Limits(max_line_bytes=10)))


def test_json_values_come_with_the_line_they_start_on() -> None:
    values = JsonValues(source(b'{"a": 1}\n\n{"b":\n 2}\n'))
    assert list(values) == [(1, {"a": 1}), (3, {"b": 2})]
    assert not values.array


def test_the_elements_of_a_top_level_array_are_values_too() -> None:
    values = JsonValues(source(b'[\n {"a": 1},\n {"a": 2}\n]'))
    assert [line for line, _ in values] == [2, 3]
    assert values.array


def test_json_lines_as_bytes_name_the_bad_line() -> None:
    rows = byte_json_lines(Rewound(b'{"a": 1}\n', io.BytesIO(b'{"a": 2}\nnot json\n')))
    assert next(rows) == (1, {"a": 1})
    assert next(rows) == (2, {"a": 2})
    with pytest.raises(UsageFileError) as error:
        next(rows)
    assert error.value.line == 3


def test_rewound_reads_the_peeked_head_first() -> None:
    stream = Rewound(b"head", io.BytesIO(b"-rest"))
    assert stream.read() + stream.read() == b"head-rest"


def test_records_past_the_limit_and_nesting_past_the_depth_are_refused() -> None:
    limits = Limits(max_records=2)
    assert count_record(1, limits, line=2) == 2
    with pytest.raises(UsageFileError, match="more than 2 records"):
        count_record(2, limits, line=3)
    assert nesting_exceeds([[[]]], 2)
    assert not nesting_exceeds([[]], 2)
    assert not nesting_exceeds("[[[", 1)
