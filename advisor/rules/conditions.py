"""Rule conditions: typed rule-engine expressions over answers and cost figures.

A condition is a `rule-engine <https://zeroSteiner.github.io/rule-engine/>`_
expression such as ``monthly_queries < 10000000 and 'hipaa' in regimes``.
Every name it uses is typed from the ruleset's question schema plus the
derived cost figures, so an unknown key, a type mismatch or a misspelt choice
value is refused when an admin saves the rule, never at evaluation time.

Types (question type -> rule-engine type):

===============  =======================
integer, number  FLOAT (values arrive as ``decimal.Decimal`` inside rule-engine)
boolean          BOOLEAN
choice, catalog  STRING
multi_choice     ARRAY of STRING
derived figure   NULLABLE(FLOAT)
===============  =======================

Null derived figures. The cost model reports ``None`` where a figure does not
exist (no break-even within the horizon, a ratio over a zero API cost).
rule-engine 5 tracks nullability at parse time: an ordered comparison on a
NULLABLE symbol is refused unless null is discharged with ``??``, so an admin
must say what "no break-even" means, e.g.
``(break_even_month_self_host ?? 999) <= 18``. Answers are never null: the
answer parser applies defaults before evaluation, and a rule that still meets a
missing answer is skipped by the engine and reported.

Refused on purpose (checked on the token stream, before parsing):

* regular-expression operators (``=~ =~~ !~ !~~``): rule-engine runs Python
  ``re`` with no timeout, so a pattern like ``(a+)+$`` can hang a worker;
* built-in symbols other than a few pure functions (``$now``, ``$random`` make
  a result non-deterministic, ``$range(1e12)`` exhausts memory);
* comprehensions (``[x for x in ...]``): three nested over a literal list of
  a few hundred items already run for minutes, and no question needs them;
* expressions over :data:`MAX_CONDITION_LENGTH` characters: rule-engine's
  parser recurses per operator and raises a bare ``RecursionError`` near 500
  ``and`` terms.

Refused after parsing: ``==``, ``!=`` and ``in`` between a name and a literal
of another type (``monthly_queries == 'x'``, ``load_pattern == 1``,
``5 in regimes``). rule-engine accepts them (they are simply never true), so
they are caught here (:func:`_literal_type_errors`), naming the key and
both types.

Effect expressions. A rule's score delta may be a number or a numeric
expression over the same names (:func:`compile_effect`), so evidence can count
in proportion instead of at a threshold, e.g. a self-hosting score of
``-4 * $log($max([tco_ratio_self_host ?? 1, 0.01]))``: +2.8 at half the API's
cost, 0 at parity, -2.8 at twice it, smoothly. Besides rule-engine's pure
built-ins, expressions may call ``$log`` (natural logarithm) and ``$tanh``
(a bounded curve). They go through the same checks as conditions and must
give a number (not null: discharge nullable figures with ``??``).

Rationales and caveat texts may quote numbers: ``{tco_ratio_self_host:.1f}``
is replaced by the figure formatted with a Python format spec
(:func:`validate_placeholders`, :func:`render_placeholders`); a null figure
reads "n/a". A literal brace is written twice. Money and volumes in prose
read at three significant figures, as everywhere else in the advice:
``{tco_api_usd:usd}`` gives "$4.46M", ``{average_monthly_queries:volume}``
"13.6M" and ``{break_even_month_hybrid:month}`` "in month 12" or, for no
break-even, "not within the horizon" (:data:`PROSE_FORMATS`, from
:mod:`advisor.wording`). A spec's width and precision are bounded
(:data:`MAX_PLACEHOLDER_WIDTH`, :data:`MAX_PLACEHOLDER_PRECISION`):
``{tco_api_usd:>100000000}`` would build a 100 MB string in every result and
PDF. Saving refuses them; a text saved before the bound renders such a
placeholder's value plainly.
"""

from __future__ import annotations

import decimal
import functools
import math
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import rule_engine
from rule_engine import DataType
from rule_engine import ast as rule_ast
from rule_engine import builtins as rule_builtins

from advisor import wording
from advisor.options import OPTIONS, V3_OPTIONS

MAX_CONDITION_LENGTH = 2_000
# Bound on one rule's score delta: keeps every score finite whatever admins type
# (a sum of at most a few thousand deltas of at most 100 cannot overflow).
MAX_SCORE_DELTA = 100.0

QUESTION_TYPES = ("integer", "number", "boolean", "choice", "multi_choice", "catalog")
DERIVED_KINDS = ("float", "integer")

