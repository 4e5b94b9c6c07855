"""The generic CSV, for any provider or gateway without a reader of its own.

Documented here (and in the README): a header line, then one row per period
(an hour, a day, a month), oldest first or in any order:

    start,requests,input_tokens,output_tokens,cached_input_tokens
    2026-10-01T00:00:00Z,1200,1800000,480000,600000

``start`` is the period's start, ISO 8601 (a date, or a date and time; no
offset means UTC). Periods are as long as the usual distance between two
starts, so at least two rows are needed; a missing period is a gap.
``input_tokens`` includes ``cached_input_tokens``. Hourly rows give the
load pattern. Batch use is not in this format.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from advisor.usage.accumulate import Accumulator
from advisor.usage.derive import Vocabulary
from advisor.usage.errors import UsageFileError
from advisor.usage.fields import epoch_seconds, to_count

COLUMNS = ("start", "requests", "input_tokens", "output_tokens", "cached_input_tokens")
MAX_ROWS = 200_000  # 22 years of hourly rows

WORDS = Vocabulary(
    label="a usage CSV (start, requests, input_tokens, output_tokens, cached_input_tokens)",
    requests="requests",
    input_tokens="input_tokens",
    cached_input_tokens="cached_input_tokens",
    output_tokens="output_tokens",
    batch="batch",
    no_batch_reason="the generic CSV has no batch column.",
)


def check_header(header: Sequence[str]) -> dict[str, int]:
    names = [name.strip() for name in header]
    unknown = [name for name in names if name not in COLUMNS]
    missing = [name for name in COLUMNS if name not in names]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        raise UsageFileError(f"{'; '.join(parts)}: the header must be {','.join(COLUMNS)}", line=1)
    return {name: names.index(name) for name in COLUMNS}


def read(
    rows: Iterable[tuple[int, Sequence[str]]], columns: dict[str, int], acc: Accumulator
) -> None:
    parsed: dict[int, tuple[int, int, int, int, int]] = {}
    for line, row in rows:
        if len(row) != len(columns):
            raise UsageFileError(f"expected {len(columns)} values, found {len(row)}", line=line)
        start = epoch_seconds(row[columns["start"]], line=line, field="start")
        if start in parsed:
            raise UsageFileError(
                f"a second row for the period starting {row[columns['start']]}",
                line=line,
                field="start",
            )
        values = [to_count(row[columns[name]], line=line, field=name) for name in COLUMNS[1:]]
        requests, input_tokens, output_tokens, cached = values
        if cached > input_tokens:
            raise UsageFileError(
                f"{cached:,} cached tokens is more than the {input_tokens:,} input tokens "
                "that include them",
                line=line,
                field="cached_input_tokens",
            )
        parsed[start] = (line, requests, input_tokens, output_tokens, cached)
        if len(parsed) > MAX_ROWS:
            raise UsageFileError(f"more than {MAX_ROWS:,} rows: use daily rows", line=line)
    if len(parsed) < 2:
        raise UsageFileError(
            "at least two rows are needed: a period's length is the distance between two starts"
        )
    starts = sorted(parsed)
    steps = sorted(later - earlier for earlier, later in itertools.pairwise(starts))
    width = steps[(len(steps) - 1) // 2]  # the lower median: one missing row is a gap, not the norm
    for start in starts:
        _line, requests, input_tokens, output_tokens, cached = parsed[start]
        acc.add_bucket(
            start=start,
            end=start + width,
            requests=requests,
            input_tokens=input_tokens,
            cached_input_tokens=cached,
            output_tokens=output_tokens,
            batch=None,
            model=None,
        )
