"""Running totals of a usage file, kept in bounded memory while it streams.

Every format reduces its records to :meth:`Accumulator.add_bucket` (a time
bucket of aggregated usage: OpenAI, Anthropic, the generic CSV) or
:meth:`Accumulator.add_request` (one request: LiteLLM). Counts are kept per
hour where the data is that fine (the load pattern needs hours), else per
bucket, so memory grows with the period covered, never with the requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HOUR = 3600
DAY = 86400
MAX_MODELS_LISTED = 50


@dataclass(slots=True)
class Cell:
    """Usage within one hour (or one coarser bucket)."""

    width: int  # seconds the cell covers
    requests: int = 0
    tokens: int = 0  # input + output: the activity measure when requests are unknown


@dataclass
class Accumulator:
    """What the derivation needs, summed as records arrive."""

    has_request_counts: bool
    per_request: bool = False
    cells: dict[int, Cell] = field(default_factory=dict)  # by start (epoch seconds)
    spans: set[tuple[int, int]] = field(default_factory=set)  # bucket (start, end) seen
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    records_with_cached: int = 0
    records: int = 0
    batch_requests: int = 0
    batch_known_requests: int = 0
    batch_tokens: int = 0
    batch_known_tokens: int = 0
    batch_unknown_records: int = 0
    models: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    first_start: int | None = None
    last_end: int | None = None

    def add_bucket(
        self,
        *,
        start: int,
        end: int,
        requests: int | None,
        input_tokens: int,
        cached_input_tokens: int | None,
        output_tokens: int,
        batch: bool | None,
        model: str | None,
    ) -> None:
        """One result of a time bucket; ``end`` is exclusive. Also call it for empty buckets."""
        self.spans.add((start, end))
        self._extend_period(start, end)
        if end - start <= HOUR:
            cell_start, width = start - start % HOUR, HOUR
        else:
            cell_start, width = start, end - start
        self._count(cell_start, width, requests, input_tokens, cached_input_tokens, output_tokens)
        self._batch(batch, requests or 0, input_tokens + output_tokens)
        self._model(model)

    def mark_bucket(self, *, start: int, end: int) -> None:
        """A bucket with no results: present, and empty (not a gap)."""
        self.spans.add((start, end))
        self._extend_period(start, end)
        if end - start <= HOUR:
            self.cells.setdefault(start - start % HOUR, Cell(HOUR))
        else:
            self.cells.setdefault(start, Cell(end - start))

    def add_request(
        self,
        *,
        at: int,
        input_tokens: int,
        cached_input_tokens: int | None,
        output_tokens: int,
        model: str | None,
    ) -> None:
        """One request at ``at`` (epoch seconds); the period is the hours it falls in."""
        hour = at - at % HOUR
        self._extend_period(hour, hour + HOUR)
        self._count(hour, HOUR, 1, input_tokens, cached_input_tokens, output_tokens)
        self.batch_unknown_records += 1
        self._model(model)

    # -- internals -----------------------------------------------------------

    def _extend_period(self, start: int, end: int) -> None:
        if self.first_start is None or start < self.first_start:
            self.first_start = start
        if self.last_end is None or end > self.last_end:
            self.last_end = end

    def _count(
        self,
        cell_start: int,
        width: int,
        requests: int | None,
        input_tokens: int,
        cached_input_tokens: int | None,
        output_tokens: int,
    ) -> None:
        cell = self.cells.get(cell_start)
        if cell is None:
            cell = self.cells[cell_start] = Cell(width)
        cell.requests += requests or 0
        cell.tokens += input_tokens + output_tokens
        self.records += 1
        self.requests += requests or 0
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens
        if cached_input_tokens is not None:
            self.cached_input_tokens += cached_input_tokens
            self.records_with_cached += 1

    def _batch(self, batch: bool | None, requests: int, tokens: int) -> None:
        if batch is None:
            self.batch_unknown_records += 1
            return
        self.batch_known_requests += requests
        self.batch_known_tokens += tokens
        if batch:
            self.batch_requests += requests
            self.batch_tokens += tokens

    def _model(self, model: str | None) -> None:
        if model and len(self.models) < MAX_MODELS_LISTED:
            self.models.add(model[:100])