REGEX_TOKENS = frozenset({"EQ_FZM", "EQ_FZS", "NE_FZM", "NE_FZS"})
REGEX_MESSAGE = (
    "Regular-expression operators (=~, =~~, !~, !~~) are not allowed in conditions: "
    "a pattern can run for ever on some inputs. Compare with ==, != or 'in' instead."
)
COMPREHENSION_MESSAGE = (
    "Comprehensions ([... for ... in ...]) are not allowed in conditions: nested ones can "
    "run for minutes. Compare answers and figures directly, e.g. 'hipaa' in regimes."
)
# Pure, total, bounded built-ins; everything else under $ is refused (see module doc).
# log and tanh are ours (EXTRA_BUILTINS): curves for effects in proportion.
ALLOWED_BUILTINS = frozenset({"abs", "min", "max", "sum", "any", "all", "e", "pi", "log", "tanh"})


def _builtin_log(value: decimal.Decimal) -> decimal.Decimal:
    # Decimal.ln gives -Infinity at 0 and raises below it; the engine skips
    # (and reports) a rule whose effect is not a finite number.
    return decimal.Decimal(value).ln()


def _builtin_tanh(value: decimal.Decimal) -> decimal.Decimal:
    return decimal.Decimal(repr(math.tanh(float(value))))


EXTRA_BUILTINS: Mapping[str, Any] = {"log": _builtin_log, "tanh": _builtin_tanh}
_EXTRA_BUILTIN_TYPES = {
    name: DataType.FUNCTION(name, return_type=DataType.FLOAT, argument_types=(DataType.FLOAT,))
    for name in EXTRA_BUILTINS
}

_HUMAN_TYPES = {
    "integer": "a number",
    "number": "a number",
    "boolean": "true/false",
    "choice": "text (one choice)",
    "catalog": "text (a catalog key)",
    "multi_choice": "a list of text (several choices)",
    "float": "a number or null (use ?? to give a fallback)",
}
_HUMAN_RESULT_TYPES = {
    "float": "a number",
    "string": "text",
    "array": "a list",
    "nullable": "a value that may be null",
}


@dataclass(frozen=True)
class Symbol:
    """One name a condition may use.

    ``kind`` is a question type (:data:`QUESTION_TYPES`) or, for a derived
    cost figure, ``"float"``/``"integer"``. ``choices`` lists the allowed
    values of a choice or multi-choice question (used to catch misspelt string
    literals); ``nullable`` symbols may be ``None`` at evaluation time.
    """

    name: str
    kind: str
    choices: tuple[str, ...] = ()
    nullable: bool = False

    @property
    def data_type(self) -> Any:
        base = _data_type(self.kind)
        return DataType.NULLABLE(base) if self.nullable else base


# The outcome of scoring, readable by rules that only add caveats (the
# engine evaluates those after the recommendation is known), e.g.
# ``recommendation in ['self_host', 'hybrid']`` -> the first-year overhead caveat.
OUTCOME_SYMBOLS = (
    Symbol("recommendation", "choice", V3_OPTIONS, nullable=True),
    Symbol("excluded_options", "multi_choice", V3_OPTIONS),
)
OUTCOME_NAMES = frozenset(symbol.name for symbol in OUTCOME_SYMBOLS)

# Capability tiers of the catalog entries the projection used (advisor.costs
# TIERS), supplied with the answers by the rules services: rules can then warn
# about inconsistent picks, e.g. frontier capability required of a mini-class
# API model, without listing catalog keys that change with every price import.
MODEL_TIERS = ("frontier", "mid", "small")
CATALOG_FACT_SYMBOLS = (
    Symbol("api_model_tier", "choice", MODEL_TIERS),
    Symbol("self_host_model_tier", "choice", MODEL_TIERS),
)
CATALOG_FACT_NAMES = frozenset(symbol.name for symbol in CATALOG_FACT_SYMBOLS)


@dataclass(frozen=True)
class ConditionSchema:
    """The typed names available to conditions; hashable, so compiled rules cache on it."""

    symbols: tuple[Symbol, ...]

    @classmethod
    def build(
        cls,
        questions: Iterable[tuple[str, str, Sequence[str]]],
        derived_figures: Mapping[str, str] | None = None,
        *,
        outcome: bool = True,
    ) -> ConditionSchema:
        """Schema from ``(key, type, choice values)`` triples and ``{figure: kind}``.

        Derived figures are always nullable (see the module docstring). With
        ``outcome`` (rules, not show-if conditions) the outcome symbols
        ``recommendation`` and ``excluded_options`` and the catalog facts
        (:data:`CATALOG_FACT_SYMBOLS`) are available too.
        """
        symbols = [Symbol(key, kind, tuple(choices)) for key, kind, choices in questions]
        symbols += [
            Symbol(name, kind, nullable=True) for name, kind in (derived_figures or {}).items()
        ]
        if outcome:
            symbols += OUTCOME_SYMBOLS + CATALOG_FACT_SYMBOLS
        return cls(tuple(sorted(symbols, key=lambda symbol: symbol.name)))

    @classmethod
    def from_questions(
        cls,
        questions: Iterable[Any],
        derived_figures: Mapping[str, str] | None = None,
        *,
        outcome: bool = True,
    ) -> ConditionSchema:
        """Schema from objects with ``key``, ``type`` and ``choices`` attributes.

        Works for ``Question`` rows (choices stored as ``[value, label]`` pairs)
        and ``QuestionSpec`` dataclasses alike, so admin forms and the engine
        type-check against the same schema. For a question's ``show_if`` use
        ``from_questions(questions, outcome=False)``: only answers exist then.
        """
        return cls.build(
            (
                (question.key, question.type, choice_values(question.choices))
                for question in questions
            ),
            derived_figures,
            outcome=outcome,
        )

    @functools.cached_property
    def by_name(self) -> Mapping[str, Symbol]:
        return {symbol.name: symbol for symbol in self.symbols}


