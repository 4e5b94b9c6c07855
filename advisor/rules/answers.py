"""Answers: raw input (form strings or JSON values) -> typed answers or field errors.

One parser for every entry point: the web wizard posts strings ("20M",
"300,000,000", "on"), an answers file holds JSON values (``2e7``, ``true``,
``["hipaa"]``). Both go through :func:`parse_answers` against the ruleset's
question schema (:class:`QuestionSpec`, a mirror of the ``Question`` model),
so the same input is accepted or refused with the same message everywhere.

Typed values: integer -> ``int``, number -> ``int | float`` (finite),
boolean -> ``bool``, choice and catalog -> ``str``, multi_choice ->
``tuple[str, ...]`` in the question's choice order (so equal answers compare
and hash equal whatever order they were ticked in).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from advisor import wording

# Shorthand a buyer types for volumes and budgets: 20M, 1.5k, 2bn, $25K.
_SUFFIXES = {
    "": 1,
    "k": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mn": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "t": 1_000_000_000_000,
    # Written out, as people say them ("1 million": spaces are dropped first).
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_NUMBER = re.compile(
    r"""^(?P<sign>[+-])?\$?
        (?P<digits>\d[\d,_]*(?:\.\d*)?|\.\d+)
        (?P<exponent>e[+-]?\d{1,3})?
        (?P<suffix>thousand|million|billion|trillion|k|mm|mn|m|bn|b|t)?%?$""",
    re.IGNORECASE | re.VERBOSE,
)
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_MAX_TEXT_LENGTH = 100  # longer than any number or choice value anyone types
# Every number, whatever its question's own range (an admin may leave one
# open): a thousand times the largest bounded question (10^12 queries a
# month), and far enough from float's limit (about 1.8e308) that the cost
# model's products and sums over 60 months stay finite.
MAX_ABSOLUTE_NUMBER = 10**15

_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0"})


@dataclass(frozen=True)
class QuestionSpec:
    """One question of a ruleset, as the pure core sees it (mirror of ``Question``).

    ``choices`` holds ``(value, label)`` pairs; ``catalog`` names the catalog
    kind for catalog questions (``api_model``, ``self_host_model``,
    ``small_model``, ``gpu``). ``default`` is ``None`` when the default comes
    from elsewhere (the price catalog) or the question is required.
    """

    key: str
    type: str
    section: str = ""
    section_order: int = 0
    order: int = 0
    prompt: str = ""
    help_text: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    catalog: str = ""
    unit: str = ""
    min: float | None = None
    max: float | None = None
    default: Any = None
    required: bool = False
    show_if: str = ""
    advanced: bool = False

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.choices)


@dataclass(frozen=True)
class AnswerError:
    """A field error: ``key`` is the question key (or the unknown key given)."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


