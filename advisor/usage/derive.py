"""From running totals to the workload figures (definitions: ``workload.py``)."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TypedDict

import numpy as np

from advisor.usage.accumulate import DAY, HOUR, Accumulator, Cell
from advisor.usage.errors import UsageFileError
from advisor.usage.workload import (
    AVG_INPUT_RANGE,
    AVG_OUTPUT_RANGE,
    BUSINESS_HOURS_MIN_SHARE_PCT,
    DAYTIME_HOURS,
    GROWTH_RANGE_BELOW_MONTHS,
    GROWTH_RANGE_PCT,
    GROWTH_RANGE_STANDARD_ERRORS,
    MIN_GROWTH_DAYS,
    MIN_LOAD_PATTERN_HOURS,
    MONTH_DAYS,
    SHORT_PERIOD_DAYS,
    STEADY_MAX_PEAK_TO_AVERAGE,
    Gap,
    LoadShape,
    UsageWorkload,
    clamp,
    from_epoch,
    round_pct,
)

# Per-request logs: no requests for this long is reported as a gap (longer than a weekend).
REQUEST_LOG_GAP_HOURS = 72


@dataclass(frozen=True)
class Vocabulary:
    """How a format names the fields each figure comes from (for the provenance text)."""

    label: str
    requests: str
    input_tokens: str
    cached_input_tokens: str
    output_tokens: str
    batch: str
    no_requests_reason: str = ""
    no_cached_reason: str = ""
    no_batch_reason: str = ""


class _Figures(TypedDict, total=False):
    """The figures an export measured, by UsageWorkload field (the others stay None)."""

    monthly_queries: int
    avg_input_tokens: int
    avg_output_tokens: int
    cached_input_share_pct: float
    batch_share_pct: float
    monthly_growth_pct: float
    growth_months: float
    monthly_growth_pct_low: float
    monthly_growth_pct_high: float
    load_pattern: str


def derive(acc: Accumulator, *, source_format: str, words: Vocabulary) -> UsageWorkload:
    if acc.first_start is None or acc.last_end is None or not acc.cells:
        raise UsageFileError("the file holds no usage records")
    cells = _complete_cells(acc)
    gaps = _gaps(acc)
    covered_seconds = sum(cell.width for cell in cells.values())
    figures: _Figures = {}
    provenance: dict[str, str] = {}
    missing: dict[str, str] = {}
    notes: list[str] = list(acc.notes)
    covered_days = covered_seconds / DAY
    if covered_days < SHORT_PERIOD_DAYS:
        notes.append(
            f"The data covers only {covered_days:,.1f} days: the monthly figures are "
            "extrapolated from it; a month or more of data gives firmer figures."
        )

    if acc.has_request_counts and acc.requests > 0:
        _volume(acc, cells, words, figures, provenance)
    else:
        reason = words.no_requests_reason or "the file has no request counts."
        for key in ("monthly_queries", "avg_input_tokens", "avg_output_tokens"):
            missing[key] = reason
        notes.append(
            f"Monthly tokens ({MONTH_DAYS}-day month): "
            f"{_per_month(acc.input_tokens, covered_seconds):,} input and "
            f"{_per_month(acc.output_tokens, covered_seconds):,} output; divide by your "
            "monthly queries for the averages per query."
        )

    if acc.records_with_cached and acc.input_tokens > 0:
        figures["cached_input_share_pct"] = round_pct(
            100 * acc.cached_input_tokens / acc.input_tokens
        )
        provenance["cached_input_share_pct"] = (
            f"{words.cached_input_tokens} over {words.input_tokens}, whole period "
            f"({acc.cached_input_tokens:,} of {acc.input_tokens:,} input tokens)."
        )
        if acc.records_with_cached < acc.records:
            notes.append(
                f"{acc.records - acc.records_with_cached:,} of {acc.records:,} records "
                "carried no cached-token count and were counted as uncached."
            )
    else:
        missing["cached_input_share_pct"] = words.no_cached_reason or (
            "the file has no cached-token counts."
        )

    _batch_share(acc, words, figures, provenance, missing)
    _growth(acc, cells, words, figures, provenance, missing)
    load_shape = _load_pattern(acc, cells, gaps, words, figures, provenance, missing)

    return UsageWorkload(
        source_format=source_format,
        source_label=words.label,
        period_start=from_epoch(acc.first_start),
        period_end=from_epoch(acc.last_end),
        covered_days=round(covered_days, 2),
        gaps=tuple(gaps),
        load_shape=load_shape,
        provenance=provenance,
        missing=missing,
        notes=tuple(notes),
        totals={
            "requests": acc.requests,
            "input_tokens": acc.input_tokens,
            "cached_input_tokens": acc.cached_input_tokens,
            "output_tokens": acc.output_tokens,
        },
        models=tuple(sorted(acc.models)),
        **figures,
    )


# --- volume and averages -----------------------------------------------------------


def _per_month(count: int, seconds: int) -> int:
    return round(count / seconds * MONTH_DAYS * DAY) if seconds else 0


def _volume(
    acc: Accumulator,
    cells: dict[int, Cell],
    words: Vocabulary,
    figures: _Figures,
    provenance: dict[str, str],
) -> None:
    assert acc.last_end is not None
    window_start = acc.last_end - MONTH_DAYS * DAY
    recent = [cell for start, cell in cells.items() if start >= window_start]
    recent_seconds = sum(cell.width for cell in recent)
    recent_requests = sum(cell.requests for cell in recent)
    figures["monthly_queries"] = _per_month(recent_requests, recent_seconds)
    provenance["monthly_queries"] = (
        f"sum of {words.requests} over the last {recent_seconds / DAY:,.1f} days of data "
        f"({recent_requests:,}), per {MONTH_DAYS}-day month."
    )
    average_input = acc.input_tokens / acc.requests
    average_output = acc.output_tokens / acc.requests
    figures["avg_input_tokens"] = int(clamp(round(average_input), AVG_INPUT_RANGE))
    figures["avg_output_tokens"] = int(clamp(round(average_output), AVG_OUTPUT_RANGE))
    provenance["avg_input_tokens"] = (
        f"{words.input_tokens} over {words.requests}, whole period "
        f"({acc.input_tokens:,} / {acc.requests:,}); cached input tokens included."
    )
    provenance["avg_output_tokens"] = (
        f"{words.output_tokens} over {words.requests}, whole period "
        f"({acc.output_tokens:,} / {acc.requests:,})."
    )


def _batch_share(
    acc: Accumulator,
    words: Vocabulary,
    figures: _Figures,
    provenance: dict[str, str],
    missing: dict[str, str],
) -> None:
    by_requests = acc.has_request_counts and acc.batch_known_requests > 0
    if by_requests:
        figures["batch_share_pct"] = round_pct(100 * acc.batch_requests / acc.batch_known_requests)
        provenance["batch_share_pct"] = (
            f"requests with {words.batch} over all requests "
            f"({acc.batch_requests:,} of {acc.batch_known_requests:,})."
        )
    elif acc.batch_known_tokens > 0:
        figures["batch_share_pct"] = round_pct(100 * acc.batch_tokens / acc.batch_known_tokens)
        provenance["batch_share_pct"] = (
            f"tokens with {words.batch} over all tokens ({acc.batch_tokens:,} of "
            f"{acc.batch_known_tokens:,}): a share of tokens, as the file counts no requests."
        )
    else:
        missing["batch_share_pct"] = (
            words.no_batch_reason or "the file does not say which usage was batch."
        )
        return
    if acc.batch_unknown_records:
        provenance["batch_share_pct"] += (
            f" {acc.batch_unknown_records:,} records without a batch flag are left out of it."
        )


# --- growth -------------------------------------------------------------------


def _daily(cells: dict[int, Cell]) -> list[tuple[float, float]]:
    """(day midpoint in days, volume per day) for each day (or coarser bucket) with data."""
    days: dict[int, list[float]] = {}
    for start, cell in cells.items():
        key = start - start % DAY if cell.width <= DAY else start
        entry = days.setdefault(key, [0.0, 0.0])
        entry[0] += cell.requests or cell.tokens
        entry[1] += cell.width
    points = []
    for start, (volume, seconds) in sorted(days.items()):
        if volume > 0 and seconds > 0:
            points.append(((start + seconds / 2) / DAY, volume / seconds * DAY))
    return points


def _growth(
    acc: Accumulator,
    cells: dict[int, Cell],
    words: Vocabulary,
    figures: _Figures,
    provenance: dict[str, str],
    missing: dict[str, str],
) -> None:
    assert acc.first_start is not None and acc.last_end is not None
    period_days = (acc.last_end - acc.first_start) / DAY
    if period_days < MIN_GROWTH_DAYS:
        missing["monthly_growth_pct"] = (
            f"the data covers {period_days:,.1f} days; a growth rate needs at least "
            f"{MIN_GROWTH_DAYS} (about two months)."
        )
        return
    points = _daily(cells)
    if len(points) < 3:
        missing["monthly_growth_pct"] = "fewer than three days with traffic to fit a trend to."
        return
    days = np.array([point[0] for point in points])
    volumes = np.log(np.array([point[1] for point in points]))
    slope, error = _fitted_slope(days - days[0], volumes)
    growth = _monthly_pct(slope)
    clamped = clamp(growth, GROWTH_RANGE_PCT)
    months = round(period_days / MONTH_DAYS, 1)
    figures["monthly_growth_pct"] = round_pct(clamped)
    figures["growth_months"] = months
    measure = words.requests if acc.has_request_counts else "input plus output tokens"
    provenance["monthly_growth_pct"] = (
        f"log-linear least-squares fit of daily {measure} over {len(points)} days "
        f"({months:,} months), as the change per {MONTH_DAYS} days."
    )
    if period_days < GROWTH_RANGE_BELOW_MONTHS * MONTH_DAYS:
        spread = GROWTH_RANGE_STANDARD_ERRORS * error
        low = round_pct(clamp(_monthly_pct(slope - spread), GROWTH_RANGE_PCT))
        high = round_pct(clamp(_monthly_pct(slope + spread), GROWTH_RANGE_PCT))
        figures["monthly_growth_pct_low"] = min(low, figures["monthly_growth_pct"])
        figures["monthly_growth_pct_high"] = max(high, figures["monthly_growth_pct"])
        provenance["monthly_growth_pct"] += (
            f" From under {GROWTH_RANGE_BELOW_MONTHS} months of data the fit gives a range, "
            f"{figures['monthly_growth_pct_low']:g} % to {figures['monthly_growth_pct_high']:g} % "
            f"a month ({GROWTH_RANGE_STANDARD_ERRORS:g} standard errors), which the decision draws."
        )
    if clamped != growth:
        provenance["monthly_growth_pct"] += (
            f" The fit gave {growth:,.1f} %, outside the question's range: clamped."
        )


def _fitted_slope(days: np.ndarray, volumes: np.ndarray) -> tuple[float, float]:
    """Least-squares slope of ``volumes`` over ``days`` and its standard error (per day)."""
    slope, intercept = np.polyfit(days, volumes, 1)
    residuals = volumes - (slope * days + intercept)
    spread = float(((days - days.mean()) ** 2).sum())
    freedom = len(days) - 2
    if freedom <= 0 or spread <= 0:
        return float(slope), 0.0
    variance = float((residuals**2).sum()) / freedom / spread
    return float(slope), math.sqrt(variance)


def _monthly_pct(slope_per_day: float) -> float:
    return (math.exp(slope_per_day * MONTH_DAYS) - 1) * 100


# --- load pattern -----------------------------------------------------------------


def _load_pattern(
    acc: Accumulator,
    cells: dict[int, Cell],
    gaps: list[Gap],
    words: Vocabulary,
    figures: _Figures,
    provenance: dict[str, str],
    missing: dict[str, str],
) -> LoadShape | None:
    hourly = {start: cell for start, cell in cells.items() if cell.width == HOUR}
    if len(hourly) != len(cells):
        missing["load_pattern"] = (
            "the file's buckets are longer than an hour, so the peak hour cannot be measured: "
            "export hourly buckets (bucket_width=1h) to have it measured."
        )
        return None
    if len(hourly) < MIN_LOAD_PATTERN_HOURS:
        missing["load_pattern"] = (
            f"hourly data for {len(hourly):,} hours; classifying the load pattern needs at "
            f"least {MIN_LOAD_PATTERN_HOURS} (a whole week)."
        )
        return None
    starts = np.array(sorted(hourly), dtype=np.int64)
    volume = np.array(
        [
            hourly[start].requests if acc.has_request_counts else hourly[start].tokens
            for start in starts
        ],
        dtype=np.float64,
    )
    total = float(volume.sum())
    if total <= 0:
        missing["load_pattern"] = "no traffic in the hourly data."
        return None
    peak_to_average = float(volume.max() / volume.mean())
    hour_of_day = (starts // HOUR) % 24
    by_hour = np.bincount(hour_of_day, weights=volume, minlength=24)
    window_sums = [
        sum(by_hour[(first + offset) % 24] for offset in range(DAYTIME_HOURS))
        for first in range(24)
    ]
    daytime_start = int(np.argmax(window_sums))
    in_window = ((hour_of_day - daytime_start) % 24) < DAYTIME_HOURS
    weekday = ((starts // DAY) + 3) % 7 < 5  # 1970-01-01 was a Thursday: Monday is 0
    share = float(volume[in_window & weekday].sum() / total * 100)
    if share >= BUSINESS_HOURS_MIN_SHARE_PCT:
        pattern = "business_hours"
        why = f"the weekday-daytime share is at least {BUSINESS_HOURS_MIN_SHARE_PCT:g} %"
    elif peak_to_average <= STEADY_MAX_PEAK_TO_AVERAGE:
        pattern = "steady"
        why = f"the peak hour is within {STEADY_MAX_PEAK_TO_AVERAGE:g}x the average hour"
    else:
        pattern = "spiky"
        why = (
            f"the peak hour is more than {STEADY_MAX_PEAK_TO_AVERAGE:g}x the average hour "
            "and the traffic does not follow working hours"
        )
    measure = words.requests if acc.has_request_counts else "input plus output tokens"
    figures["load_pattern"] = pattern
    provenance["load_pattern"] = (
        f"from {len(hourly):,} hourly totals of {measure}: peak hour {peak_to_average:,.1f}x "
        f"the average hour; {share:,.0f} % of the volume on weekdays between "
        f"{daytime_start:02d}:00 and {(daytime_start + DAYTIME_HOURS) % 24:02d}:00 UTC "
        f"(the busiest {DAYTIME_HOURS} hours of the day); {pattern} because {why}."
    )
    return LoadShape(
        peak_to_average=round(peak_to_average, 2),
        weekday_daytime_share_pct=round(share, 1),
        daytime_start_hour_utc=daytime_start,
        hours=len(hourly),
    )


# --- period coverage ----------------------------------------------------------------


def _complete_cells(acc: Accumulator) -> dict[int, Cell]:
    """The cells, with the empty hours of a request log filled in (no request is data too)."""
    if not acc.per_request:
        return acc.cells
    assert acc.first_start is not None and acc.last_end is not None
    cells = dict(acc.cells)
    for hour in range(acc.first_start, acc.last_end, HOUR):
        cells.setdefault(hour, Cell(HOUR))
    return cells


def _gaps(acc: Accumulator) -> list[Gap]:
    if acc.per_request:
        return _request_log_gaps(acc)
    spans = sorted(acc.spans)
    widths = sorted(end - start for start, end in spans)
    typical = widths[len(widths) // 2]
    gaps = []
    reached = spans[0][1]
    for start, end in spans[1:]:
        # Half a bucket of slack: calendar months in a CSV are 28 to 31 days long.
        if start - reached > typical / 2:
            gaps.append(Gap(from_epoch(reached), from_epoch(start)))
        reached = max(reached, end)
    return gaps


def _request_log_gaps(acc: Accumulator) -> list[Gap]:
    busy = sorted(start for start, cell in acc.cells.items() if cell.requests)
    gaps = []
    for before, after in itertools.pairwise(busy):
        if after - before > REQUEST_LOG_GAP_HOURS * HOUR:
            gaps.append(Gap(from_epoch(before + HOUR), from_epoch(after)))
    return gaps