class InvalidCondition(ValueError):
    """A condition that cannot be compiled; ``messages`` are shown to the admin."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = tuple(messages)


def validate_condition(expression: str, schema: ConditionSchema) -> list[str]:
    """Messages explaining why ``expression`` is not a valid condition; empty if valid."""
    return _refusals(compile_condition, expression, schema)


def _refusals(
    compiler: Callable[[str, ConditionSchema], object], expression: str, schema: ConditionSchema
) -> list[str]:
    """The messages of the :class:`InvalidCondition` ``compiler`` raises; empty if none."""
    try:
        compiler(expression, schema)
    except InvalidCondition as error:
        return list(error.messages)
    return []


@functools.lru_cache(maxsize=4096)
def compile_condition(expression: str, schema: ConditionSchema) -> rule_engine.Rule:
    """Parse and type-check ``expression``; raise :class:`InvalidCondition` if it is refused.

    Cached on ``(expression, schema)``: a ruleset's schema is the same object
    for all its rules, and an unchanged published ruleset compiles once.
    """
    text = expression.strip()
    if not text:
        raise InvalidCondition(["Enter a condition."])
    rule = _parse(text, schema, "condition")
    problems = (
        _result_type_errors(rule)
        + _literal_type_errors(rule, schema)
        + _choice_literal_errors(rule, schema)
    )
    if problems:
        raise InvalidCondition(problems)
    return rule


def _parse(text: str, schema: ConditionSchema, what: str = "expression") -> rule_engine.Rule:
    """The checks conditions and score expressions share, then rule-engine's parser."""
    if len(text) > MAX_CONDITION_LENGTH:
        raise InvalidCondition(
            [
                f"The {what} is {len(text):,} characters long; the limit is "
                f"{MAX_CONDITION_LENGTH:,}. Split it into several rules."
            ]
        )
    token_errors = _token_errors(text)
    if token_errors:
        raise InvalidCondition(token_errors)
    try:
        return rule_engine.Rule(text, context=_context(schema))
    except RecursionError:
        raise InvalidCondition(
            [f"The {what} is nested too deeply to parse. Split it into several rules."]
        ) from None
    except rule_engine.errors.EngineError as error:
        raise InvalidCondition([_engine_message(error, text, schema)]) from None


def validate_effect(
    expression: str,
    score_deltas: Any,
    excludes: Any,
    schema: ConditionSchema | None = None,
) -> list[str]:
    """Messages explaining why a rule's effect is refused; empty if valid.

    The messages of :func:`effect_errors`, in order, without their fields.
    """
    errors = effect_errors(expression, score_deltas, excludes, schema)
    return [message for messages in errors.values() for message in messages]


def effect_errors(
    expression: str,
    score_deltas: Any,
    excludes: Any,
    schema: ConditionSchema | None = None,
) -> dict[str, list[str]]:
    """Why a rule's effect is refused, keyed by the rule's field each message is about
    (``score_deltas``, ``excludes``, ``condition``); empty if valid. The one check
    of an effect: ``Rule.clean``, the publishing checks and the engine call it.

    ``score_deltas`` must map options to finite numbers within
    ±:data:`MAX_SCORE_DELTA` or to effect expressions (text, see
    :func:`compile_effect`; checked against ``schema`` when it is given, and
    refused without one, since they cannot be checked). ``excludes`` must
    list options. A rule whose condition reads the outcome
    (``recommendation``, ``excluded_options``) is evaluated after scoring, so
    it may add a caveat but not change scores.
    """
    errors: dict[str, list[str]] = {}
    deltas = errors.setdefault("score_deltas", [])
    if not isinstance(score_deltas, Mapping):
        deltas.append('Score deltas must be an object such as {"api": 1, "self_host": -2}.')
        score_deltas = {}
    for option, delta in score_deltas.items():
        if option not in OPTIONS:
            deltas.append(f"'{option}' is not an option (one of {', '.join(OPTIONS)}).")
        elif isinstance(delta, str):
            if schema is None:
                deltas.append(f"The score expression for {option} cannot be checked here.")
            else:
                deltas.extend(
                    f"The score expression for {option}: {message}"
                    for message in validate_effect_expression(delta, schema)
                )
        elif isinstance(delta, bool) or not isinstance(delta, (int, float)):
            deltas.append(f"The score delta for {option} must be a number or an expression.")
        elif not math.isfinite(delta) or abs(delta) > MAX_SCORE_DELTA:
            deltas.append(
                f"The score delta for {option} must be between {-MAX_SCORE_DELTA:g} "
                f"and {MAX_SCORE_DELTA:g}."
            )
    excluded = errors.setdefault("excludes", [])
    if not isinstance(excludes, (list, tuple)):
        excluded.append('Excludes must be a list such as ["api", "hybrid"].')
        excludes = []
    for option in excludes:
        if option not in V3_OPTIONS:
            excluded.append(f"'{option}' is not an option (one of {', '.join(V3_OPTIONS)}).")
    reads_outcome = OUTCOME_NAMES.intersection(referenced_symbols(expression))
    changes_scores = any(
        isinstance(delta, str) or (isinstance(delta, (int, float)) and delta != 0)
        for delta in score_deltas.values()
    )
    if reads_outcome and (changes_scores or excludes):
        errors["condition"] = [
            f"This condition reads {', '.join(sorted(reads_outcome))}, which is known only "
            "after scoring: such a rule may add a caveat but not change scores or exclude options."
        ]
    return {field: messages for field, messages in errors.items() if messages}


