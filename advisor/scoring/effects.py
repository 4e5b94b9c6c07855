"""Typed rule effects: what a fired rule does, in one currency.

A rule's effect is a list of these (stored as JSON on the rule, parsed here):

``exclude``
    ``{"kind": "exclude", "options": ["api", "hybrid", "open_api"]}``: a gate.
``caveat``
    ``{"kind": "caveat", "code": "...", "text": "..."}``: a warning, no money.
``cost``
    ``{"kind": "cost", "options": [...], "label": "...",
    "usd_per_month": {"low": n, "base": n, "high": n},
    "one_off_usd": {"low": n, "base": n, "high": n}}``: money the reason
    adds to the named options' TCO (monthly over the horizon, or once), with
    a range the Monte Carlo draws. At least one of the two amounts.
``range``
    ``{"kind": "range", "target": "monthly_queries", "low_factor": 0.3,
    "high_factor": 3}``: the target (an answer or an assumption) is drawn
    from ``low_factor`` to ``high_factor`` times its value, even when the
    buyer gave it (e.g. an estimated volume without production data).
``check``
    ``{"kind": "check", "key": "hipaa_baa_sufficient"}``: an open follow-up;
    the advice is given for each of its answers (conditional advice).

Invalid effects raise :class:`InvalidEffect` with a message naming the field,
which the admin shows on the rule's form (never at evaluation time).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.wording import usd_short

# The options a v3 effect may name (design.md, "Decision model v3").
V3_OPTIONS: tuple[str, ...] = ("api", "open_api", "self_host", "hybrid")
EFFECT_KINDS: tuple[str, ...] = ("exclude", "caveat", "cost", "range", "check")
# A range effect's factors stay within this bracket: wider is no estimate at all.
MIN_RANGE_FACTOR = 0.01
MAX_RANGE_FACTOR = 100.0
# A cost effect above this (USD a month, or once) is a typing error, not a reason.
MAX_EFFECT_USD = 1e9


class InvalidEffect(ValueError):
    """An effect that cannot be used, with the message the admin shows."""


@dataclass(frozen=True)
class Triangle:
    """A low / base / high figure, drawn from a triangular distribution."""

    low: float
    base: float
    high: float

    def __post_init__(self) -> None:
        values = (self.low, self.base, self.high)
        if not all(math.isfinite(value) for value in values):
            raise InvalidEffect("low, base and high must be finite numbers")
        if not self.low <= self.base <= self.high:
            raise InvalidEffect("low <= base <= high is required")

    @classmethod
    def point(cls, value: float) -> Triangle:
        return cls(value, value, value)

    @property
    def is_zero(self) -> bool:
        return self.low == self.base == self.high == 0

    def to_dict(self) -> dict[str, float]:
        return {"low": self.low, "base": self.base, "high": self.high}


ZERO = Triangle(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Exclude:
    options: tuple[str, ...]
    kind: str = "exclude"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "options": list(self.options)}


@dataclass(frozen=True)
class CaveatEffect:
    code: str
    text: str
    kind: str = "caveat"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code, "text": self.text}


@dataclass(frozen=True)
class CostEffect:
    """Money a reason adds to options: per month over the horizon and/or once."""

    options: tuple[str, ...]
    label: str
    usd_per_month: Triangle = ZERO
    one_off_usd: Triangle = ZERO
    kind: str = "cost"

    def total(self, months: int) -> Triangle:
        """Low / base / high of the whole effect over ``months``."""
        return Triangle(
            self.one_off_usd.low + self.usd_per_month.low * months,
            self.one_off_usd.base + self.usd_per_month.base * months,
            self.one_off_usd.high + self.usd_per_month.high * months,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "options": list(self.options),
            "label": self.label,
            "usd_per_month": self.usd_per_month.to_dict(),
            "one_off_usd": self.one_off_usd.to_dict(),
        }


@dataclass(frozen=True)
class RangeEffect:
    """Draws ``target`` from ``low_factor`` to ``high_factor`` times its value."""

    target: str
    low_factor: float
    high_factor: float
    kind: str = "range"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "target": self.target,
            "low_factor": self.low_factor,
            "high_factor": self.high_factor,
        }


@dataclass(frozen=True)
class Check:
    """An open follow-up question: advice is given for each of its answers."""

    key: str
    kind: str = "check"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key}


Effect = Exclude | CaveatEffect | CostEffect | RangeEffect | Check


def parse_effects(
    raw: Any, *, range_targets: Sequence[str] = (), check_keys: Sequence[str] = ()
) -> tuple[Effect, ...]:
    """The typed effects of a rule's JSON, or :class:`InvalidEffect`.

    ``range_targets`` are the answers and assumptions a range may widen,
    ``check_keys`` the follow-up questions a check may name; empty means
    any name (pure callers that validated elsewhere).
    """
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list):
        raise InvalidEffect("effects must be a list of objects")
    return tuple(
        _parse_one(item, index, range_targets, check_keys) for index, item in enumerate(raw, 1)
    )


def _parse_one(
    item: Any, index: int, range_targets: Sequence[str], check_keys: Sequence[str]
) -> Effect:
    where = f"effect {index}"
    if not isinstance(item, Mapping):
        raise InvalidEffect(f"{where}: must be an object with a 'kind'")
    kind = item.get("kind")
    if kind not in EFFECT_KINDS:
        raise InvalidEffect(f"{where}: kind must be one of {', '.join(EFFECT_KINDS)}")
    if kind == "exclude":
        return Exclude(_options(item, where))
    if kind == "caveat":
        code, text = item.get("code"), item.get("text")
        if not isinstance(code, str) or not code.strip():
            raise InvalidEffect(f"{where}: a caveat needs a 'code'")
        if not isinstance(text, str) or not text.strip():
            raise InvalidEffect(f"{where}: a caveat needs a 'text'")
        return CaveatEffect(code.strip(), text.strip())
    if kind == "cost":
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise InvalidEffect(f"{where}: a cost effect needs a 'label' (what the money is for)")
        monthly = _triangle(item.get("usd_per_month"), f"{where}: usd_per_month")
        one_off = _triangle(item.get("one_off_usd"), f"{where}: one_off_usd")
        if monthly.is_zero and one_off.is_zero:
            raise InvalidEffect(f"{where}: a cost effect needs usd_per_month or one_off_usd")
        return CostEffect(_options(item, where), label.strip(), monthly, one_off)
    if kind == "range":
        target = item.get("target")
        if not isinstance(target, str) or (range_targets and target not in range_targets):
            raise InvalidEffect(
                f"{where}: a range effect names an answer or assumption as 'target'"
            )
        low, high = item.get("low_factor"), item.get("high_factor")
        if not _number(low) or not _number(high):
            raise InvalidEffect(f"{where}: low_factor and high_factor must be numbers")
        low_factor, high_factor = float(low), float(high)  # type: ignore[arg-type]
        if not MIN_RANGE_FACTOR <= low_factor <= 1 <= high_factor <= MAX_RANGE_FACTOR:
            raise InvalidEffect(
                f"{where}: factors must satisfy {MIN_RANGE_FACTOR} <= low_factor <= 1 "
                f"<= high_factor <= {MAX_RANGE_FACTOR:.0f}"
            )
        return RangeEffect(target, low_factor, high_factor)
    key = item.get("key")
    if not isinstance(key, str) or (check_keys and key not in check_keys):
        raise InvalidEffect(f"{where}: a check names a follow-up question as 'key'")
    return Check(key)


def _options(item: Mapping[str, Any], where: str) -> tuple[str, ...]:
    options = item.get("options")
    if (
        not isinstance(options, list)
        or not options
        or any(option not in V3_OPTIONS for option in options)
    ):
        raise InvalidEffect(f"{where}: options must be a non-empty list of {', '.join(V3_OPTIONS)}")
    return tuple(dict.fromkeys(options))


def _triangle(raw: Any, where: str) -> Triangle:
    if raw is None:
        return ZERO
    if _number(raw):
        value = float(raw)
        raw = {"low": value, "base": value, "high": value}
    if not isinstance(raw, Mapping) or not all(
        _number(raw.get(k)) for k in ("low", "base", "high")
    ):
        raise InvalidEffect(f"{where} must be a number or {{low, base, high}} numbers")
    try:
        triangle = Triangle(float(raw["low"]), float(raw["base"]), float(raw["high"]))
    except InvalidEffect as error:
        raise InvalidEffect(f"{where}: {error}") from None
    if triangle.low < 0 or triangle.high > MAX_EFFECT_USD:
        raise InvalidEffect(f"{where} must lie between 0 and {MAX_EFFECT_USD:,.0f} USD")
    return triangle


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def describe(effect: Effect, labels: Mapping[str, str]) -> str:
    """One line for the admin: what the effect does, in words (``labels``: option names)."""
    if isinstance(effect, CostEffect):
        names = ", ".join(labels.get(option, option) for option in effect.options)
        amounts = []
        if not effect.one_off_usd.is_zero:
            amounts.append(f"{_range_usd(effect.one_off_usd)} once")
        if not effect.usd_per_month.is_zero:
            amounts.append(f"{_range_usd(effect.usd_per_month)} a month")
        return f"adds {' and '.join(amounts)} to {names} ({effect.label})"
    if isinstance(effect, RangeEffect):
        return f"draws {effect.target} from {effect.low_factor:g}x to {effect.high_factor:g}x"
    if isinstance(effect, Check):
        return f"advice for each answer of {effect.key}"
    if isinstance(effect, Exclude):
        return "rules out " + ", ".join(labels.get(option, option) for option in effect.options)
    return f"caveat {effect.code}"


def _range_usd(triangle: Triangle) -> str:
    if triangle.low == triangle.high:
        return usd_short(triangle.base)
    return f"{usd_short(triangle.low)}-{usd_short(triangle.high)} (base {usd_short(triangle.base)})"
