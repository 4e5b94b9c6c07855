"""The rules engine: answers and cost figures in, a scored recommendation out.

Pure (no Django): :func:`compile_ruleset` turns rule specs into compiled rules
once per ruleset; :func:`evaluate` scores one set of answers.

How a recommendation is made
    1. Every option starts from :data:`BASE_SCORES`. The API starts with a
       small lead because the brief makes it the default ("use commercial APIs
       as the default; self-host only when you have a specific reason"); the
       lead is smaller than any seeded rule, so it only decides near-ties.
    2. Scoring rules (conditions over answers and derived cost figures) are
       evaluated in rule order. A rule that fires adds its score deltas and
       rules out the options it excludes (with its title as the reason).
    3. The recommendation is the highest-scoring option that is not excluded.
       Ties go to the first of :data:`TIE_BREAK_ORDER` (api, hybrid,
       self_host: the brief's default first, then the lighter operational
       commitment). If every option is excluded, the recommendation is None
       and ``excluded_by`` names the rules that did it.
    4. Outcome rules (conditions reading ``recommendation`` or
       ``excluded_options``) are evaluated last. They may only add caveats,
       e.g. the first-year overhead whenever self-hosting is recommended.

A rule that cannot be evaluated (a missing answer, a condition that no longer
compiles against the schema, arithmetic on a zero) is *skipped*: it is
reported in ``Evaluation.skipped`` with the error, never raised.

Confidence (0..1)
    ``0`` without a recommendation. With exactly one option left after
    exclusions: :data:`SOLE_OPTION_CONFIDENCE` (the exclusions decide; what
    remains uncertain is whether the answers were right). Otherwise
    ``0.5 + 0.5 x tanh(margin / CONFIDENCE_SCALE)`` where ``margin`` is the
    winner's lead over the runner-up among the options still allowed: a tie
    gives 0.5 (a coin toss between two), a lead of one strong rule (3 points)
    about 0.88, two strong rules about 0.98. Each skipped rule then takes off
    :data:`SKIPPED_RULE_PENALTY` of it (at most half), because the answer was
    reached without all the evidence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.rules.answers import QuestionSpec
from advisor.rules.conditions import (
    OPTIONS,
    OUTCOME_NAMES,
    ConditionSchema,
    InvalidCondition,
    compile_condition,
    referenced_symbols,
    validate_effect,
)

BASE_SCORES: Mapping[str, float] = {"api": 0.5, "self_host": 0.0, "hybrid": 0.0}
TIE_BREAK_ORDER: tuple[str, ...] = ("api", "hybrid", "self_host")
CONFIDENCE_SCALE = 3.0
SOLE_OPTION_CONFIDENCE = 0.95
SKIPPED_RULE_PENALTY = 0.05


@dataclass(frozen=True)
class RuleSpec:
    """A rule as stored (mirror of the ``Rule`` model), before compilation."""

    code: str
    title: str
    condition: str
    rationale: str
    score_deltas: Mapping[str, float] = field(default_factory=dict)
    excludes: tuple[str, ...] = ()
    caveat_code: str = ""
    caveat_text: str = ""
    source: str = ""
    order: int = 0


@dataclass(frozen=True)
class CompiledRule:
    """A rule whose condition compiled against the ruleset's schema."""

    spec: RuleSpec
    condition: Any = field(compare=False, repr=False)  # a rule_engine.Rule
    reads_outcome: bool = False


@dataclass(frozen=True)
class SkippedRule:
    code: str
    title: str
    error: str


@dataclass(frozen=True)
class CompiledRuleset:
    """Everything :func:`evaluate` needs; built once per ruleset version."""

    name: str
    version: str
    questions: tuple[QuestionSpec, ...]
    schema: ConditionSchema
    rules: tuple[CompiledRule, ...]
    # Rules refused at compile time; reported as skipped in every evaluation.
    invalid: tuple[SkippedRule, ...] = ()