def validate_effect_expression(expression: str, schema: ConditionSchema) -> list[str]:
    """Messages explaining why ``expression`` is not a valid score expression; empty if valid."""
    return _refusals(compile_effect, expression, schema)


@functools.lru_cache(maxsize=1024)
def compile_effect(expression: str, schema: ConditionSchema) -> rule_engine.Rule:
    """Parse and type-check a score expression; raise :class:`InvalidCondition` if refused.

    The same checks as :func:`compile_condition` (length, regex, built-ins,
    comprehensions, names, types, choice literals), except that the result
    must be a number. The outcome is not known while scores are computed, so
    ``recommendation`` and ``excluded_options`` are refused.
    """
    text = expression.strip()
    if not text:
        raise InvalidCondition(["Enter a number or an expression."])
    outcome = OUTCOME_NAMES.intersection(referenced_symbols(text))
    if outcome:
        raise InvalidCondition(
            [
                f"A score expression cannot read {', '.join(sorted(outcome))}: it is known "
                "only after scoring."
            ]
        )
    rule = _parse(text, schema)
    result_type = rule.statement.expression.result_type
    problems = _choice_literal_errors(rule, schema)
    if result_type != DataType.FLOAT:
        problems.insert(
            0,
            "A score expression must give a number, but this one gives "
            f"{_HUMAN_RESULT_TYPES.get(result_type.name.lower(), result_type.name.lower())}."
            + (
                " Give nullable figures a fallback with ??, e.g. (tco_ratio_self_host ?? 1)."
                if result_type.name.lower() == "nullable"
                else ""
            ),
        )
    if problems:
        raise InvalidCondition(problems)
    return rule


# Named formats for prose, beside Python's format specs: {tco_api_usd:usd} -> "$4.46M".
PROSE_FORMATS: dict[str, Callable[[float], str]] = {
    "usd": wording.usd_short,
    "volume": wording.volume,
    "month": wording.break_even_month,
}
# Formats that say what a null figure means in words (else it reads "n/a").
NULL_PROSE: dict[str, str] = {"month": wording.break_even_month(None)}
_NUMERIC_KINDS = ("integer", "number", "float")


# A placeholder pads or prints digits to at most this many characters: a
# table-like "{x:>12,.0f}" fits; "{x:>100000000}" is a 100 MB string.
MAX_PLACEHOLDER_WIDTH = 40
MAX_PLACEHOLDER_PRECISION = 12
# Python's format-spec mini-language, to read the width and precision out
# of a spec before anything is formatted with it.
_FORMAT_SPEC = re.compile(
    r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d*))?[a-zA-Z%]?",
    re.DOTALL,
)


def spec_size_errors(name: str, spec: str) -> list[str]:
    """Why ``{name:spec}``'s width or precision is too large; empty if within the bounds."""
    match = _FORMAT_SPEC.fullmatch(spec)
    if match is None:
        return []  # not a width/precision spec: format() itself judges it
    errors = []
    width = int(match["width"] or 0)
    precision = int(match["precision"] or 0)
    if width > MAX_PLACEHOLDER_WIDTH:
        errors.append(
            f"The placeholder {{{name}:{spec}}} pads {name} to {width:,} characters; "
            f"the most is {MAX_PLACEHOLDER_WIDTH}."
        )
    if precision > MAX_PLACEHOLDER_PRECISION:
        errors.append(
            f"The placeholder {{{name}:{spec}}} asks for {precision:,} digits of {name}; "
            f"the most is {MAX_PLACEHOLDER_PRECISION} (try .1f)."
        )
    return errors


