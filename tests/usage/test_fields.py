"""A record's fields: counts, times, objects and lists, each refused with its line and name."""

from __future__ import annotations

import pytest

from advisor.usage.errors import UsageFileError
from advisor.usage.fields import (
    MAX_COUNT,
    count,
    epoch_seconds,
    items,
    mapping,
    optional_flag,
    optional_text,
    to_count,
)


def test_a_count_reads_numbers_and_digits_alike() -> None:
    assert count({"n": 12}, "n", line=1) == 12
    assert count({"n": " 12 "}, "n", line=1) == 12
    assert count({"n": 12.0}, "n", line=1) == 12


def test_a_missing_count_is_named_with_its_path_or_none_when_optional() -> None:
    with pytest.raises(UsageFileError) as error:
        count({}, "input_tokens", line=4, path="results[0].")
    assert str(error.value) == "line 4, field 'results[0].input_tokens': this field is missing"
    assert count({"n": ""}, "n", line=1, required=False) is None


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (True, "expected a count"),
        (-3, "cannot be negative"),
        (1.5, "expected a whole number"),
        (MAX_COUNT + 1, "not a plausible count"),
        ("9" * 5000, "5,000 digits"),
    ],
)
def test_a_count_that_is_no_count_is_refused(value: object, says: str) -> None:
    with pytest.raises(UsageFileError, match=says):
        to_count(value, line=2, field="n")


def test_times_read_as_epoch_seconds_or_iso_text_in_utc() -> None:
    assert epoch_seconds(1_790_000_000, line=1, field="t") == 1_790_000_000
    assert epoch_seconds("2026-10-01T00:00:00Z", line=1, field="t") == 1_790_812_800
    assert epoch_seconds("2026-10-01T00:00:00", line=1, field="t") == 1_790_812_800


@pytest.mark.parametrize("value", [1_790_000_000_000, float("inf"), "yesterday", None, False])
def test_a_time_outside_2000_to_2100_or_not_a_time_is_refused(value: object) -> None:
    with pytest.raises(UsageFileError, match="time"):
        epoch_seconds(value, line=3, field="start_time")


def test_objects_and_lists_say_what_they_found_instead() -> None:
    with pytest.raises(UsageFileError, match="expected an object, found a list"):
        mapping([], line=1, field="page")
    with pytest.raises(UsageFileError, match="expected a list, found nothing"):
        items({}, "data", line=1)
    with pytest.raises(UsageFileError, match="expected a list, found text"):
        items({"data": "x"}, "data", line=1)


def test_optional_flags_and_texts() -> None:
    assert optional_flag({"batch": True}, "batch", line=1) is True
    assert optional_flag({}, "batch", line=1) is None
    with pytest.raises(UsageFileError, match="expected true, false or null"):
        optional_flag({"batch": "yes"}, "batch", line=1)
    assert optional_text({"model": ""}, "model") is None
    assert optional_text({"model": "gpt-4.1"}, "model") == "gpt-4.1"
