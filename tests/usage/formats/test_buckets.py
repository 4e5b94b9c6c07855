"""Paged, bucketed reports: each bucket's times checked, its results handed to the format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from advisor.usage.accumulate import Accumulator
from advisor.usage.errors import UsageFileError
from advisor.usage.formats.buckets import BucketedReport

START = 1_790_812_800  # 2026-10-01T00:00:00Z


def seen_results() -> tuple[BucketedReport, list[tuple[str, int, int]]]:
    seen: list[tuple[str, int, int]] = []

    def read_result(
        result: Mapping[str, Any], acc: Accumulator, *, start: int, end: int, line: int, path: str
    ) -> None:
        seen.append((path, start, end))

    report = BucketedReport(
        is_page=lambda value: isinstance(value, dict) and "data" in value,
        not_a_page="not a page: one format per file",
        start_key="from",
        end_key="to",
        read_result=read_result,
    )
    return report, seen


def test_each_result_is_read_with_its_bucket_times_and_its_path() -> None:
    report, seen = seen_results()
    page = {"data": [{"from": START, "to": START + 3600, "results": [{}, {}]}]}
    report.read([(1, page)], Accumulator(has_request_counts=True))
    assert seen == [
        ("data[0].results[0].", START, START + 3600),
        ("data[0].results[1].", START, START + 3600),
    ]


def test_a_bucket_without_results_is_present_and_empty() -> None:
    report, seen = seen_results()
    acc = Accumulator(has_request_counts=True)
    report.read([(1, {"data": [{"from": START, "to": START + 3600, "results": []}]})], acc)
    assert seen == []
    assert acc.spans == {(START, START + 3600)}


@pytest.mark.parametrize(
    ("page", "says"),
    [
        ({"rows": []}, "line 3: not a page"),
        ({"data": [{"from": START}]}, "line 3, field 'data[0].to': this field is missing"),
        ({"data": [{"from": START, "to": START, "results": []}]}, "to must be after from"),
        ({"data": [{"from": START, "to": START + 60}]}, "'data[0].results': expected a list"),
        ({"data": ["bucket"]}, "field 'data[0]': expected an object"),
    ],
)
def test_a_bad_page_or_bucket_is_refused_with_its_line_and_field(
    page: dict[str, Any], says: str
) -> None:
    report, _ = seen_results()
    with pytest.raises(UsageFileError) as error:
        report.read([(3, page)], Accumulator(has_request_counts=True))
    assert says in str(error.value)
