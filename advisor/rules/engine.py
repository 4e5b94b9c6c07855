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
       A score delta is a number or an expression over the same names
       (``conditions.compile_effect``), so evidence such as the cost ratio
       counts in proportion, with no cliff at a threshold.
    3. Two questions, answered in order (design.md, "Decision model v2"):
       first "the API, or run your own models?", then, if running your own,
       "self-host everything, or the hybrid?". "Your own" scores as its
       better allowed option (the answer to the second question), so the
       result is the highest-scoring option that is not excluded, ties going
       to the first of :data:`TIE_BREAK_ORDER` (api, hybrid, self_host: the
       brief's default first, then the lighter operational commitment). If
       every option is excluded, the recommendation is None and
       ``excluded_by`` names the rules that did it.
    4. Outcome rules (conditions reading ``recommendation`` or
       ``excluded_options``) are evaluated last. They may only add caveats,
       e.g. the first-year overhead whenever self-hosting is recommended.
    5. Reasons are split into those **for** the recommendation and those
       **against** it (:func:`split_reasons`), per question; when a cheaper
       option exists (allowed or excluded), ``cheaper_options`` says by how
       much and which rules outweighed it.
    6. A compliance follow-up answered "unknown" (a yes/no/unknown question
       shown by its show-if) is an *open question*: the decision is also
       made with "yes" and with "no", so the advice can say "check X first:
       if yes, …; if no, …", and confidence is lower than with either answer.

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
    reached without all the evidence. With open questions it is at most the
    confidence with any of their answers, at most 0.5 when an answer would
    change the recommendation, times :data:`OPEN_QUESTION_FACTOR`. (The
    product's displayed confidence is the Monte Carlo share of design.md,
    "Uncertainty"; this one is its fallback.)

Fast re-scoring
    :func:`evaluate_recommendations` gives the same recommendation as
    :func:`evaluate` for many (answers, figures) draws: rules that read only
    answers are evaluated once per distinct answers, the rest per draw.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from advisor.options import OPTIONS, V3_OPTIONS
from advisor.rules.answers import QuestionSpec
from advisor.rules.conditions import (
    MAX_SCORE_DELTA,
    OUTCOME_NAMES,
    ConditionSchema,
    InvalidCondition,
    compile_condition,
    compile_effect,
    fast_evaluator,
    referenced_symbols,
    render_placeholders,
    validate_effect,
    validate_placeholders,
)
from advisor.scoring.effects import CostEffect, Effect

BASE_SCORES: Mapping[str, float] = {"api": 0.5, "self_host": 0.0, "hybrid": 0.0}
TIE_BREAK_ORDER: tuple[str, ...] = ("api", "hybrid", "self_host")
CONFIDENCE_SCALE = 3.0
SOLE_OPTION_CONFIDENCE = 0.95
SKIPPED_RULE_PENALTY = 0.05
OPEN_QUESTION_FACTOR = 0.9
# Choice values of a follow-up question whose "unknown" is an open question.
FOLLOW_UP_VALUES = frozenset({"yes", "no", "unknown"})
OWN_OPTIONS: tuple[str, ...] = ("hybrid", "self_host")  # TIE_BREAK_ORDER without the API
API_OR_OWN = "api_or_own"
SELF_HOST_OR_HYBRID = "self_host_or_hybrid"


@dataclass(frozen=True)
class RuleSpec:
    """A rule as stored (mirror of the ``Rule`` model), before compilation."""

    code: str
    title: str
    condition: str
    rationale: str
    # A number, or an expression over the context (conditions.compile_effect).
    score_deltas: Mapping[str, float | str] = field(default_factory=dict)
    excludes: tuple[str, ...] = ()
    caveat_code: str = ""
    caveat_text: str = ""
    source: str = ""
    order: int = 0
    # Decision model v3: typed cost, range and check effects (advisor.scoring.effects).
    effects: tuple[Effect, ...] = ()
    # Why the stored rule could not be read (an effect edited around the admin):
    # the rule is then skipped and reported, like one that does not compile.
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompiledRule:
    """A rule whose condition and score expressions compiled against the schema.

    ``effects`` pairs each option with a constant delta or a compiled
    expression. ``reads_figures`` says whether the rule depends on derived
    cost figures (condition or effects); ``answer_keys`` are the answers it
    reads (used to cache answer-only rules across draws).
    """

    spec: RuleSpec
    condition: Any = field(compare=False, repr=False)  # a rule_engine.Rule
    reads_outcome: bool = False
    effects: tuple[tuple[str, Any], ...] = field(default=(), compare=False, repr=False)
    reads_figures: bool = False
    answer_keys: tuple[str, ...] = ()
    # condition.evaluate, or its fast equivalent (conditions.fast_evaluator).
    check: Any = field(default=None, compare=False, repr=False)

    @property
    def has_effect(self) -> bool:
        """Whether firing can change a score or exclude an option."""
        return bool(self.spec.excludes) or any(
            not isinstance(delta, (int, float)) or delta != 0 for _option, delta in self.effects
        )


@dataclass(frozen=True)
class FollowUp:
    """A yes/no/unknown follow-up question (HIPAA's BAA, FedRAMP, provider region…)."""

    key: str
    prompt: str
    show_if: Any = field(compare=False, repr=False)  # a rule_engine.Rule, or None: always asked


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
    follow_ups: tuple[FollowUp, ...] = ()
    figure_names: frozenset[str] = frozenset()
    # 2: score points decide (v2); 3: the money decides (advisor.scoring).
    decision_model: int = 2


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
    effects: tuple[Effect, ...] = ()

    @property
    def effect(self) -> dict[str, Any]:
        effect: dict[str, Any] = {
            "score_deltas": dict(self.score_deltas),
            "excludes": list(self.excludes),
        }
        if self.effects:
            effect["effects"] = [typed.to_dict() for typed in self.effects]
        return effect

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
class DecisionStep:
    """One of the two questions, its answer and the rules for and against it.

    ``asked`` is False for the second question when the API was chosen: its
    answer is then the own option that would have been picked.
    """

    question: str  # API_OR_OWN or SELF_HOST_OR_HYBRID
    answer: str | None
    alternative: str | None  # the option it was chosen over (None: the only one allowed)
    reasons_for: tuple[str, ...]  # rule codes, strongest first
    reasons_against: tuple[str, ...]
    asked: bool = True


@dataclass(frozen=True)
class CheaperOption:
    """An option cheaper over the horizon than the recommendation, and why it lost."""

    option: str
    difference_usd: float  # recommendation's TCO minus this option's, > 0
    excluded: bool
    reasons: tuple[str, ...]  # rule codes: exclusions, else the rules that outweighed it


@dataclass(frozen=True)
class OpenQuestion:
    """A follow-up answered "unknown", and what each answer would recommend."""

    key: str
    prompt: str
    if_yes: str | None
    if_no: str | None

    @property
    def changes_answer(self) -> bool:
        return self.if_yes != self.if_no


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
    reasons_for: tuple[str, ...] = ()  # rule codes, strongest first
    reasons_against: tuple[str, ...] = ()
    steps: tuple[DecisionStep, ...] = ()
    cheaper_options: tuple[CheaperOption, ...] = ()
    open_questions: tuple[OpenQuestion, ...] = ()

    def fired_rule(self, code: str) -> FiredRule | None:
        return next((hit for hit in self.fired if hit.code == code), None)


def compile_ruleset(
    *,
    name: str,
    version: str,
    questions: Sequence[QuestionSpec],
    rules: Iterable[RuleSpec],
    derived_figures: Mapping[str, str],
    decision_model: int = 2,
) -> CompiledRuleset:
    """Compile every rule's condition and score expressions against the schema.

    Rules are kept in ``(order, code)`` order. A rule that does not compile,
    or whose effect is invalid, goes to ``invalid`` instead of raising: the
    admin validated it on save, so this only happens when the schema changed
    under it, and one bad rule must not take the whole ruleset down.
    """
    schema = ConditionSchema.from_questions(questions, derived_figures)
    figure_names = frozenset(derived_figures)
    compiled: list[CompiledRule] = []
    invalid: list[SkippedRule] = []
    for spec in sorted(rules, key=lambda rule: (rule.order, rule.code)):
        problems = validate_effect(
            spec.condition, dict(spec.score_deltas), list(spec.excludes), schema
        )
        problems += list(spec.problems)
        # Unbounded: a width saved before the bound renders plainly, the rule still scores.
        problems += validate_placeholders(spec.caveat_text, schema, bounded=False)
        problems += validate_placeholders(spec.rationale, schema, bounded=False)
        try:
            condition = compile_condition(spec.condition, schema)
        except InvalidCondition as error:
            problems = list(error.messages) + problems
        if problems:
            invalid.append(SkippedRule(spec.code, spec.title, " ".join(problems)))
            continue
        names = set(referenced_symbols(spec.condition))
        effects: list[tuple[str, Any]] = []
        for option, delta in spec.score_deltas.items():
            if isinstance(delta, str):
                effect = compile_effect(delta, schema)
                effects.append((option, fast_evaluator(effect) or effect.evaluate))
                names.update(referenced_symbols(delta))
            else:
                effects.append((option, float(delta)))
        compiled.append(
            CompiledRule(
                spec,
                condition,
                reads_outcome=bool(OUTCOME_NAMES & names),
                effects=tuple(effects),
                reads_figures=bool(figure_names & names),
                answer_keys=tuple(sorted(names - figure_names - OUTCOME_NAMES)),
                check=fast_evaluator(condition) or condition.evaluate,
            )
        )
    return CompiledRuleset(
        name,
        version,
        tuple(questions),
        schema,
        tuple(compiled),
        tuple(invalid),
        _follow_ups(questions),
        figure_names,
        decision_model,
    )


def _follow_ups(questions: Sequence[QuestionSpec]) -> tuple[FollowUp, ...]:
    answers_schema = ConditionSchema.from_questions(questions, outcome=False)
    follow_ups = []
    for question in questions:
        values = {value for value, _label in question.choices}
        if question.type != "choice" or not values >= FOLLOW_UP_VALUES:
            continue
        try:
            show_if = (
                compile_condition(question.show_if, answers_schema)
                if question.show_if.strip()
                else None
            )
        except InvalidCondition:
            continue  # publishing refuses such a show-if; never fail scoring on it
        follow_ups.append(FollowUp(question.key, question.prompt, show_if))
    return tuple(follow_ups)


# Decision model v3 decides outside the engine, on money: given the options
# still allowed and the rules that fired (their typed effects), it returns the
# recommendation (advisor.scoring.verdicts builds one).
Choose = Callable[[Sequence[str], Sequence["FiredRule"]], str | None]


def evaluate(
    ruleset: CompiledRuleset,
    answers: Mapping[str, Any],
    derived_figures: Mapping[str, Any],
    *,
    choose: Choose | None = None,
) -> Evaluation:
    """Score ``answers`` (typed, defaults applied) and ``derived_figures``.

    Deterministic: the same inputs give an equal :class:`Evaluation`. With
    ``choose`` (decision model v3), the rules decide what is allowed and
    which effects apply, and ``choose`` the recommendation among the four
    options; outcome rules then read that.
    """
    evaluation = _evaluate(ruleset, answers, derived_figures, choose)
    open_questions = []
    confidences = [evaluation.confidence]
    for follow_up in ruleset.follow_ups:
        if answers.get(follow_up.key) != "unknown" or not _shown(follow_up, answers):
            continue
        if_yes = _evaluate(ruleset, {**answers, follow_up.key: "yes"}, derived_figures, choose)
        if_no = _evaluate(ruleset, {**answers, follow_up.key: "no"}, derived_figures, choose)
        question = OpenQuestion(
            follow_up.key, follow_up.prompt, if_yes.recommendation, if_no.recommendation
        )
        open_questions.append(question)
        confidences += [if_yes.confidence, if_no.confidence]
        if question.changes_answer or question.if_yes != evaluation.recommendation:
            confidences.append(0.5)  # until it is checked, the answer is a coin toss
    if not open_questions:
        return evaluation
    confidence = min(confidences) * OPEN_QUESTION_FACTOR ** len(open_questions)
    return replace(
        evaluation, confidence=round(confidence, 4), open_questions=tuple(open_questions)
    )


def recommend(
    ruleset: CompiledRuleset,
    answers: Mapping[str, Any],
    derived_figures: Mapping[str, Any],
    *,
    choose: Choose,
) -> str | None:
    """:func:`evaluate`'s recommendation alone (decision model v3), for variations.

    The gates and the rules' effects decide what ``choose`` is asked; the
    outcome rules, the open follow-ups and the texts change nothing of it.
    """
    facts = {**_clean_figures(derived_figures), **answers}
    fired, _could_not_run = _apply_all(ruleset.rules, facts, reads_outcome=False)
    excluded = {option for hit in fired for option in hit.excludes}
    return choose([option for option in V3_OPTIONS if option not in excluded], tuple(fired))


def _shown(follow_up: FollowUp, answers: Mapping[str, Any]) -> bool:
    if follow_up.show_if is None:
        return True
    try:
        return bool(follow_up.show_if.evaluate(dict(answers)))
    except Exception:  # a missing answer: not asked
        return False


def _evaluate(
    ruleset: CompiledRuleset,
    answers: Mapping[str, Any],
    derived_figures: Mapping[str, Any],
    choose: Choose | None = None,
) -> Evaluation:
    facts = {**_clean_figures(derived_figures), **answers}
    scores = dict(BASE_SCORES)
    excluded_by: dict[str, list[FiredRule]] = {option: [] for option in V3_OPTIONS}
    fired, could_not_run = _apply_all(ruleset.rules, facts, reads_outcome=False)
    skipped = [*ruleset.invalid, *could_not_run]
    for hit in fired:
        for option, delta in hit.score_deltas.items():
            scores[option] += delta
        for option in hit.excludes:
            excluded_by[option].append(hit)

    allowed = [option for option in TIE_BREAK_ORDER if not excluded_by[option]]
    if choose is not None:
        recommendation = choose(
            [option for option in V3_OPTIONS if not excluded_by[option]], tuple(fired)
        )
    else:
        recommendation = _decide(allowed, scores)

    outcome_facts = {
        **facts,
        "recommendation": recommendation,
        "excluded_options": tuple(option for option in V3_OPTIONS if excluded_by[option]),
    }
    fired_after, skipped_after = _apply_all(ruleset.rules, outcome_facts, reads_outcome=True)
    fired += fired_after
    skipped += skipped_after

    if choose is not None:
        # v3: no score points; the verdict carries the confidence and the money.
        steps: tuple[DecisionStep, ...] = ()
        reasons_for, reasons_against = money_reasons(recommendation, fired)
        confidence = 0.0
        cheaper: tuple[CheaperOption, ...] = ()
    else:
        steps = decision_steps(recommendation, allowed, scores, fired)
        reasons_for, reasons_against = split_reasons(recommendation, allowed, scores, fired)
        confidence = _confidence(recommendation, allowed, scores, len(skipped))
        cheaper = _cheaper_options(recommendation, excluded_by, fired, facts)
    return Evaluation(
        recommendation=recommendation,
        confidence=confidence,
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
        reasons_for=reasons_for,
        reasons_against=reasons_against,
        steps=steps,
        cheaper_options=cheaper,
    )


def money_reasons(
    recommendation: str | None, fired: Sequence[FiredRule]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Decision model v3's reasons, as rule codes: (for, against) the recommendation.

    A rule is *for* it when it rules out or adds cost to another option and
    not to it; *against* it when it adds cost to it. Exclusions first, then
    rule order.
    """
    if recommendation is None:
        return (), ()
    for_it: list[tuple[int, str]] = []
    against: list[str] = []
    for hit in fired:
        costed = {
            option
            for effect in hit.effects
            if isinstance(effect, CostEffect)
            for option in effect.options
        }
        if recommendation in costed:
            against.append(hit.code)
        elif hit.excludes and recommendation not in hit.excludes:
            for_it.append((0, hit.code))
        elif costed:
            for_it.append((1, hit.code))
    return tuple(code for _rank, code in sorted(for_it, key=lambda item: item[0])), tuple(against)


def _decide(allowed: Sequence[str], scores: Mapping[str, float]) -> str | None:
    """The two questions in order; the same as the best allowed score with ties in order.

    max() keeps the first of equal maxima, so TIE_BREAK_ORDER breaks ties:
    the API keeps a tie against "your own", the hybrid a tie against
    self-hosting everything.
    """
    own = max(
        (option for option in OWN_OPTIONS if option in allowed),
        key=scores.__getitem__,
        default=None,
    )
    if "api" in allowed and (own is None or scores["api"] >= scores[own]):
        return "api"
    return own


def evaluate_recommendations(
    compiled: CompiledRuleset,
    answers_list: Sequence[Mapping[str, Any]],
    figures_list: Sequence[Mapping[str, Any]],
) -> list[str | None]:
    """``[evaluate(compiled, a, f).recommendation for a, f in zip(...)]``, fast.

    For Monte Carlo re-scoring (design.md, "Uncertainty"): draws share most
    answers, so rules that read no derived figure are evaluated once per
    distinct set of the answers they read (a hashable key of those values),
    and only the figure-dependent rules per draw. Rules without an effect
    (explanations, caveats) and outcome rules cannot change the
    recommendation and are not evaluated. Skipped rules count as not fired,
    as in :func:`evaluate`.
    """
    if len(answers_list) != len(figures_list):
        raise ValueError("answers_list and figures_list must have the same length")
    scoring = [rule for rule in compiled.rules if not rule.reads_outcome and rule.has_effect]
    answer_rules = [rule for rule in scoring if not rule.reads_figures]
    figure_rules = [rule for rule in scoring if rule.reads_figures]
    answer_keys = sorted({key for rule in answer_rules for key in rule.answer_keys})
    cache: dict[tuple[Any, ...], tuple[dict[str, float], frozenset[str]]] = {}
    results: list[str | None] = []
    for answers, figures in zip(answers_list, figures_list, strict=True):
        key = tuple(_hashable(answers.get(name)) for name in answer_keys)
        base = cache.get(key)
        if base is None:
            base = _partial(answer_rules, answers)
            cache[key] = base
        scores = dict(base[0])
        excluded = set(base[1])
        if figure_rules:
            _add_effects(figure_rules, {**_clean_figures(figures), **answers}, scores, excluded)
        allowed = [option for option in TIE_BREAK_ORDER if option not in excluded]
        results.append(_decide(allowed, scores))
    return results


def _partial(
    rules: Sequence[CompiledRule], facts: Mapping[str, Any]
) -> tuple[dict[str, float], frozenset[str]]:
    scores = dict(BASE_SCORES)
    excluded: set[str] = set()
    _add_effects(rules, facts, scores, excluded)
    return scores, frozenset(excluded)


def _add_effects(
    rules: Sequence[CompiledRule],
    facts: Mapping[str, Any],
    scores: dict[str, float],
    excluded: set[str],
) -> None:
    """Adds to ``scores`` and ``excluded`` the effects of the ``rules`` that fire on ``facts``."""
    for rule in rules:
        hit = _apply(rule, facts)
        if isinstance(hit, FiredRule):
            for option, delta in hit.score_deltas.items():
                scores[option] += delta
            excluded.update(hit.excludes)


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    return value


# --- reasons for and against -------------------------------------------------


def decision_steps(
    recommendation: str | None,
    allowed: Sequence[str],
    scores: Mapping[str, float],
    fired: Sequence[FiredRule],
) -> tuple[DecisionStep, ...]:
    """The two questions with their answers and their reasons for and against.

    Question 1 sets the API against the better allowed own option; question 2
    sets self-hosting against the hybrid. A rule is *for* an answer when its
    effect favours it over the alternative (it raises the answer's score more,
    or it excludes the alternative), *against* when it favours the
    alternative. Without an allowed alternative a rule counts by its delta on
    the answer itself (a sole remaining option still has costs against it).
    """
    if recommendation is None:
        return ()
    own = max(
        (option for option in OWN_OPTIONS if option in allowed),
        key=scores.__getitem__,
        default=None,
    )
    if recommendation == "api":
        first = _step(API_OR_OWN, "api", own, fired)
        second = None
        if own is not None:
            other = _other_own(own, allowed)
            second = replace(_step(SELF_HOST_OR_HYBRID, own, other, fired), asked=False)
        return (first,) if second is None else (first, second)
    first = _step(API_OR_OWN, recommendation, "api" if "api" in allowed else None, fired)
    second = _step(SELF_HOST_OR_HYBRID, recommendation, _other_own(recommendation, allowed), fired)
    return (first, second)


def split_reasons(
    recommendation: str | None,
    allowed: Sequence[str],
    scores: Mapping[str, float],
    fired: Sequence[FiredRule],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rule codes for and against the recommendation, strongest first.

    A rule counts where it first leans: the first question (API or your own)
    decides its side, the second (self-host or hybrid) only for rules that do
    not touch the first. Rules without an effect are explanations, neither.
    """
    steps = decision_steps(recommendation, allowed, scores, fired)
    if not steps:
        return (), ()
    first = steps[0]
    asked = [step for step in steps if step.asked]
    taken = set(first.reasons_for) | set(first.reasons_against)
    reasons_for = list(first.reasons_for)
    reasons_against = list(first.reasons_against)
    for step in asked[1:]:
        reasons_for += [code for code in step.reasons_for if code not in taken]
        reasons_against += [code for code in step.reasons_against if code not in taken]
    by_code = {hit.code: hit for hit in fired}

    def strength(code: str) -> float:
        return -_overall_lean(by_code[code], steps)

    return (
        tuple(sorted(reasons_for, key=lambda code: -abs(strength(code)))),
        tuple(sorted(reasons_against, key=lambda code: -abs(strength(code)))),
    )


def lean(hit: FiredRule, answer: str, alternative: str | None) -> float:
    """How much ``hit`` favours ``answer`` over ``alternative`` (inf: it excludes it)."""
    if alternative is not None and alternative in hit.excludes:
        return math.inf
    if alternative is None and hit.excludes and answer not in hit.excludes:
        return math.inf
    delta = hit.score_deltas.get(answer, 0.0)
    if alternative is None:
        return delta
    return delta - hit.score_deltas.get(alternative, 0.0)


def _overall_lean(hit: FiredRule, steps: Sequence[DecisionStep]) -> float:
    for step in steps:
        if step.asked:
            value = lean(hit, step.answer or "", step.alternative)
            if value:
                return value
    return 0.0


def _step(
    question: str, answer: str, alternative: str | None, fired: Sequence[FiredRule]
) -> DecisionStep:
    leans = [(hit.code, lean(hit, answer, alternative)) for hit in fired]
    reasons_for = [code for code, value in sorted(leans, key=lambda pair: -pair[1]) if value > 0]
    reasons_against = [code for code, value in sorted(leans, key=lambda pair: pair[1]) if value < 0]
    return DecisionStep(question, answer, alternative, tuple(reasons_for), tuple(reasons_against))


def _other_own(option: str, allowed: Sequence[str]) -> str | None:
    other = "hybrid" if option == "self_host" else "self_host"
    return other if other in allowed else None


def _cheaper_options(
    recommendation: str | None,
    excluded_by: Mapping[str, Sequence[FiredRule]],
    fired: Sequence[FiredRule],
    facts: Mapping[str, Any],
) -> tuple[CheaperOption, ...]:
    """Options cheaper than the recommendation over the horizon (by ``tco_<option>_usd``).

    An excluded one names its exclusions; an allowed one the rules whose
    effect favoured the recommendation over it, strongest first.
    """
    if recommendation is None:
        return ()
    own_tco = _number(facts.get(f"tco_{recommendation}_usd"))
    if own_tco is None:
        return ()
    cheaper = []
    for option in OPTIONS:
        tco = _number(facts.get(f"tco_{option}_usd"))
        if option == recommendation or tco is None or own_tco - tco < 1:
            continue  # a dollar over three years is a tie, not a choice to explain
        if excluded_by[option]:
            reasons = tuple(hit.code for hit in excluded_by[option])
        else:
            leans = [(hit.code, lean(hit, recommendation, option)) for hit in fired]
            reasons = tuple(
                code for code, value in sorted(leans, key=lambda pair: -pair[1]) if value > 0
            )
        cheaper.append(CheaperOption(option, own_tco - tco, bool(excluded_by[option]), reasons))
    return tuple(sorted(cheaper, key=lambda item: (item.excluded, -item.difference_usd)))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _clean_figures(figures: Mapping[str, Any]) -> dict[str, Any]:
    # Derived figures are NULLABLE in the schema: a non-finite figure (a ratio
    # over a zero cost) means "no such figure", the same as None.
    cleaned: dict[str, Any] = {}
    for name, value in figures.items():
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        cleaned[name] = value
    return cleaned


def _apply_all(
    rules: Iterable[CompiledRule], facts: Mapping[str, Any], *, reads_outcome: bool
) -> tuple[list[FiredRule], list[SkippedRule]]:
    """The rules that fired and those that could not run, in order, among ``rules``.

    Only the rules that read the outcome (``reads_outcome``), or only the
    others: scoring rules run before the recommendation exists, caveat rules
    that read it run after.
    """
    fired: list[FiredRule] = []
    skipped: list[SkippedRule] = []
    for rule in rules:
        if rule.reads_outcome != reads_outcome:
            continue
        hit = _apply(rule, facts)
        if isinstance(hit, SkippedRule):
            skipped.append(hit)
        elif hit is not None:
            fired.append(hit)
    return fired, skipped


def _apply(rule: CompiledRule, facts: Mapping[str, Any]) -> FiredRule | SkippedRule | None:
    """The rule fired with its effect, None if it does not fire, SkippedRule if it cannot run."""
    spec = rule.spec
    try:
        result = rule.check(facts)
        if not isinstance(result, bool):
            return SkippedRule(spec.code, spec.title, f"gave {result!r} instead of true or false")
        if not result:
            return None
        deltas: dict[str, float] = {}
        for option, effect in rule.effects:
            delta = effect if isinstance(effect, float) else float(effect(facts))
            if not math.isfinite(delta):
                return SkippedRule(
                    spec.code, spec.title, f"the score for {option} is {delta}, not a number"
                )
            # Admin-written expressions are bounded like constant deltas.
            delta = max(-MAX_SCORE_DELTA, min(MAX_SCORE_DELTA, delta))
            if delta:
                deltas[option] = delta
    # A condition or effect that fails at evaluation time must never fail the
    # request: rule-engine raises EngineError subclasses, but a resolver or
    # decimal edge case may raise something else; all of them mean "skip and
    # report".
    except Exception as error:
        message = getattr(error, "message", "") or str(error) or type(error).__name__
        return SkippedRule(spec.code, spec.title, _describe_error(message, error))
    return FiredRule(
        code=spec.code,
        title=spec.title,
        rationale=render_placeholders(spec.rationale, facts),
        score_deltas=deltas,
        excludes=tuple(spec.excludes),
        source=spec.source,
        caveat_code=spec.caveat_code,
        caveat_text=render_placeholders(spec.caveat_text, facts) if spec.caveat_code else "",
        effects=spec.effects,
    )


def _describe_error(message: str, error: Exception) -> str:
    symbol = getattr(error, "symbol_name", None)
    if symbol:
        return f"no value for '{symbol}' ({message})"
    return message


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
