"""Records summed as they arrive: hourly cells, totals, batch shares, models."""

from __future__ import annotations

from advisor.usage.accumulate import DAY, HOUR, MAX_MODELS_LISTED, Accumulator

START = 1_790_812_800  # 2026-10-01T00:00:00Z


def bucket(acc: Accumulator, start: int, end: int, **figures: object) -> None:
    values: dict[str, object] = {
        "requests": 10,
        "input_tokens": 1_000,
        "cached_input_tokens": 200,
        "output_tokens": 300,
        "batch": False,
        "model": "gpt-4.1",
    }
    values.update(figures)
    acc.add_bucket(start=start, end=end, **values)  # type: ignore[arg-type]


def test_hourly_buckets_land_in_their_hour_and_sum_into_the_totals() -> None:
    acc = Accumulator(has_request_counts=True)
    bucket(acc, START + 60, START + 120)
    bucket(acc, START + 600, START + 660, requests=5)
    assert list(acc.cells) == [START]
    assert (acc.cells[START].requests, acc.cells[START].tokens) == (15, 2_600)
    assert (acc.requests, acc.input_tokens, acc.cached_input_tokens, acc.records) == (
        15,
        2_000,
        400,
        2,
    )
    assert (acc.first_start, acc.last_end) == (START + 60, START + 660)


def test_a_daily_bucket_keeps_its_own_width() -> None:
    acc = Accumulator(has_request_counts=True)
    bucket(acc, START, START + DAY)
    assert acc.cells[START].width == DAY


def test_batch_shares_count_only_what_says_whether_it_was_batch() -> None:
    acc = Accumulator(has_request_counts=True)
    bucket(acc, START, START + HOUR, batch=True, requests=4)
    bucket(acc, START, START + HOUR, batch=False, requests=6)
    bucket(acc, START, START + HOUR, batch=None, requests=90)
    assert (acc.batch_requests, acc.batch_known_requests, acc.batch_unknown_records) == (4, 10, 1)


def test_an_empty_bucket_is_present_not_a_gap() -> None:
    acc = Accumulator(has_request_counts=True)
    acc.mark_bucket(start=START, end=START + HOUR)
    assert acc.cells[START].requests == 0
    assert acc.spans == {(START, START + HOUR)}
    assert acc.records == 0


def test_a_request_counts_one_in_its_hour_with_batch_unknown() -> None:
    acc = Accumulator(has_request_counts=True, per_request=True)
    acc.add_request(
        at=START + 1_234,
        input_tokens=50,
        cached_input_tokens=None,
        output_tokens=5,
        model="claude",
    )
    assert acc.cells[START].requests == 1
    assert (acc.records_with_cached, acc.batch_unknown_records) == (0, 1)
    assert acc.models == {"claude"}


def test_models_listed_are_bounded_and_clipped() -> None:
    acc = Accumulator(has_request_counts=True)
    for index in range(MAX_MODELS_LISTED + 10):
        bucket(acc, START, START + HOUR, model=f"{index}-" + "m" * 200)
    assert len(acc.models) == MAX_MODELS_LISTED
    assert max(len(model) for model in acc.models) == 100