def validate_placeholders(text: str, schema: ConditionSchema, *, bounded: bool = True) -> list[str]:
    """Why a text's ``{name:spec}`` placeholders are refused; empty if valid.

    ``bounded=False`` (the engine, building a saved ruleset) lets a spec past
    the width and precision bounds through: the rule still scores, and
    :func:`render_placeholders` prints that value plainly.
    """
    errors: list[str] = []
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError as error:
        return [f"The text has a broken placeholder ({error}); write {{{{ for a brace."]
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in schema.by_name:
            errors.append(f"Unknown name '{name}' in a placeholder.")
            continue
        if conversion or "{" in (spec or ""):
            errors.append(f"Write the placeholder for {name} as {{{name}}} or {{{name}:.1f}}.")
            continue
        symbol = schema.by_name[name]
        numeric = symbol.kind in _NUMERIC_KINDS
        if spec in PROSE_FORMATS:
            if not numeric:
                errors.append(f"'{spec}' formats a number, and {name} is not one.")
            continue
        size_errors = spec_size_errors(name, spec or "")
        if size_errors:
            if bounded:
                errors.extend(size_errors)
            continue  # never formatted here: that is the cost
        sample: Any = 1.5 if numeric else "text"
        try:
            format(sample, spec or "")
        except (ValueError, TypeError):
            errors.append(
                f"'{spec}' is not a format for {name} (try .1f, or usd for money and "
                "volume for counts at three significant figures)."
            )
    return errors


def render_placeholders(text: str, facts: Mapping[str, Any]) -> str:
    """``text`` with its placeholders filled from ``facts``; never raises.

    Saved texts were validated; a figure that is missing or null reads "n/a",
    and a value its spec cannot format is shown plainly, as is one whose spec
    is wider or more precise than the bounds (a text saved before them).
    """
    if "{" not in text:
        return text
    parts: list[str] = []
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return text
    for literal, name, spec, _conversion in fields:
        parts.append(literal)
        if name is None:
            continue
        value = facts.get(name)
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        if value is None:
            parts.append(NULL_PROSE.get(spec or "", "n/a"))
            continue
        if isinstance(value, (int, decimal.Decimal)) and not isinstance(value, bool):
            value = float(value)
        try:
            if spec in PROSE_FORMATS:
                parts.append(PROSE_FORMATS[spec](value))
            elif spec_size_errors(name, spec or ""):
                parts.append(str(value))
            else:
                parts.append(format(value, spec or ""))
        except (ValueError, TypeError):
            parts.append(str(value))
    return "".join(parts)


def choice_values(choices: Iterable[Any] | None) -> tuple[str, ...]:
    """Values of ``[value, label]`` pairs (or of plain values) as stored on a question."""
    values = []
    for choice in choices or ():
        values.append(str(choice[0] if isinstance(choice, (list, tuple)) else choice))
    return tuple(values)


def referenced_symbols(expression: str) -> list[str]:
    """Names (non-built-in symbols) an expression mentions, in order of first use."""
    names: list[str] = []
    for token in _tokens(expression):
        if token.type == "SYMBOL" and not token.value.startswith("$") and token.value not in names:
            names.append(token.value)
    return names


def _data_type(kind: str) -> Any:
    if kind in ("integer", "number", "float"):
        return DataType.FLOAT
    if kind == "boolean":
        return DataType.BOOLEAN
    if kind in ("choice", "catalog"):
        return DataType.STRING
    if kind == "multi_choice":
        return DataType.ARRAY(DataType.STRING)
    raise ValueError(f"unknown symbol kind {kind!r}")


@functools.lru_cache(maxsize=64)
def _context(schema: ConditionSchema) -> rule_engine.Context:
    # No default_value: a missing answer raises SymbolResolutionError, which
    # the engine reports as a skipped rule instead of silently reading null.
    # mapping_attribute_lookup=False opts out of a fallback rule-engine 6 removes.
    context = rule_engine.Context(
        type_resolver={symbol.name: symbol.data_type for symbol in schema.symbols},
        mapping_attribute_lookup=False,
    )
    # rule-engine has no hook for extra built-ins: replace its set with the
    # defaults plus ours (the regex-groups built-in is unused: regex is refused).
    context.builtins = rule_builtins.Builtins.from_defaults(
        values=EXTRA_BUILTINS,
        value_types=_EXTRA_BUILTIN_TYPES,
        timezone=context.default_timezone,
    )
    return context


def _tokens(text: str) -> Iterator[Any]:
    lexer = rule_engine.Rule.parser._lexer.clone()  # a private clone: lexers are stateful
    lexer.input(text)
    try:
        yield from lexer
    except rule_engine.errors.RuleSyntaxError:
        return  # the parser reports the same error with more context


