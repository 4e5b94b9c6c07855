"""Reading any export: the format told or detected, and bad files refused with a
message that names the line and the field."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from advisor.usage import Limits, UsageFileError, read_usage
from tests.usage.files import DATA, read_bytes, read_json, read_text

OPENAI = json.loads((DATA / "openai_completions.json").read_text())
CSV_HEADER = "start,requests,input_tokens,output_tokens,cached_input_tokens"
LITELLM_LINES = (DATA / "litellm_spend_logs.jsonl").read_text().splitlines()


def refused(read, *args, **kwargs) -> UsageFileError:
    with pytest.raises(UsageFileError) as caught:
        read(*args, **kwargs)
    return caught.value


def test_wrong_json_names_the_line():
    lines = list(LITELLM_LINES)
    lines[2] = lines[2][:-5]  # cut off the end of the third row
    error = refused(read_text, "\n".join(lines))
    assert error.line == 3
    assert str(error).startswith("line 3: not valid JSON")


def test_truncated_pretty_printed_page():
    text = (DATA / "openai_completions.json").read_text()[:-40]
    error = refused(read_text, text)
    assert "not valid JSON" in str(error)
    assert error.line is not None


def test_missing_field_is_named_with_its_path():
    page = json.loads(json.dumps(OPENAI))
    del page["data"][1]["results"][0]["num_model_requests"]
    error = refused(read_json, page)
    assert error.field == "data[1].results[0].num_model_requests"
    assert "missing" in str(error)


def test_missing_litellm_field():
    row = json.loads(LITELLM_LINES[0])
    del row["prompt_tokens"]
    error = refused(read_text, "\n".join([LITELLM_LINES[1], json.dumps(row)]) + "\n")
    assert (error.line, error.field) == (2, "prompt_tokens")


def test_negative_count():
    page = json.loads(json.dumps(OPENAI))
    page["data"][0]["results"][1]["output_tokens"] = -5
    error = refused(read_json, page)
    assert error.field == "data[0].results[1].output_tokens"
    assert "cannot be negative" in str(error)


def test_negative_count_in_csv():
    text = f"{CSV_HEADER}\n2026-10-01,10,10,1,0\n2026-10-02,-3,10,1,0\n"
    error = refused(read_text, text)
    assert (error.line, error.field) == (3, "requests")


def test_cached_more_than_input():
    text = f"{CSV_HEADER}\n2026-10-01,10,10,1,11\n2026-10-02,1,1,1,0\n"
    error = refused(read_text, text)
    assert error.field == "cached_input_tokens"


class Whitespace(io.RawIOBase):
    """A gigabyte of spaces and newlines, produced as it is read (never stored)."""

    def __init__(self, size: int = 1024**3) -> None:
        self.left = size
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.left)
        buffer[:count] = (b" " * 63 + b"\n") * (count // 64) + b" " * (count % 64)
        self.left -= count
        self.served += count
        return count


def test_a_gigabyte_of_whitespace_is_refused_quickly():
    stream = Whitespace()
    started = time.perf_counter()
    error = refused(read_usage, io.BufferedReader(stream))
    assert "blank" in str(error)
    assert time.perf_counter() - started < 2
    assert stream.served < 8 * 1024**2  # stopped within the first MiBs


def test_whitespace_between_records_is_bounded():
    text = LITELLM_LINES[0] + "\n" + "\n" * (2 * 1024 * 1024) + LITELLM_LINES[1] + "\n"
    error = refused(read_text, text)
    assert "blank lines" in str(error)


def test_mixed_formats_are_refused():
    anthropic = {"data": [{"starting_at": "2026-10-01T00:00:00Z", "ending_at": "x", "results": []}]}
    mixed = json.dumps(OPENAI) + "\n" + json.dumps(anthropic) + "\n"
    error = refused(read_text, mixed)
    assert "one format per file" in str(error)
    assert error.line == 2


def test_litellm_rows_after_an_openai_page():
    error = refused(read_text, json.dumps(OPENAI) + "\n" + LITELLM_LINES[0] + "\n")
    assert "one format per file" in str(error)


def test_explicit_format_that_does_not_fit():
    error = refused(read_json, OPENAI, format="anthropic")
    assert "does not look like an Anthropic" in str(error)
    error = refused(read_text, (DATA / "usage.csv").read_text(), format="openai")
    assert "expected JSON" in str(error)


def test_unknown_json_says_what_it_expected():
    error = refused(read_json, {"hello": "world"})
    assert "startTime" in str(error) and "hello" in str(error)


def test_unknown_csv_header():
    error = refused(read_text, "day,count\n2026-10-01,3\n")
    assert error.line == 1
    assert "missing columns" in str(error) and "unknown columns day, count" in str(error)


def test_bad_time():
    lines = list(LITELLM_LINES)
    row = json.loads(lines[0])
    row["startTime"] = "yesterday"
    error = refused(read_text, json.dumps(row) + "\n")
    assert (error.line, error.field) == (1, "startTime")


def test_milliseconds_are_not_taken_for_seconds():
    page = json.loads(json.dumps(OPENAI))
    page["data"][0]["start_time"] *= 1000
    error = refused(read_json, page)
    assert error.field == "data[0].start_time"


def test_empty_and_not_utf8():
    assert "empty" in str(refused(read_bytes, b""))
    assert "UTF-8" in str(refused(read_bytes, b"start,requests\n\xff\xfe,1\n"))


def test_no_records():
    assert "no usage records" in str(refused(read_json, {"object": "page", "data": []}))


def test_file_larger_than_the_limit():
    data = (DATA / "litellm_spend_logs.jsonl").read_bytes() * 20
    error = refused(read_bytes, data, limits=Limits(max_bytes=4096))
    assert "larger than" in str(error)


def test_unclosed_array():
    rows = "[" + ",".join(LITELLM_LINES)
    assert "not closed" in str(refused(read_text, rows))


def test_array_of_rows_is_read():
    rows = "[\n" + ",\n".join(LITELLM_LINES) + "\n]\n"
    assert read_text(rows).monthly_queries == 1440


def test_single_csv_row_is_not_enough():
    text = f"{CSV_HEADER}\n2026-10-01,10,10,1,0\n"
    assert "at least two rows" in str(refused(read_text, text))


def test_every_example_file_reads(example):
    for path in Path(DATA).iterdir():
        assert example(path.name).answers()["has_production_data"] is True


def test_explicit_format_matches_auto(example):
    assert example("usage.csv", format="csv").answers() == example("usage.csv").answers()
    assert (
        example("openai_completions.json", format="openai").answers()
        == example("openai_completions.json").answers()
    )
