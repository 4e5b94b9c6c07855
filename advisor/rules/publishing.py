"""Ruleset lifecycle services: publish, clone to a new draft, archive.

draft -> published (immutable, current) -> archived. Exactly one ruleset is
current: publishing a draft archives the ruleset it replaces, in the same
transaction, so assessments always find one. Every transition is audited.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from advisor.rules import audit
from advisor.rules.conditions import validate_condition, validate_effect, validate_placeholders
from advisor.rules.models import ChangeAction, Question, Rule, Ruleset, RulesetStatus
from advisor.rules.services import condition_schema


class PublishingError(Exception):
    """A lifecycle step refused; ``problems`` lists what must be fixed first."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


def condition_errors(*, ruleset: Ruleset, expression: str, outcome: bool = True) -> list[str]:
    """Why ``expression`` is not a valid condition for ``ruleset``; empty if it is.

    Rule conditions see answers, derived cost figures and the outcome
    (``outcome=True``); a question's show-if sees the answers only.
    """
    return validate_condition(expression, condition_schema(ruleset, outcome=outcome))


def ruleset_problems(*, ruleset: Ruleset) -> list[str]:
    """What stops this ruleset from being published, one readable line each.

    Saving through the admin already validates each condition, but a later
    edit (a question renamed or retyped) can break a rule saved earlier, so
    publishing checks everything again against the final schema.
    """
    problems = []
    for question in ruleset.questions.exclude(show_if=""):
        show_if_errors = condition_errors(
            ruleset=ruleset, expression=question.show_if, outcome=False
        )
        for message in show_if_errors:
            problems.append(f"Question {question.key}, show-if: {message}")
    schema = condition_schema(ruleset)
    for rule in ruleset.rules.all():
        messages = [
            *condition_errors(ruleset=ruleset, expression=rule.condition),
            *validate_effect(rule.condition, rule.score_deltas, rule.excludes, schema),
            *validate_placeholders(rule.caveat_text, schema),
            *validate_placeholders(rule.rationale, schema),
        ]
        if bool(rule.caveat_code) != bool(rule.caveat_text.strip()):
            messages.append("a caveat needs both a code and a text.")
        problems.extend(f"Rule {rule.code}: {message}" for message in messages)
    return problems


@transaction.atomic
def ruleset_publish(*, ruleset: Ruleset, user: audit.Editor) -> Ruleset:
    """Make a valid draft the one current ruleset; the previous current is archived."""
    ruleset = Ruleset.objects.select_for_update().get(pk=ruleset.pk)
    if ruleset.status != RulesetStatus.DRAFT:
        raise PublishingError(f"Only drafts can be published; {ruleset} is not a draft.")
    problems = ruleset_problems(ruleset=ruleset)
    if problems:
        raise PublishingError(f"{ruleset} has problems and was not published.", problems)
    previous = Ruleset.objects.select_for_update().filter(is_current=True).first()
    if previous is not None:
        # Clear the old flag first: the one-current constraint is checked per row.
        _archive(ruleset=previous, user=user, note=f"Replaced by {ruleset.name} {ruleset.version}.")
    before = audit.snapshot(ruleset)
    ruleset.status = RulesetStatus.PUBLISHED
    ruleset.is_current = True
    ruleset.published_at = timezone.now()
    ruleset.published_by = user if isinstance(user, User) else None
    ruleset.save()
    audit.change_record(
        user=user,
        action=ChangeAction.PUBLISHED,
        instance=ruleset,
        changes=audit.field_changes(before, audit.snapshot(ruleset)),
    )
    return ruleset


@transaction.atomic
def ruleset_clone(*, ruleset: Ruleset, user: audit.Editor) -> Ruleset:
    """A new draft of the same name with a copy of every question and rule."""
    clone = Ruleset.objects.create(
        name=ruleset.name,
        version=next_version(name=ruleset.name, version=ruleset.version),
        notes=f"Cloned from {ruleset.version}.\n{ruleset.notes}".strip(),
        decision_model=ruleset.decision_model,
    )
    questions = list(ruleset.questions.all())
    rules = list(ruleset.rules.all())
    for child in (*questions, *rules):
        child.pk = None
        child.ruleset = clone
    Question.objects.bulk_create(questions)
    Rule.objects.bulk_create(rules)
    audit.change_record(
        user=user,
        action=ChangeAction.CLONED,
        instance=clone,
        changes=audit.field_changes(None, audit.snapshot(clone)),
        note=(
            f"Cloned from {ruleset.name} {ruleset.version}: "
            f"{len(questions)} questions, {len(rules)} rules."
        ),
    )
    return clone


@transaction.atomic
def ruleset_archive(*, ruleset: Ruleset, user: audit.Editor) -> Ruleset:
    """Retire a draft or a superseded ruleset; the current one cannot be archived."""
    ruleset = Ruleset.objects.select_for_update().get(pk=ruleset.pk)
    if ruleset.is_current:
        raise PublishingError(
            f"{ruleset} is the current ruleset: publish another one instead of archiving it."
        )
    if ruleset.status == RulesetStatus.ARCHIVED:
        raise PublishingError(f"{ruleset} is already archived.")
    _archive(ruleset=ruleset, user=user, note="")
    return ruleset


def _archive(*, ruleset: Ruleset, user: audit.Editor, note: str) -> None:
    before = audit.snapshot(ruleset)
    ruleset.status = RulesetStatus.ARCHIVED
    ruleset.is_current = False
    ruleset.save(update_fields=["status", "is_current"])
    audit.change_record(
        user=user,
        action=ChangeAction.ARCHIVED,
        instance=ruleset,
        changes=audit.field_changes(before, audit.snapshot(ruleset)),
        note=note,
    )


def next_version(*, name: str, version: str) -> str:
    """The next unused version of ``name``: 2026.1 -> 2026.2, beta -> beta.2."""
    taken = set(Ruleset.objects.filter(name=name).values_list("version", flat=True))
    match = re.fullmatch(r"(.*?)(\d+)", version)
    prefix, number = (match[1], int(match[2])) if match else (f"{version}.", 1)
    candidate = f"{prefix}{number + 1}"
    while candidate in taken:
        number += 1
        candidate = f"{prefix}{number + 1}"
    return candidate