def _token_errors(text: str) -> list[str]:
    errors: list[str] = []
    for token in _tokens(text):
        if token.type in REGEX_TOKENS and REGEX_MESSAGE not in errors:
            errors.append(REGEX_MESSAGE)
        elif token.type == "FOR" and COMPREHENSION_MESSAGE not in errors:
            errors.append(COMPREHENSION_MESSAGE)
        elif token.type == "SYMBOL" and token.value.startswith("$"):
            name = token.value[1:]
            if name not in ALLOWED_BUILTINS:
                allowed = ", ".join(f"${builtin}" for builtin in sorted(ALLOWED_BUILTINS))
                errors.append(
                    f"The built-in {token.value} is not allowed: a condition may only "
                    f"depend on the answers and cost figures (allowed: {allowed})."
                )
    return errors


def _engine_message(
    error: rule_engine.errors.EngineError, text: str, schema: ConditionSchema
) -> str:
    if isinstance(error, rule_engine.errors.SymbolResolutionError):
        message = f"Unknown name '{error.symbol_name}'."
        if error.symbol_name in ("True", "False", "None", "TRUE", "FALSE", "NULL"):
            message += " Write true, false and null in lower case."
        elif error.suggestion:
            message += f" Did you mean '{error.suggestion}'?"
        return message
    if isinstance(error, rule_engine.errors.RuleSyntaxError):
        token = error.token
        if token is None:
            return "Syntax error: the condition ends too early (an operand or ')' is missing)."
        return f"Syntax error at {token.value!r} (character {token.lexpos + 1})."
    if isinstance(error, rule_engine.errors.EvaluationError) and "mismatch" in error.message:
        return f"Type mismatch: {error.message}.{_types_hint(text, schema)}"
    return f"Invalid condition: {error.message}."


def _types_hint(text: str, schema: ConditionSchema) -> str:
    known = [schema.by_name[name] for name in referenced_symbols(text) if name in schema.by_name]
    if not known:
        return ""
    parts = [f"{symbol.name} is {_human_type(symbol)}" for symbol in known]
    return " Here " + "; ".join(parts) + "."


def _human_type(symbol: Symbol) -> str:
    if symbol.nullable and symbol.kind in ("float", "integer"):
        return _HUMAN_TYPES["float"]
    text = _HUMAN_TYPES.get(symbol.kind, symbol.kind)
    return f"{text} or null" if symbol.nullable else text


def _result_type_errors(rule: rule_engine.Rule) -> list[str]:
    result_type = rule.statement.expression.result_type
    # Exactly BOOLEAN: UNDEFINED, NULL and NULLABLE(BOOLEAN) are all "compatible" too.
    if result_type == DataType.BOOLEAN:
        return []
    return [
        f"A condition must be true or false, but this one gives "
        f"{_HUMAN_RESULT_TYPES.get(result_type.name.lower(), result_type.name.lower())}. "
        "Compare it with something, e.g. monthly_queries > 10000000."
    ]


# Attributes of rule-engine AST nodes that hold sub-expressions.
_CHILD_ATTRIBUTES = (
    "expression", "left", "right", "container", "member", "condition", "case_true",
    "case_false", "result", "iterable", "function", "arguments", "object", "item",
)  # fmt: skip


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children: list[Any] = []
    for attribute in _CHILD_ATTRIBUTES:
        child = getattr(node, attribute, None)
        if isinstance(child, (tuple, list)):
            children.extend(child)
        elif isinstance(child, rule_ast.ASTNodeBase):
            children.append(child)
    if isinstance(node, rule_ast.ArrayExpression) and isinstance(node.value, (tuple, list)):
        children.extend(node.value)
    for child in children:
        if isinstance(child, rule_ast.ASTNodeBase):
            yield from _walk(child)


def _choice_literal_errors(rule: rule_engine.Rule, schema: ConditionSchema) -> list[str]:
    """Catch ``load_pattern == 'stedy'``: type-correct, yet always false."""
    errors: list[str] = []
    for symbol, literal in _compared_literals(rule.statement, schema):
        if literal not in symbol.choices:
            values = ", ".join(repr(choice) for choice in symbol.choices)
            message = f"'{literal}' is not a value of {symbol.name} (one of {values})."
            if message not in errors:
                errors.append(message)
    return errors


_LITERALS = (
    rule_ast.StringExpression,
    rule_ast.FloatExpression,
    rule_ast.BooleanExpression,
    rule_ast.NullExpression,
)
_LITERAL_TYPE_WORDS = {"STRING": "text", "FLOAT": "a number", "BOOLEAN": "true/false"}


