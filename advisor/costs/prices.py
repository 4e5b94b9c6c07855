"""The catalog's figures as the cost model reads them: API prices, GPUs, serving profiles.

Pure: frozen dataclasses, no Django. ``advisor/costs/selectors.py`` builds
them from the catalog rows; :mod:`advisor.costs.assumptions` gathers them
with the scalar assumptions.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

# A parameter of the arithmetic: one value, or one per scenario (shape (rows, 1)).
Num = Any


@dataclass(frozen=True)
class Source:
    """Where a figure comes from (a public title, or a package and version), and when.

    ``as_of`` is the date the figure was true on (None: entered by hand);
    ``url`` the public page. ``judgement`` marks the advisor's own figure,
    whose ``text`` then gives the one-sentence reason.
    """

    text: str
    as_of: date | None = None
    url: str = ""
    judgement: bool = False


@dataclass(frozen=True)
class ScheduledPrice:
    """A price change the source announces: from ``starts_on`` the prices below apply.

    The same fields as :class:`ApiModelPrice`, USD per token (an introductory
    price that ends on a date is a change back to the list price).
    """

    starts_on: date
    usd_per_input_token: float
    usd_per_output_token: float
    usd_per_cached_input_token: float | None = None
    usd_per_batch_input_token: float | None = None
    usd_per_batch_output_token: float | None = None


@dataclass(frozen=True)
class ApiModelPrice:
    """A model called per token (``key`` is the LiteLLM model name), USD per token.

    Cache-read and batch prices are None where the price source lists none:
    a missing cache price means no discount (the input price), a missing
    batch price half the standard one (the rate OpenAI's and Anthropic's
    batch APIs charge); :attr:`fallbacks` names the ones in use.
    """

    key: str
    name: str
    provider: str
    tier: str
    usd_per_input_token: float
    usd_per_output_token: float
    source: Source
    usd_per_cached_input_token: float | None = None
    usd_per_batch_input_token: float | None = None
    usd_per_batch_output_token: float | None = None
    open_weights: bool = False
    # Announced changes, in date order; the prices above apply before the first.
    scheduled: tuple[ScheduledPrice, ...] = ()
    # The model's score on the catalog's leaderboard, in words ("not rated" where it has none).
    quality: str = ""

    @property
    def cached_input(self) -> float:
        cached = self.usd_per_cached_input_token
        return self.usd_per_input_token if cached is None else cached

    @property
    def batch_input(self) -> float:
        batch = self.usd_per_batch_input_token
        return self.usd_per_input_token / 2 if batch is None else batch

    @property
    def batch_output(self) -> float:
        batch = self.usd_per_batch_output_token
        return self.usd_per_output_token / 2 if batch is None else batch

    @property
    def fallbacks(self) -> tuple[str, ...]:
        notes = []
        if self.usd_per_cached_input_token is None:
            notes.append("no cache price listed: cached input at the input price")
        if self.usd_per_batch_input_token is None or self.usd_per_batch_output_token is None:
            notes.append("no batch price listed: batch at half the standard price")
        return tuple(notes)

    def per_query(self, input_tokens: Num, output_tokens: Num, cached: Num, batch: Num) -> Num:
        """USD per query, cached input and batch shares as fractions; numbers or arrays."""
        fresh_in = input_tokens * (1 - cached)
        cached_in = input_tokens * cached
        out = output_tokens
        standard = (
            fresh_in * self.usd_per_input_token
            + cached_in * self.cached_input
            + out * self.usd_per_output_token
        )
        batched = (
            fresh_in * self.batch_input
            + cached_in * min(self.cached_input, self.batch_input)
            + out * self.batch_output
        )
        return (1 - batch) * standard + batch * batched

    def per_query_by_month(
        self,
        input_tokens: Num,
        output_tokens: Num,
        cached: Num,
        batch: Num,
        *,
        months: int,
        start: date,
    ) -> Num:
        """:meth:`per_query` at the price in force in each month (month 1 begins on ``start``).

        A scheduled change applies from the month in which it starts, for
        the whole of that month. Without changes, the one price (no month axis).
        """
        if not self.scheduled:
            return self.per_query(input_tokens, output_tokens, cached, batch)
        month_ends = _month_ends(start, months)
        in_force = np.zeros(months, dtype=np.int64)  # 0: the base price, k: scheduled[k - 1]
        for k, change in enumerate(self.scheduled, start=1):
            in_force[[change.starts_on < end for end in month_ends]] = k
        total: Num = 0.0
        for k in sorted(set(in_force.tolist())):
            prices = self if k == 0 else self._with(self.scheduled[k - 1])
            mask = (in_force == k).astype(float)
            total = total + mask * prices.per_query(input_tokens, output_tokens, cached, batch)
        return total

    def _with(self, change: ScheduledPrice) -> ApiModelPrice:
        return replace(
            self,
            usd_per_input_token=change.usd_per_input_token,
            usd_per_output_token=change.usd_per_output_token,
            usd_per_cached_input_token=change.usd_per_cached_input_token,
            usd_per_batch_input_token=change.usd_per_batch_input_token,
            usd_per_batch_output_token=change.usd_per_batch_output_token,
            scheduled=(),
        )


@lru_cache(maxsize=64)
def _month_ends(start: date, months: int) -> tuple[date, ...]:
    """The first day after each month of the horizon (the break-even solve asks often)."""
    return tuple(_add_months(start, m + 1) for m in range(months))


def _add_months(start: date, months: int) -> date:
    """``start`` moved on by whole months (the day clamped to the month's length)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class OwnedHardware:
    """A GPU bought rather than rented: its share of a server's price and power."""

    usd_per_gpu: float
    power_kw_per_gpu: float
    gpus_per_server: int
    source: Source


@dataclass(frozen=True)
class GpuPrice:
    """A GPU rented on demand by the hour, and (optionally) what owning one costs.

    ``usd_per_hour_low`` and ``usd_per_hour_high`` bound the on-demand price
    across GPU clouds (the uncertainty analysis draws within them).
    """

    key: str
    name: str
    usd_per_hour: float
    source: Source
    owned: OwnedHardware | None = None
    usd_per_hour_low: float | None = None
    usd_per_hour_high: float | None = None


@dataclass(frozen=True)
class ServingProfile:
    """An open model served on a replica of ``gpus_per_replica`` GPUs, with measured speed.

    ``output_tokens_per_second`` is the replica's decode throughput under
    load (a public benchmark: its engine, precision and token shape are in
    ``source``); ``input_tokens_per_second`` its prefill throughput. A long
    prompt costs replica time too, which output-only benchmarks hide.
    """

    key: str
    name: str
    tier: str
    parameters_billions: float
    gpus_per_replica: int
    gpu: GpuPrice
    output_tokens_per_second: float
    input_tokens_per_second: float
    source: Source

    def busy_seconds(self, input_tokens: Num, output_tokens: Num, cached: Num) -> Num:
        """Seconds one query keeps a replica busy, on numbers or arrays."""
        return (
            input_tokens * (1 - cached) / self.input_tokens_per_second
            + output_tokens / self.output_tokens_per_second
        )


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)
