"""Usage reports paged into time buckets: OpenAI's Usage API and Anthropic's Admin API.

Both answer pages ``{"data": [bucket...], "has_more", "next_page"}`` whose
buckets hold a start, an end and ``results``; they differ in the names of the
two times, in how a page is recognised and in what one result carries. This
module reads the pages and the buckets; each format reads its own results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from advisor.usage.accumulate import Accumulator
from advisor.usage.errors import UsageFileError
from advisor.usage.fields import epoch_seconds, items, mapping


class ResultReader(Protocol):
    """Adds one result of the bucket ``start`` to ``end`` (Unix seconds) to ``acc``.

    ``path`` names the result in error messages and ends with a dot
    (``data[0].results[1].``).
    """

    def __call__(
        self,
        result: Mapping[str, Any],
        acc: Accumulator,
        *,
        start: int,
        end: int,
        line: int,
        path: str,
    ) -> None: ...


@dataclass(frozen=True)
class BucketedReport:
    """One format of paged, bucketed usage report."""

    is_page: Callable[[Any], bool]
    not_a_page: str  # the refusal of a value that is not a page of this format
    start_key: str
    end_key: str
    read_result: ResultReader

    def read(self, values: Iterable[tuple[int, Any]], acc: Accumulator) -> None:
        for line, page in values:
            if not self.is_page(page):
                raise UsageFileError(self.not_a_page, line=line)
            for index, bucket in enumerate(page["data"]):
                self._bucket(
                    mapping(bucket, line=line, field=f"data[{index}]"), acc, line, f"data[{index}]."
                )

    def _bucket(self, bucket: Mapping[str, Any], acc: Accumulator, line: int, path: str) -> None:
        start_key, end_key = self.start_key, self.end_key
        for key in (start_key, end_key):
            if key not in bucket:
                raise UsageFileError("this field is missing", line=line, field=f"{path}{key}")
        start = epoch_seconds(bucket[start_key], line=line, field=f"{path}{start_key}")
        end = epoch_seconds(bucket[end_key], line=line, field=f"{path}{end_key}")
        if end <= start:
            raise UsageFileError(
                f"{end_key} must be after {start_key}", line=line, field=f"{path}{end_key}"
            )
        results = items(bucket, "results", line=line, path=path)
        if not results:
            acc.mark_bucket(start=start, end=end)
        for index, raw in enumerate(results):
            where = f"{path}results[{index}]."
            result = mapping(raw, line=line, field=where.rstrip("."))
            self.read_result(result, acc, start=start, end=end, line=line, path=where)
