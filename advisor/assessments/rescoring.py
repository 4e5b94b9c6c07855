"""What re-scoring would change: a stored result snapshot against a new one.

Pure (no Django): both sides are ``Advice.to_dict()`` snapshots, as stored
on an assessment. The consultant reads this diff before accepting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.options import OPTION_LABELS, OPTIONS
from advisor.snapshot import ResultSnapshot

# A confidence moving less than this is rounding, not a change worth showing.
CONFIDENCE_TOLERANCE = 0.005
# TCO differences under a dollar are rounding too.
TCO_TOLERANCE_USD = 1.0


@dataclass(frozen=True)
class TcoChange:
    option: str
    label: str
    before_usd: float | None
    after_usd: float | None

    @property
    def changed(self) -> bool:
        if self.before_usd is None or self.after_usd is None:
            return self.before_usd != self.after_usd
        return abs(self.after_usd - self.before_usd) >= TCO_TOLERANCE_USD

    @property
    def difference_usd(self) -> float | None:
        if self.before_usd is None or self.after_usd is None:
            return None
        return self.after_usd - self.before_usd


@dataclass(frozen=True)
class ResultDiff:
    """Every difference a consultant must see before replacing a result."""

    ruleset_before: str
    ruleset_after: str
    recommendation_before: str | None
    recommendation_after: str | None
    confidence_before: float
    confidence_after: float
    excluded_added: dict[str, list[str]]
    excluded_removed: dict[str, list[str]]
    caveats_added: list[dict[str, str]]
    caveats_removed: list[dict[str, str]]
    tco: list[TcoChange]

    @property
    def recommendation_changed(self) -> bool:
        return self.recommendation_before != self.recommendation_after

    @property
    def confidence_changed(self) -> bool:
        return abs(self.confidence_after - self.confidence_before) >= CONFIDENCE_TOLERANCE

    @property
    def ruleset_changed(self) -> bool:
        return self.ruleset_before != self.ruleset_after

    @property
    def tco_changed(self) -> bool:
        return any(change.changed for change in self.tco)

    @property
    def unchanged(self) -> bool:
        return not (
            self.recommendation_changed
            or self.confidence_changed
            or self.ruleset_changed
            or self.excluded_added
            or self.excluded_removed
            or self.caveats_added
            or self.caveats_removed
            or self.tco_changed
        )


def diff_results(before: ResultSnapshot, after: ResultSnapshot) -> ResultDiff:
    excluded_before = _excluded(before)
    excluded_after = _excluded(after)
    caveats_before = _caveats(before)
    caveats_after = _caveats(after)
    return ResultDiff(
        ruleset_before=_ruleset_label(before),
        ruleset_after=_ruleset_label(after),
        recommendation_before=before.recommendation,
        recommendation_after=after.recommendation,
        confidence_before=before.confidence,
        confidence_after=after.confidence,
        excluded_added={
            option: reasons
            for option, reasons in excluded_after.items()
            if option not in excluded_before
        },
        excluded_removed={
            option: reasons
            for option, reasons in excluded_before.items()
            if option not in excluded_after
        },
        caveats_added=[
            caveat for code, caveat in caveats_after.items() if code not in caveats_before
        ],
        caveats_removed=[
            caveat for code, caveat in caveats_before.items() if code not in caveats_after
        ],
        tco=[
            TcoChange(option, OPTION_LABELS[option], _tco(before, option), _tco(after, option))
            for option in OPTIONS
        ],
    )


@dataclass(frozen=True)
class AnswerChange:
    """One answer that differs between two results (``None``: not answered)."""

    key: str
    before: Any
    after: Any


def answer_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], *, keys: Sequence[str]
) -> list[AnswerChange]:
    """The answers among ``keys`` (questionnaire order) whose values differ.

    Lists and tuples compare as the same answer (stored JSON against typed values).
    """
    changes = []
    for key in keys:
        old, new = _comparable(before.get(key)), _comparable(after.get(key))
        if old != new:
            changes.append(AnswerChange(key, before.get(key), after.get(key)))
    return changes


def _comparable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple | list) else value


def snapshot_fingerprint(snapshot: Mapping[str, Any]) -> str:
    """A stored result's :attr:`ResultSnapshot.fingerprint` (any stored shape)."""
    return ResultSnapshot.from_dict(snapshot).fingerprint


def _ruleset_label(snapshot: ResultSnapshot) -> str:
    return f"{snapshot.ruleset.name or '?'} {snapshot.ruleset.version or '?'}"


def _excluded(snapshot: ResultSnapshot) -> dict[str, list[str]]:
    return {option: list(reasons) for option, reasons in snapshot.excluded.items()}


def _caveats(snapshot: ResultSnapshot) -> dict[str, dict[str, str]]:
    return {caveat.code: caveat.to_dict() for caveat in snapshot.caveats}


def _tco(snapshot: ResultSnapshot, option: str) -> float | None:
    figures = snapshot.costs.options.get(option)
    return None if figures is None else figures.tco_usd