@dataclass(frozen=True)
class ParsedAnswers:
    """Typed answers in schema order (only those given) and field errors."""

    answers: Mapping[str, Any] = field(default_factory=dict)
    errors: tuple[AnswerError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_for(self, key: str) -> list[str]:
        return [error.message for error in self.errors if error.key == key]


class _Invalid(ValueError):
    """A value that cannot be converted; the message is shown on the field."""


def parse_answers(
    raw: Mapping[str, Any],
    schema: Sequence[QuestionSpec],
    *,
    partial: bool = False,
    catalog_choices: Mapping[str, Collection[str]] | None = None,
) -> ParsedAnswers:
    """Convert and check ``raw`` against ``schema``.

    Blank values (``None``, ``""``) count as not answered. Unknown keys are
    errors. Unless ``partial`` (one wizard step at a time), a required question
    without an answer is an error. ``catalog_choices`` maps a catalog kind to
    its allowed keys; a catalog kind missing from it is not checked.
    """
    by_key = {spec.key: spec for spec in schema}
    errors = [
        AnswerError(key, _unknown_key_message(str(key), by_key)) for key in raw if key not in by_key
    ]
    answers: dict[str, Any] = {}
    for spec in schema:
        value = raw.get(spec.key)
        if _is_blank(value):
            if spec.required and not partial:
                errors.append(AnswerError(spec.key, "This question needs an answer."))
            continue
        try:
            answers[spec.key] = _parse_value(value, spec, catalog_choices)
        except _Invalid as error:
            errors.append(AnswerError(spec.key, str(error)))
    return ParsedAnswers(answers=answers, errors=tuple(errors))


def apply_defaults(
    answers: Mapping[str, Any],
    schema: Sequence[QuestionSpec],
    fallback_defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``answers`` completed with each question's default, in schema order.

    A question whose own default is ``None`` takes ``fallback_defaults[key]``
    (the price catalog's defaults for models, GPU and engineer cost). A
    required question without an answer stays missing: rules that read it are
    skipped and reported by the engine rather than fed an invented value.
    """
    completed: dict[str, Any] = {}
    for spec in schema:
        if spec.key in answers:
            completed[spec.key] = answers[spec.key]
            continue
        default = spec.default
        if default is None and fallback_defaults is not None:
            default = fallback_defaults.get(spec.key)
        if default is None:
            continue
        try:
            completed[spec.key] = _parse_value(default, spec, None)
        except _Invalid:
            completed[spec.key] = default  # an admin's bad default: keep it visible, don't hide it
    for key, value in answers.items():
        completed.setdefault(key, value)
    return completed


def parse_number(text: str) -> int | float:
    """A number as people type it: ``"20M"`` -> 20_000_000, ``"1.5k"`` -> 1500.

    Accepts thousands separators (``"300,000,000"``, ``"300_000_000"``,
    ``"300 000 000"``), a leading ``$``, a trailing ``%``, exponents
    (``"2e7"``), the suffixes k, M/MM/mn, B/bn, T and the words thousand,
    million, billion, trillion (``"1 million"``). Returns an ``int`` when
    the value is whole. Raises ``ValueError`` with a message for anything else.
    """
    cleaned = re.sub(r"\s+", "", text)
    match = _NUMBER.match(cleaned)
    if match is None or len(cleaned) > _MAX_TEXT_LENGTH:
        raise ValueError(f"'{text.strip()[:_MAX_TEXT_LENGTH]}' is not a number.")
    digits = match["digits"]
    integer_part = digits.split(".")[0]
    if "," in integer_part and not _THOUSANDS.match(integer_part):
        raise ValueError(f"'{text.strip()}' has misplaced thousands separators.")
    number = Decimal(digits.replace(",", "").replace("_", "") + (match["exponent"] or ""))
    number *= _SUFFIXES[(match["suffix"] or "").lower()]
    if match["sign"] == "-":
        number = -number
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unknown_key_message(key: str, by_key: Mapping[str, QuestionSpec]) -> str:
    message = f"There is no question '{key[:_MAX_TEXT_LENGTH]}'."
    close = difflib.get_close_matches(key, list(by_key), n=1)
    if close:
        message += f" Did you mean '{close[0]}'?"
    return message


def _parse_value(
    value: Any, spec: QuestionSpec, catalog_choices: Mapping[str, Collection[str]] | None
) -> Any:
    if spec.type in ("integer", "number"):
        return _check_range(_to_number(value, spec, whole=spec.type == "integer"), spec)
    if spec.type == "boolean":
        return _to_boolean(value)
    if spec.type == "choice":
        return _to_choice(value, spec)
    if spec.type == "multi_choice":
        return _to_choices(value, spec)
    if spec.type == "catalog":
        return _to_catalog_key(value, spec, catalog_choices)
    raise _Invalid(f"This question has an unknown type '{spec.type}'.")


def number_example(unit: str) -> str:
    """How to type a number for a question in ``unit``: the example fits the field."""
    if unit.strip().startswith("%"):
        return "Enter a percentage, e.g. 20 or 12.5."
    if unit.strip().startswith("USD"):
        return "Enter an amount in US dollars, e.g. 21,700 or 21.7k."
    if unit.strip() in ("months", "month", "years", "year", "engineers", "replicas"):
        return "Enter a number, e.g. 3 or 12."
    return "Enter a number, e.g. 20M or 20,000,000."


def _to_number(value: Any, spec: QuestionSpec, *, whole: bool) -> int | float:
    # bool is an int subclass: ``true`` for a volume is a mistake, not 1.
    example = number_example(spec.unit or "")
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise _Invalid(example)
    if isinstance(value, str):
        try:
            number: int | float | Decimal = parse_number(value)
        except ValueError as error:
            raise _Invalid(f"{error} {example}") from None
    else:
        number = value
    try:
        # An int beyond float's range (JSON allows thousands of digits)
        # raises OverflowError here: not a number anyone means.
        finite = math.isfinite(number)
    except (OverflowError, InvalidOperation):
        finite = False
    if not finite:
        raise _Invalid("Enter a finite number.")
    if whole:
        if number != int(number):
            raise _Invalid("Enter a whole number.")
        return int(number)
    return (
        int(number)
        if isinstance(number, (int, Decimal)) and number == int(number)
        else float(number)
    )


def _check_range(number: int | float, spec: QuestionSpec) -> int | float:
    # "at least 1 token", "at least 2 tokens": the unit agrees with the bound.
    if spec.min is not None and number < spec.min:
        raise _Invalid(f"Enter at least {wording.quantity(_format(spec.min), spec.unit or '')}.")
    if spec.max is not None and number > spec.max:
        raise _Invalid(f"Enter at most {wording.quantity(_format(spec.max), spec.unit or '')}.")
    # After the question's own range (whose message is the more useful one).
    if abs(number) > MAX_ABSOLUTE_NUMBER:
        raise _Invalid(
            f"Enter a number between {-MAX_ABSOLUTE_NUMBER:,} and {MAX_ABSOLUTE_NUMBER:,}."
        )
    return number


def _format(number: float) -> str:
    return f"{int(number):,}" if number == int(number) else f"{number:,}"


def _to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise _Invalid("Answer yes or no (true/false).")


def _to_choice(value: Any, spec: QuestionSpec) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"Choose one of: {', '.join(spec.choice_values)}.")
    text = value.strip()
    if text not in spec.choice_values:
        raise _Invalid(_unknown_choice_message(text, spec.choice_values))
    return text


def _to_choices(value: Any, spec: QuestionSpec) -> tuple[str, ...]:
    if isinstance(value, str):
        # A single form value, or "hipaa, soc2" typed on one line.
        items: list[Any] = [item for item in value.split(",") if item.strip()]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise _Invalid(f"Choose any of: {', '.join(spec.choice_values)} (a list).")
    chosen = set()
    for item in items:
        if not isinstance(item, str):
            raise _Invalid(f"Choose any of: {', '.join(spec.choice_values)} (a list of text).")
        if item.strip() not in spec.choice_values:
            raise _Invalid(_unknown_choice_message(item.strip(), spec.choice_values))
        chosen.add(item.strip())
    return tuple(choice for choice in spec.choice_values if choice in chosen)


def _to_catalog_key(
    value: Any, spec: QuestionSpec, catalog_choices: Mapping[str, Collection[str]] | None
) -> str:
    if not isinstance(value, str) or len(value) > _MAX_TEXT_LENGTH:
        raise _Invalid("Choose an entry of the price catalog.")
    text = value.strip()
    allowed = (catalog_choices or {}).get(spec.catalog)
    if allowed is not None and text not in allowed:
        raise _Invalid(_unknown_choice_message(text, tuple(allowed), what="catalog entry"))
    return text


def _unknown_choice_message(text: str, allowed: Sequence[str], what: str = "choice") -> str:
    message = f"'{text[:_MAX_TEXT_LENGTH]}' is not a {what} here."
    close = difflib.get_close_matches(text, list(allowed), n=1)
    if close:
        message += f" Did you mean '{close[0]}'?"
    elif len(allowed) <= 12:
        message += f" Choose one of: {', '.join(allowed)}."
    return message