@dataclass(frozen=True)
class FiredRule:
    code: str
    title: str
    rationale: str
    score_deltas: Mapping[str, float]
    excludes: tuple[str, ...]
    source: str
    caveat_code: str = ""
    caveat_text: str = ""

    @property
    def effect(self) -> dict[str, Any]:
        return {"score_deltas": dict(self.score_deltas), "excludes": list(self.excludes)}

    @property
    def strength(self) -> float:
        """Exclusions outrank any score delta; then the largest absolute delta."""
        if self.excludes:
            return math.inf
        return max((abs(delta) for delta in self.score_deltas.values()), default=0.0)


@dataclass(frozen=True)
class Caveat:
    code: str
    text: str


@dataclass(frozen=True)
class Evaluation:
    """The engine's verdict on one set of answers."""

    recommendation: str | None
    confidence: float
    scores: Mapping[str, float]
    excluded: Mapping[str, tuple[str, ...]]  # option -> reasons (rule titles)
    excluded_by: Mapping[str, tuple[str, ...]]  # option -> rule codes
    fired: tuple[FiredRule, ...]  # strongest first
    caveats: tuple[Caveat, ...]
    skipped: tuple[SkippedRule, ...]


def compile_ruleset(
    *,
    name: str,
    version: str,
    questions: Sequence[QuestionSpec],
    rules: Iterable[RuleSpec],
    derived_figures: Mapping[str, str],
) -> CompiledRuleset:
    """Compile every rule's condition against the questions and derived figures.

    Rules are kept in ``(order, code)`` order. A rule that does not compile,
    or whose effect is invalid, goes to ``invalid`` instead of raising: the
    admin validated it on save, so this only happens when the schema changed
    under it, and one bad rule must not take the whole ruleset down.
    """
    schema = ConditionSchema.from_questions(questions, derived_figures)
    compiled: list[CompiledRule] = []
    invalid: list[SkippedRule] = []
    for spec in sorted(rules, key=lambda rule: (rule.order, rule.code)):
        problems = validate_effect(spec.condition, dict(spec.score_deltas), list(spec.excludes))
        try:
            condition = compile_condition(spec.condition, schema)
        except InvalidCondition as error:
            problems = list(error.messages) + problems
        if problems:
            invalid.append(SkippedRule(spec.code, spec.title, " ".join(problems)))
            continue
        reads_outcome = bool(OUTCOME_NAMES.intersection(referenced_symbols(spec.condition)))
        compiled.append(CompiledRule(spec, condition, reads_outcome))
    return CompiledRuleset(name, version, tuple(questions), schema, tuple(compiled), tuple(invalid))


def evaluate(
    ruleset: CompiledRuleset,
    answers: Mapping[str, Any],
    derived_figures: Mapping[str, Any],
) -> Evaluation:
    """Score ``answers`` (typed, defaults applied) and ``derived_figures``.

    Deterministic: the same inputs give an equal :class:`Evaluation`.
    """
    facts = {**_clean_figures(derived_figures), **answers}
    scores = dict(BASE_SCORES)
    excluded_by: dict[str, list[FiredRule]] = {option: [] for option in OPTIONS}
    fired: list[FiredRule] = []
    skipped = list(ruleset.invalid)

    scoring = [rule for rule in ruleset.rules if not rule.reads_outcome]
    for rule in scoring:
        outcome = _fires(rule, facts)
        if isinstance(outcome, SkippedRule):
            skipped.append(outcome)
            continue
        if outcome:
            hit = _fired(rule.spec)
            fired.append(hit)
            for option, delta in hit.score_deltas.items():
                scores[option] += delta
            for option in hit.excludes:
                excluded_by[option].append(hit)

    allowed = [option for option in TIE_BREAK_ORDER if not excluded_by[option]]
    recommendation = max(allowed, key=lambda option: scores[option], default=None)
    # max() keeps the first of equal maxima, so TIE_BREAK_ORDER breaks ties.

    outcome_facts = {
        **facts,
        "recommendation": recommendation,
        "excluded_options": tuple(option for option in OPTIONS if excluded_by[option]),
    }
    for rule in ruleset.rules:
        if not rule.reads_outcome:
            continue
        outcome = _fires(rule, outcome_facts)
        if isinstance(outcome, SkippedRule):
            skipped.append(outcome)
        elif outcome:
            fired.append(_fired(rule.spec))

    return Evaluation(
        recommendation=recommendation,
        confidence=_confidence(recommendation, allowed, scores, len(skipped)),
        scores={option: float(scores[option]) for option in OPTIONS},
        excluded={
            option: tuple(hit.title for hit in hits) for option, hits in excluded_by.items() if hits
        },
        excluded_by={
            option: tuple(hit.code for hit in hits) for option, hits in excluded_by.items() if hits
        },
        fired=_strongest_first(fired),
        caveats=_caveats(fired),
        skipped=tuple(skipped),
    )


