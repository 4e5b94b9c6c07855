"""The workload a usage export implies, and how each figure was derived.

Definitions (the same for every format; each figure's ``provenance`` text
says which fields it came from):

- **Monthly figures** are normalised to a 30-day month: a count over the
  time the data covers, divided by those days, times 30. ``monthly_queries``
  uses the most recent 30 days of data (all of it when the period is
  shorter), so growth already seen is not averaged away; missing buckets
  (gaps) are left out of the days divided by.
- **Averages** (input and output tokens per query) and **shares** (cached
  input, batch) are over the whole period.
- **Monthly growth** is a least-squares fit of log(daily volume) against
  time (log-linear, i.e. constant-rate growth), read as the change over 30
  days. It is only given with at least :data:`MIN_GROWTH_DAYS` days of data:
  a shorter period says more about the week than about the trend. Fitted
  from under :data:`GROWTH_RANGE_BELOW_MONTHS` months, it carries a range:
  the slope +/- :data:`GROWTH_RANGE_STANDARD_ERRORS` standard errors of
  the fit, which the decision draws like any other range.
- **Load pattern** needs hourly data covering at least
  :data:`MIN_LOAD_PATTERN_HOURS` hours. Two measures:
  *peak-to-average*, the busiest hour's volume over the mean hour's; and
  *weekday-daytime share*, the share of volume on Monday to Friday (UTC)
  within the busiest 10 consecutive hours of the day (found from the data,
  so no time zone has to be guessed; an even load gives 5/7 x 10/24, about
  30 %). Classification:
  ``business_hours`` when the weekday-daytime share is at least
  :data:`BUSINESS_HOURS_MIN_SHARE_PCT` % (twice an even load's);
  otherwise ``steady`` when the peak hour is at most
  :data:`STEADY_MAX_PEAK_TO_AVERAGE` times the average hour; otherwise
  ``spiky``. The 2.5 sits between the catalog's peak factors for a steady
  load (1.5) and a business-hours one (3): a load whose peak is further from
  its average than that is not served well by a fleet sized for steady load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MONTH_DAYS = 30
MIN_GROWTH_DAYS = 60
# A growth rate fitted from less than this many months of data carries the fit's range
# (decision model v3: drawn like any other range).
GROWTH_RANGE_BELOW_MONTHS = 6
# The range is the fitted slope +/- this many standard errors (about a 95 % interval
# for independent days; daily volumes are not independent, so it is if anything narrow).
GROWTH_RANGE_STANDARD_ERRORS = 2.0
MIN_LOAD_PATTERN_HOURS = 7 * 24
BUSINESS_HOURS_MIN_SHARE_PCT = 60.0
STEADY_MAX_PEAK_TO_AVERAGE = 2.5
DAYTIME_HOURS = 10
SHORT_PERIOD_DAYS = 7

# The design's ranges (question-key contract): a measured value outside is clamped, and said.
GROWTH_RANGE_PCT = (-50.0, 100.0)
AVG_INPUT_RANGE = (1, 2_000_000)
AVG_OUTPUT_RANGE = (1, 200_000)

ANSWER_KEYS = (
    "monthly_queries",
    "avg_input_tokens",
    "avg_output_tokens",
    "cached_input_share_pct",
    "batch_share_pct",
    "monthly_growth_pct",
    "load_pattern",
)


@dataclass(frozen=True)
class Gap:
    """A stretch inside the period with no data (missing buckets, or days without requests)."""

    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    def describe(self) -> str:
        return f"{_when(self.start)} to {_when(self.end)} ({self.hours:,.0f} hours)"


@dataclass(frozen=True)
class LoadShape:
    """The measured load: the figures the pattern was classified from."""

    peak_to_average: float
    weekday_daytime_share_pct: float
    daytime_start_hour_utc: int
    hours: int


@dataclass(frozen=True)
class UsageWorkload:
    """What a usage export says about the workload; a figure it cannot support is None.

    ``provenance`` holds, for every figure given, a sentence on where it came
    from; ``missing`` holds, for every answer left out, why.
    """

    source_format: str
    source_label: str
    period_start: datetime
    period_end: datetime
    covered_days: float
    monthly_queries: int | None = None
    avg_input_tokens: int | None = None
    avg_output_tokens: int | None = None
    cached_input_share_pct: float | None = None
    batch_share_pct: float | None = None
    monthly_growth_pct: float | None = None
    growth_months: float | None = None
    # The fit's range (% a month), when fitted from under GROWTH_RANGE_BELOW_MONTHS months.
    monthly_growth_pct_low: float | None = None
    monthly_growth_pct_high: float | None = None
    load_pattern: str | None = None
    load_shape: LoadShape | None = None
    gaps: tuple[Gap, ...] = ()
    provenance: Mapping[str, str] = field(default_factory=dict)
    missing: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    totals: Mapping[str, int] = field(default_factory=dict)
    models: tuple[str, ...] = ()

    @property
    def period_days(self) -> float:
        return (self.period_end - self.period_start).total_seconds() / 86400

    def answers(self) -> dict[str, Any]:
        """Answers under the design's question keys: only the figures the file supports."""
        answers: dict[str, Any] = {
            key: getattr(self, key) for key in ANSWER_KEYS if getattr(self, key) is not None
        }
        answers["has_production_data"] = True
        return answers

    def period_text(self) -> str:
        return (
            f"{_when(self.period_start)} to {_when(self.period_end)} ({self.period_days:,.1f} days)"
        )

    def summary_lines(self) -> list[str]:
        """How every figure was derived, for the command's stderr and the web panel."""
        lines = [f"Read {self.source_label}, {self.period_text()}."]
        if self.gaps:
            gaps = "; ".join(gap.describe() for gap in self.gaps[:5])
            more = f" and {len(self.gaps) - 5} more" if len(self.gaps) > 5 else ""
            lines.append(f"Gaps with no data: {gaps}{more}.")
        for key in ANSWER_KEYS:
            if key in self.provenance:
                lines.append(f"{key} = {getattr(self, key)}: {self.provenance[key]}")
        for key, reason in self.missing.items():
            lines.append(f"{key} left out: {reason}")
        lines.extend(self.notes)
        return lines


def _when(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    if moment.hour == moment.minute == 0:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def clamp(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def round_pct(value: float) -> float:
    rounded = round(value, 1)
    return 0.0 if rounded == 0 else rounded