def _literal_type_errors(rule: rule_engine.Rule, schema: ConditionSchema) -> list[str]:
    """Catch ``monthly_queries == 'x'``: rule-engine accepts it, and it is never true.

    ``==``/``!=`` between a name and a literal, and ``in`` between a name and
    a literal list (or a literal and a list-valued name), must agree on the
    type; ``null`` only for a name that can be null (a cost figure).
    """
    errors: list[str] = []

    def check(symbol: Symbol, literal: Any, expected: Any) -> None:
        message = _mismatch(symbol, literal, expected)
        if message and message not in errors:
            errors.append(message)

    for node in _walk(rule.statement):
        if isinstance(node, rule_ast.ComparisonExpression) and node.type.upper() in ("EQ", "NE"):
            for side, other in ((node.left, node.right), (node.right, node.left)):
                symbol = _named_symbol(side, schema)
                if symbol is None:
                    continue
                if isinstance(other, _LITERALS):
                    check(symbol, other, symbol.data_type)
                elif isinstance(other, rule_ast.ArrayExpression) and symbol.kind == "multi_choice":
                    for item in _literal_items(other):
                        check(symbol, item, DataType.STRING)
        elif isinstance(node, rule_ast.ContainsExpression):
            container = _named_symbol(node.container, schema)
            if container is not None and isinstance(node.member, _LITERALS):
                check(container, node.member, DataType.STRING)  # only lists of text are typed
            member = _named_symbol(node.member, schema)
            if member is not None and isinstance(node.container, rule_ast.ArrayExpression):
                for item in _literal_items(node.container):
                    check(member, item, member.data_type)
    return errors


def _named_symbol(node: Any, schema: ConditionSchema) -> Symbol | None:
    if isinstance(node, rule_ast.SymbolExpression) and node.scope is None:
        return schema.by_name.get(node.name)
    return None


def _literal_items(node: Any) -> list[Any]:
    values = node.value if isinstance(node.value, (tuple, list)) else ()
    return [item for item in values if isinstance(item, _LITERALS)]


def _mismatch(symbol: Symbol, literal: Any, expected: Any) -> str:
    """The message for ``symbol`` compared with ``literal`` where ``expected`` fits; or ""."""
    if isinstance(literal, rule_ast.NullExpression):
        if symbol.nullable:
            return ""
        return (
            f"Type mismatch: {symbol.name} is {_human_type(symbol)} and is never null, "
            f"so comparing it with null is never true."
        )
    wanted = getattr(expected, "inner_type", expected)  # NULLABLE(FLOAT) -> FLOAT
    if DataType.is_compatible(wanted, literal.result_type):
        return ""
    found = _LITERAL_TYPE_WORDS.get(literal.result_type.name, literal.result_type.name.lower())
    shown = _literal_text(literal)
    return (
        f"Type mismatch: {symbol.name} is {_human_type(symbol)}, but {shown} is {found}, "
        f"so they are never equal. Compare {symbol.name} with "
        f"{_LITERAL_TYPE_WORDS.get(wanted.name, 'a value of its type')}."
    )


def _literal_text(literal: Any) -> str:
    if isinstance(literal, rule_ast.StringExpression):
        return repr(literal.value)
    if isinstance(literal, rule_ast.BooleanExpression):
        return "true" if literal.value else "false"
    return str(literal.value)


def _compared_literals(root: Any, schema: ConditionSchema) -> Iterator[tuple[Symbol, str]]:
    def choice_symbol(node: Any) -> Symbol | None:
        if isinstance(node, rule_ast.SymbolExpression) and node.scope is None:
            symbol = schema.by_name.get(node.name)
            if symbol is not None and symbol.choices:
                return symbol
        return None

    def string_values(node: Any) -> list[str]:
        if isinstance(node, rule_ast.StringExpression):
            return [node.value]
        if isinstance(node, rule_ast.ArrayExpression) and isinstance(node.value, (tuple, list)):
            return [
                item.value for item in node.value if isinstance(item, rule_ast.StringExpression)
            ]
        return []

    for node in _walk(root):
        if isinstance(node, rule_ast.ComparisonExpression) and node.type.upper() in ("EQ", "NE"):
            for side, other in ((node.left, node.right), (node.right, node.left)):
                symbol = choice_symbol(side)
                if symbol is not None and isinstance(other, rule_ast.StringExpression):
                    yield symbol, other.value
        elif isinstance(node, rule_ast.ContainsExpression):
            # 'hipaa' in regimes  /  load_pattern in ['steady', 'spiky']
            container_symbol = choice_symbol(node.container)
            member_symbol = choice_symbol(node.member)
            if container_symbol is not None and container_symbol.kind == "multi_choice":
                for value in string_values(node.member):
                    yield container_symbol, value
            if member_symbol is not None:
                for value in string_values(node.container):
                    yield member_symbol, value