def _clean_figures(figures: Mapping[str, Any]) -> dict[str, Any]:
    # Derived figures are NULLABLE in the schema: a non-finite figure (a ratio
    # over a zero cost) means "no such figure", the same as None.
    cleaned: dict[str, Any] = {}
    for name, value in figures.items():
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        cleaned[name] = value
    return cleaned


def _fires(rule: CompiledRule, facts: Mapping[str, Any]) -> bool | SkippedRule:
    spec = rule.spec
    try:
        result = rule.condition.evaluate(facts)
    # A condition that fails at evaluation time must never fail the request:
    # rule-engine raises EngineError subclasses, but a resolver or decimal
    # edge case may raise something else; all of them mean "skip and report".
    except Exception as error:
        message = getattr(error, "message", "") or str(error) or type(error).__name__
        return SkippedRule(spec.code, spec.title, _describe_error(message, error))
    if not isinstance(result, bool):
        return SkippedRule(spec.code, spec.title, f"gave {result!r} instead of true or false")
    return result


def _describe_error(message: str, error: Exception) -> str:
    symbol = getattr(error, "symbol_name", None)
    if symbol:
        return f"no value for '{symbol}' ({message})"
    return message


def _fired(spec: RuleSpec) -> FiredRule:
    deltas = {option: float(delta) for option, delta in spec.score_deltas.items() if delta}
    return FiredRule(
        code=spec.code,
        title=spec.title,
        rationale=spec.rationale,
        score_deltas=deltas,
        excludes=tuple(spec.excludes),
        source=spec.source,
        caveat_code=spec.caveat_code,
        caveat_text=spec.caveat_text,
    )


def _strongest_first(fired: Sequence[FiredRule]) -> tuple[FiredRule, ...]:
    # sorted() is stable: equal strengths keep rule order.
    return tuple(sorted(fired, key=lambda hit: -hit.strength))


def _caveats(fired: Sequence[FiredRule]) -> tuple[Caveat, ...]:
    caveats: dict[str, Caveat] = {}
    for hit in fired:  # rule order: the first rule to raise a caveat words it
        if hit.caveat_code and hit.caveat_code not in caveats:
            caveats[hit.caveat_code] = Caveat(hit.caveat_code, hit.caveat_text)
    return tuple(caveats.values())


def _confidence(
    recommendation: str | None,
    allowed: Sequence[str],
    scores: Mapping[str, float],
    skipped_count: int,
) -> float:
    if recommendation is None:
        return 0.0
    if len(allowed) == 1:
        confidence = SOLE_OPTION_CONFIDENCE
    else:
        runner_up = max(scores[option] for option in allowed if option != recommendation)
        margin = scores[recommendation] - runner_up
        confidence = 0.5 + 0.5 * math.tanh(margin / CONFIDENCE_SCALE)
    penalty = min(0.5, SKIPPED_RULE_PENALTY * skipped_count)
    return round(confidence * (1 - penalty), 4)
