"""The wizard's steps: one per question section, in the ruleset's order.

Pure (no Django): the steps come from the ruleset's question specs, so
changing a question in admin changes the wizard with no code change, and
:func:`decide_step` says what a posted step does (Next, Back, Skip, review).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

import rule_engine

from advisor.rules.answers import QuestionSpec
from advisor.rules.conditions import (
    ConditionSchema,
    InvalidCondition,
    compile_condition,
    referenced_symbols,
)

REVIEW = "review"
# The step form's buttons (name="nav"); anything else counts as Next.
NAVIGATION = frozenset({"next", "back", "skip", "review"})


@dataclass(frozen=True)
class Step:
    """One wizard screen: a section's questions, in order."""

    slug: str
    title: str
    questions: tuple[QuestionSpec, ...]

    @property
    def advanced(self) -> bool:
        """Every question prefilled from the catalog: the buyer may skip the step."""
        return bool(self.questions) and all(question.advanced for question in self.questions)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(question.key for question in self.questions)


def slugify(text: str) -> str:
    """ASCII slug of a section name ("Compliance & residency" -> "compliance-residency")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def build_steps(specs: Iterable[QuestionSpec]) -> tuple[Step, ...]:
    """Group specs (already in section/question order) into steps, one per section."""
    sections: dict[str, list[QuestionSpec]] = {}
    for spec in specs:
        sections.setdefault(spec.section, []).append(spec)
    steps: list[Step] = []
    used: set[str] = set()
    for title, questions in sections.items():
        slug = base = slugify(title)
        counter = 2
        while slug in used or slug == REVIEW:  # two sections may slugify alike
            slug, counter = f"{base}-{counter}", counter + 1
        used.add(slug)
        steps.append(Step(slug=slug, title=title, questions=tuple(questions)))
    return tuple(steps)


def step_index(steps: Sequence[Step], slug: str) -> int | None:
    return next((index for index, step in enumerate(steps) if step.slug == slug), None)


def resume_index(steps: Sequence[Step], saved_steps: Iterable[str]) -> int:
    """Index of the first step not yet saved; ``len(steps)`` means "go to review"."""
    saved = set(saved_steps)
    return next((index for index, step in enumerate(steps) if step.slug not in saved), len(steps))


def is_shown(spec: QuestionSpec, answers: Mapping[str, Any], schema: ConditionSchema) -> bool:
    """Whether ``spec``'s show-if holds for ``answers`` (defaults applied by the caller).

    A condition that cannot be evaluated (an answer it reads is still
    missing, or an admin's condition no longer compiles) shows the question:
    asking one question too many is harmless, hiding one is not.
    """
    if not spec.show_if.strip():
        return True
    try:
        return bool(compile_condition(spec.show_if, schema).matches(dict(answers)))
    except (InvalidCondition, rule_engine.errors.EngineError):
        return True


def trigger_keys(steps: Iterable[Step]) -> frozenset[str]:
    """Keys some show-if condition reads: changing them may reveal or hide a follow-up."""
    return frozenset(
        name
        for step in steps
        for question in step.questions
        if question.show_if.strip()
        for name in referenced_symbols(question.show_if)
    )


class Move(Enum):
    """Where a posted step sends the buyer."""

    GO_TO = "go_to"  # to StepDecision.target
    RESUME = "resume"  # the first step not yet saved: the review once every step is
    SHOW_ERRORS = "show_errors"  # this step again, with what did not parse
    ASK_FOLLOW_UP = "ask_follow_up"  # this step again: the answers revealed a question


@dataclass(frozen=True)
class StepDecision:
    """What a posted step does: what it saves, then where the buyer goes."""

    move: Move
    mark_saved: bool  # the buyer moved past the step (Next, Skip)
    target: Step | None = None  # Move.GO_TO only
    # Skip keeps the step's prefilled defaults: nothing typed on it is saved.
    keep_answers: bool = True


def decide_step(
    *, nav: str, steps: Sequence[Step], current: Step, valid: bool, revealed: bool
) -> StepDecision:
    """Next, Back, Skip or "Save and go to review" pressed on ``current``.

    ``valid``: every shown answer parsed. ``revealed``: what was just typed
    shows a question the page did not (without JavaScript nothing showed it),
    so the step is asked again before moving on. Back saves what is valid and
    goes back whatever the form says; Skip applies to an advanced step only
    (elsewhere it counts as Next), as does an unknown ``nav``.
    """
    nav = nav if nav in NAVIGATION else "next"
    index = steps.index(current)
    if nav == "skip" and current.advanced:
        return replace(_onward(steps, index), keep_answers=False)
    if nav == "back":
        return StepDecision(
            Move.GO_TO, mark_saved=False, target=steps[index - 1] if index else current
        )
    if not valid:
        return StepDecision(Move.SHOW_ERRORS, mark_saved=False)
    if revealed:
        return StepDecision(Move.ASK_FOLLOW_UP, mark_saved=False)
    return _onward(steps, index, to_review=nav == "review")


def _onward(steps: Sequence[Step], index: int, *, to_review: bool = False) -> StepDecision:
    if to_review or index + 1 >= len(steps):
        return StepDecision(Move.RESUME, mark_saved=True)
    return StepDecision(Move.GO_TO, mark_saved=True, target=steps[index + 1])