# --- a fast evaluator for the common subset -----------------------------------
#
# rule-engine walks its typed AST with Decimal arithmetic and re-validates
# every function call on every evaluation: about 30-300 µs per expression.
# Re-scoring hundreds of Monte Carlo draws (and the 2 ms budget of one
# evaluation) needs less, so an expression that only uses the nodes below is
# also translated into nested Python closures over plain floats. Parsing and
# type checks stay rule-engine's (the expression compiled already); anything
# outside the subset keeps rule-engine's own evaluation (``None`` here).
# tests/rules/test_fast_evaluator.py checks both agree on the seeded rules.

Evaluator = Callable[[Mapping[str, Any]], Any]

_FAST_BUILTINS: Mapping[str, Any] = {
    "log": math.log,  # raises below or at 0: the rule is skipped, as with rule-engine
    "tanh": math.tanh,
    "abs": abs,
    "max": max,
    "min": min,
    "sum": sum,
    "any": any,
    "all": all,
}
_ARITHMETIC: Mapping[str, Callable[[Any, Any], Any]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "tdiv": lambda a, b: a / b,
    # No fdiv/mod: Decimal and float round negative operands differently.
    "pow": lambda a, b: a**b,
}
_ORDERED: Mapping[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


class _Unsupported(Exception):
    """A node outside the fast subset: keep rule-engine's evaluation."""


def fast_evaluator(rule: rule_engine.Rule) -> Evaluator | None:
    """A Python closure equivalent to ``rule.evaluate``, or None outside the subset."""
    try:
        return _translate(rule.statement.expression)
    except _Unsupported:
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, list):
        return tuple(value)
    return value


def _translate(node: Any) -> Evaluator:
    kind = type(node).__name__
    if kind in ("FloatExpression", "StringExpression", "BooleanExpression", "NullExpression"):
        constant = _plain(node.value)
        return lambda facts: constant
    if kind == "ArrayExpression":
        items = tuple(_translate(item) for item in node.value)
        return lambda facts: tuple(item(facts) for item in items)
    if kind == "SymbolExpression":
        name = node.name
        if node.scope is None:
            # A missing answer raises KeyError: the engine skips and reports the rule.
            return lambda facts: _plain(facts[name])
        if name in ("e", "pi"):
            constant = getattr(math, name)
            return lambda facts: constant
        raise _Unsupported(name)
    if kind == "FunctionCallExpression":
        function = node.function
        if type(function).__name__ != "SymbolExpression" or function.scope is None:
            raise _Unsupported(kind)
        builtin = _FAST_BUILTINS.get(function.name)
        if builtin is None:
            raise _Unsupported(function.name)
        arguments = tuple(_translate(argument) for argument in node.arguments)
        return lambda facts: builtin(*(argument(facts) for argument in arguments))
    if kind == "UnaryExpression":
        operand = _translate(node.right)
        if node.type.lower() == "not":
            return lambda facts: not operand(facts)
        if node.type.lower() == "uminus":
            return lambda facts: -operand(facts)
        raise _Unsupported(node.type)
    if kind == "CoalesceExpression":
        left, right = _translate(node.left), _translate(node.right)

        def coalesce(facts: Mapping[str, Any]) -> Any:
            value = left(facts)
            return right(facts) if value is None else value

        return coalesce
    if kind == "TernaryExpression":
        condition = _translate(node.condition)
        case_true, case_false = _translate(node.case_true), _translate(node.case_false)
        return lambda facts: case_true(facts) if condition(facts) else case_false(facts)
    if kind == "ContainsExpression":
        container, member = _translate(node.container), _translate(node.member)
        return lambda facts: member(facts) in container(facts)
    if kind == "AddExpression":
        # rule-engine's "+" adds numbers and joins strings; both operands
        # are one or the other (the schema checked it when the rule compiled).
        augend, addend = _translate(node.left), _translate(node.right)

        def add(facts: Mapping[str, Any]) -> Any:
            a, b = augend(facts), addend(facts)
            return a + b if isinstance(a, str) else float(a + b)

        return add
    operator = getattr(node, "type", "").lower()
    if kind in ("LogicExpression", "ComparisonExpression", "ArithmeticComparisonExpression",
                "ArithmeticExpression"):  # fmt: skip
        left, right = _translate(node.left), _translate(node.right)
        if kind == "LogicExpression" and operator == "and":
            return lambda facts: bool(left(facts)) and bool(right(facts))
        if kind == "LogicExpression" and operator == "or":
            return lambda facts: bool(left(facts)) or bool(right(facts))
        if kind == "ComparisonExpression" and operator == "eq":
            return lambda facts: left(facts) == right(facts)
        if kind == "ComparisonExpression" and operator == "ne":
            return lambda facts: left(facts) != right(facts)
        if kind == "ArithmeticComparisonExpression" and operator in _ORDERED:
            compare = _ORDERED[operator]
            return lambda facts: compare(left(facts), right(facts))
        if kind == "ArithmeticExpression" and operator in _ARITHMETIC:
            operate = _ARITHMETIC[operator]
            return lambda facts: float(operate(left(facts), right(facts)))
    raise _Unsupported(kind)
