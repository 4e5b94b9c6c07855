"""Reasons for and against a result, as the result page and the PDF say them.

Pure (no Django): reads a :class:`advisor.snapshot.ResultSnapshot` (a stored
result is read with ``ResultSnapshot.from_dict`` by the caller) and returns
what to show. Snapshots scored before decision model v2 have no ``reasons``:
their fired rules are all shown as before and nothing is split (a stored
result never changes silently).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor import wording
from advisor.options import SHORT_OPTION_PHRASES
from advisor.snapshot import FiredRule, ResultSnapshot

QUESTIONS = {
    "api_or_own": "The API, or run your own models?",
    "self_host_or_hybrid": "Self-host everything, or the hybrid?",
}
STRONGEST_COUNT = 3


@dataclass(frozen=True)
class Step:
    """One of the two questions, answered, with the rules for and against the answer."""

    question: str
    answer: str
    asked: bool
    reasons_for: tuple[FiredRule, ...]
    reasons_against: tuple[FiredRule, ...]


@dataclass(frozen=True)
class ReasonsSummary:
    split: bool  # False for a snapshot from before decision model v2
    strongest_for: tuple[FiredRule, ...]  # strongest first
    strongest_against: FiredRule | None
    steps: tuple[Step, ...]
    cheaper: tuple[str, ...]  # "Self-hosting would cost $1,234,567 less …" sentences
    open_questions: tuple[str, ...]  # "Check first: …" sentences


def reasons_summary(result: ResultSnapshot, *, count: int = STRONGEST_COUNT) -> ReasonsSummary:
    """What the page and the PDF say about the reasons of ``result``."""
    fired = {rule.code: rule for rule in result.fired_rules}
    reasons = result.reasons
    if reasons is None:
        return ReasonsSummary(False, (), None, (), (), ())
    against = _rules(reasons.get("against"), fired)
    horizon = result.costs.horizon_months or 36
    return ReasonsSummary(
        split=True,
        strongest_for=_rules(reasons.get("for"), fired)[:count],
        strongest_against=against[0] if against else None,
        steps=tuple(
            Step(
                question=QUESTIONS.get(step["question"], step["question"]),
                answer=SHORT_OPTION_PHRASES.get(step["answer"], str(step["answer"])),
                asked=bool(step.get("asked", True)),
                reasons_for=_rules(step.get("for"), fired),
                reasons_against=_rules(step.get("against"), fired),
            )
            for step in result.decision
        ),
        cheaper=tuple(
            cheaper_sentence(item, result.recommendation, fired, horizon)
            for item in result.cheaper_options
        ),
        # Decision model v3 says each branch with its confidence beside the verdict
        # (``conditional``); the v2 sentence would say it a second time, without them.
        open_questions=()
        if result.decision_rule is not None
        else tuple(open_question_sentence(item) for item in result.open_questions),
    )


def cheaper_sentence(
    item: Mapping[str, Any],
    recommendation: str | None,
    fired: Mapping[str, FiredRule],
    horizon_months: int,
) -> str:
    """Why the recommendation is not the cheapest option, with the difference in money."""
    option = _capitalised(SHORT_OPTION_PHRASES.get(item["option"], item["option"]))
    recommended = SHORT_OPTION_PHRASES.get(recommendation or "", str(recommendation))
    money = wording.usd_short(float(item["difference_usd"]))
    titles = [fired[code].title for code in item.get("reasons") or [] if code in fired]
    because = "; ".join(titles[:3]) or "the other reasons above"
    if item.get("excluded"):
        return (
            f"{option} would cost {money} less than {recommended} over {horizon_months} months, "
            f"but it is ruled out: {because}."
        )
    return (
        f"{option} would cost {money} less than {recommended} over {horizon_months} months; "
        f"{recommended} is recommended all the same because of: {because}."
    )


def open_question_sentence(item: Mapping[str, Any]) -> str:
    """Conditional advice for a follow-up answered "unknown"."""
    if_yes = SHORT_OPTION_PHRASES.get(item.get("if_yes") or "", "no option")
    if_no = SHORT_OPTION_PHRASES.get(item.get("if_no") or "", "no option")
    prompt = str(item["prompt"]).rstrip()
    if if_yes == if_no:
        # Both answers lead to the same option: the check firms up the
        # advice (its confidence) but cannot change it, so say so.
        return f"Worth checking: {prompt} Either answer leads to {if_yes}; the answer firms it up."
    return f"Check first: {prompt} If yes, {if_yes}; if no, {if_no}."


def _rules(codes: Sequence[str] | None, fired: Mapping[str, FiredRule]) -> tuple[FiredRule, ...]:
    return tuple(fired[code] for code in codes or [] if code in fired)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class BuyerReason:
    """A reason as the buyer reads it first: the rule's title and its rationale's first sentence."""

    title: str
    sentence: str


@dataclass(frozen=True)
class BuyerReasons:
    """The result page's "Why": the strongest reasons for and the strongest against."""

    for_: tuple[BuyerReason, ...]
    against: BuyerReason | None


_SENTENCE_END = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")


def buyer_reasons(result: ResultSnapshot, *, count: int = STRONGEST_COUNT) -> BuyerReasons:
    """The ``count`` strongest reasons for the recommendation and the strongest against.

    Scores, formulas and sources stay with the full rule list ("How this was
    worked out"); a result from before decision model v2 has no split, so
    its strongest rules with an effect stand as the reasons for.
    """
    summary = reasons_summary(result, count=len(result.fired_rules))
    if summary.split:
        # The reasons for the recommendation overall, then those for each
        # answered question's answer (the hybrid over self-hosting, say),
        # strongest first as the engine listed them.
        order = {rule.code: index for index, rule in enumerate(result.fired_rules)}
        codes = {rule.code: rule for rule in summary.strongest_for}
        for step in summary.steps:
            if step.asked:
                codes.update({rule.code: rule for rule in step.reasons_for})
        chosen = tuple(sorted(codes.values(), key=lambda rule: order[rule.code]))[:count]
        against = summary.strongest_against
    else:
        fired = list(result.fired_rules)
        with_effect = [rule for rule in fired if _has_effect(rule.effect)]
        chosen, against = tuple((with_effect or fired)[:count]), None
    return BuyerReasons(
        for_=tuple(_buyer_reason(rule) for rule in chosen),
        against=None if against is None else _buyer_reason(against),
    )


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, never cut inside a quotation."""
    parts = _SENTENCE_END.split(text.strip())
    sentence = ""
    for part in parts:
        sentence = f"{sentence} {part}".strip()
        if sentence.count("“") <= sentence.count("”"):
            break
    return sentence


def _buyer_reason(rule: FiredRule) -> BuyerReason:
    return BuyerReason(rule.title, first_sentence(rule.rationale))


def _has_effect(effect: Mapping[str, Any]) -> bool:
    deltas = effect.get("score_deltas") or {}
    return bool(effect.get("excludes")) or any(delta for delta in deltas.values())
