"""Issue 30, finding 2: every bound of the usage reader, checked on the pure importer.

A 3,000-byte JSON of 1,500 nested brackets raised ``RecursionError`` in
``advisor/usage/streams.py`` (a 500 on the web, exit 1 with a traceback on
the command line). Each bound in :class:`~advisor.usage.Limits` (nesting
depth, records, line length, file size) is refused with a
:class:`UsageFileError` that says which bound, on every reading path:
JSON Lines (orjson, line by line), a whole JSON document (orjson), JSON
values one after another (Python's decoder), and CSV.
"""

from __future__ import annotations

import json

import pytest

from advisor.usage import Limits, UsageFileError, reader
from advisor.usage.limits import MiB
from advisor.usage.streams import nesting_exceeds
from tests.usage.files import DATA, read_bytes, read_text

LITELLM_LINES = (DATA / "litellm_spend_logs.jsonl").read_text().splitlines()
OPENAI = json.loads((DATA / "openai_completions.json").read_text())
CSV_HEADER = "start,requests,input_tokens,output_tokens,cached_input_tokens"
DEEP_ARRAYS = b"[" * 1500 + b"]" * 1500  # the probe's 3,000 bytes
DEEP_OBJECTS = '{"a":' * 1500 + "1" + "}" * 1500


def refused(data: bytes | str, **kwargs) -> UsageFileError:
    with pytest.raises(UsageFileError) as caught:
        if isinstance(data, str):
            read_text(data, **kwargs)
        else:
            read_bytes(data, **kwargs)
    return caught.value


# -- nesting depth --------------------------------------------------------------


def test_finding_2_fifteen_hundred_nested_brackets_are_refused_not_a_recursion_error():
    assert len(DEEP_ARRAYS) == 3000
    error = refused(DEEP_ARRAYS)
    assert "JSON nested more than 32 levels deep" in str(error)


def test_deep_objects_whole_document():
    assert "nested more than 32 levels" in str(refused(DEEP_OBJECTS))


def test_a_deep_json_lines_row_names_its_line():
    for deep in (DEEP_OBJECTS, '{"a":' * 40 + "1" + "}" * 40):  # past orjson's 1,024, and not
        lines = [*LITELLM_LINES[:2], deep, *LITELLM_LINES[2:]]
        error = refused("\n".join(lines) + "\n")
        assert error.line == 3
        assert "nested more than 32 levels" in str(error)


def test_deep_value_among_pretty_printed_pages():
    """Pages one after another are read value by value by Python's decoder."""
    page = json.dumps(OPENAI, indent=2)
    for deep in (DEEP_OBJECTS, '{"a":' * 40 + "1" + "}" * 40):
        error = refused(page + "\n" + deep + "\n")
        assert "nested more than 32 levels" in str(error)
        assert error.line == page.count("\n") + 2


def test_a_deep_value_in_a_document_too_large_to_read_whole(monkeypatch):
    """Past 16 MB the document is read value by value too (tested with a smaller bound)."""
    monkeypatch.setattr(reader, "WHOLE_DOCUMENT_BYTES", 1000)
    text = "[" + ",".join([*LITELLM_LINES, DEEP_OBJECTS]) + "]"
    error = refused(text)
    assert "nested more than 32 levels" in str(error)
    assert error.line == 1


def test_the_depth_limit_is_exact():
    assert not nesting_exceeds({"a": [{"b": [1]}]}, 4)
    assert nesting_exceeds({"a": [{"b": [[1]]}]}, 4)
    assert not nesting_exceeds(5, 0)
    page = json.dumps(OPENAI)
    # An OpenAI page nests five deep: page, data, bucket, results, result.
    assert read_text(page, limits=Limits(max_json_depth=5)).monthly_queries
    assert "nested more than 4" in str(refused(page, limits=Limits(max_json_depth=4)))


# -- records ------------------------------------------------------------------


def test_too_many_json_lines_rows():
    text = "\n".join(LITELLM_LINES) + "\n"
    limit = len(LITELLM_LINES) - 1
    error = refused(text, limits=Limits(max_records=limit))
    assert f"more than {limit:,} records" in str(error)
    assert error.line == len(LITELLM_LINES)
    assert read_text(text, limits=Limits(max_records=len(LITELLM_LINES))).monthly_queries


def test_too_many_rows_in_a_json_array_and_in_values_one_after_another():
    array = "[" + ",".join(LITELLM_LINES) + "]"
    assert "records" in str(refused(array, limits=Limits(max_records=3)))
    pages = "\n".join(json.dumps(OPENAI, indent=2) for _ in range(3))
    assert "more than 2 records" in str(refused(pages, limits=Limits(max_records=2)))


def test_too_many_csv_rows():
    rows = [f"2026-10-01T{hour:02d}:00:00,10,1000,100,0" for hour in range(24)]
    text = "\n".join([CSV_HEADER, *rows]) + "\n"
    error = refused(text, limits=Limits(max_records=20))
    assert "more than 20 records" in str(error)
    assert error.line == 22  # the header is line 1


# -- line length ----------------------------------------------------------------


def test_a_csv_line_too_long():
    text = CSV_HEADER + "\n" + "2026-10-01," + "9" * (2 * MiB) + ",1,1,0\n"
    assert "a line longer than 1 MiB" in str(refused(text))
    small = Limits(max_line_bytes=64 * 1024)
    text = CSV_HEADER + "\n" + "2026-10-01," + "x" * 70_000 + ",1,1,0\n"
    assert "a line longer than 0.0625 MiB" in str(refused(text, limits=small))


# -- numbers Python refuses to convert (found while testing the bounds) ------------


def test_a_count_of_thousands_of_digits_is_refused_not_a_value_error():
    big = "9" * 5000  # int() refuses past 4,300 digits with a ValueError
    rows = [f"2026-10-01T00:00:00,{big},1,1,0", "2026-10-01T01:00:00,1,1,1,0"]
    error = refused("\n".join([CSV_HEADER, *rows]) + "\n")
    assert (error.line, error.field) == (2, "requests")
    assert "5,000 digits) is not a plausible count" in str(error)
    page = json.dumps(OPENAI, indent=2).replace('"input_tokens": ', f'"input_tokens": {big}', 1)
    assert "a number too long to be a count or a time" in str(refused(page))


def test_an_infinite_time_is_refused_not_an_overflow_error():
    page = json.dumps(OPENAI, indent=2).replace(
        '"start_time": 1', '"start_time": Infinity, "x": 1', 1
    )
    error = refused(page + "\n" + json.dumps(OPENAI))
    assert "expected a time, found inf" in str(error)


def test_a_json_lines_row_too_long():
    long_row = json.dumps({**json.loads(LITELLM_LINES[0]), "padding": "x" * 200_000})
    text = "\n".join([LITELLM_LINES[0], long_row, *LITELLM_LINES[1:]]) + "\n"
    limits = Limits(max_record_bytes=128 * 1024)
    assert "a line longer than 0.125 MiB" in str(refused(text, limits=limits))


# -- file size ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["litellm_spend_logs.jsonl", "usage.csv", "openai_completions.json"]
)
def test_a_file_past_the_size_limit(name):
    data = (DATA / name).read_bytes()
    error = refused(data, limits=Limits(max_bytes=len(data) - 1))
    assert "the file is larger than" in str(error)
    assert read_bytes(data, limits=Limits(max_bytes=len(data))).answers()
