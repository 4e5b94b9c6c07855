"""Rulesets, their questions and their rules: the data the engine evaluates.

A ruleset is versioned: draft -> published (immutable) -> archived. Exactly
one ruleset is current (the published one assessments use). Questions and
rules belong to one ruleset version; cloning a ruleset copies both.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from advisor.costs.projection import DERIVED_FIGURES
from advisor.rules.conditions import (
    OUTCOME_NAMES,
    ConditionSchema,
    effect_errors,
    referenced_symbols,
    validate_placeholders,
)
from advisor.rules.effect_schema import follow_up_keys, range_targets
from advisor.scoring.effects import InvalidEffect, parse_effects


class ImmutableRulesetError(PermissionDenied):
    """A write to a published or archived ruleset, its questions or its rules.

    It derives from PermissionDenied so that, should a view ever let one
    through, the visitor gets a 403 rather than a 500.
    """


class RulesetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


# Published and archived rulesets are frozen: assessments cite them by
# version, so a report must never change under their feet.
FROZEN_STATUSES = (RulesetStatus.PUBLISHED, RulesetStatus.ARCHIVED)

# The only changes a frozen ruleset accepts, made by the publishing service.
_FROZEN_RULESET_MUTABLE_FIELDS = frozenset({"is_current", "status"})


class RulesetQuerySet(models.QuerySet["Ruleset"]):
    def current(self) -> Ruleset | None:
        """The published ruleset new assessments use, or None before seeding."""
        return self.filter(is_current=True).first()

    def frozen(self) -> RulesetQuerySet:
        """Published and archived rulesets: read-only for everyone."""
        return self.filter(status__in=FROZEN_STATUSES)

    def delete(self) -> tuple[int, dict[str, int]]:
        # Bulk deletes skip Model.delete(); refuse them here too.
        if self.frozen().exists():
            raise ImmutableRulesetError("Published and archived rulesets cannot be deleted.")
        return super().delete()


class DecisionModel(models.IntegerChoices):
    SCORES = 2, "v2: score points"
    MONEY = 3, "v3: one currency (costs decide)"


class Ruleset(models.Model):
    name = models.CharField(max_length=100)
    version = models.CharField(max_length=40)
    status = models.CharField(
        max_length=20, choices=RulesetStatus.choices, default=RulesetStatus.DRAFT
    )
    is_current = models.BooleanField(default=False, editable=False)
    notes = models.TextField(blank=True)
    decision_model = models.PositiveSmallIntegerField(
        choices=DecisionModel.choices,
        default=DecisionModel.SCORES,
        help_text="How the recommendation is made: rules' score points (v2), or the "
        "cheapest adjusted cost with the API's default margin (v3: rules exclude, warn, "
        "add costs, widen ranges and open checks).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = RulesetQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="ruleset_name_version_unique"),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_ruleset"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            self._refuse_frozen_changes()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        stored_status = Ruleset.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored_status in FROZEN_STATUSES:
            raise ImmutableRulesetError(f"{self} is {stored_status} and cannot be deleted.")
        return super().delete(*args, **kwargs)

    def _refuse_frozen_changes(self) -> None:
        """Once published, only is_current and published -> archived may change.

        loaddata saves with save_base(raw=True), which skips this method, so
        re-seeding the fixtures keeps working.
        """
        stored = Ruleset.objects.filter(pk=self.pk).first()
        if stored is None or stored.status not in FROZEN_STATUSES:
            return
        changed = {
            field.attname
            for field in self._meta.concrete_fields
            if getattr(stored, field.attname) != getattr(self, field.attname)
        }
        forbidden = changed - _FROZEN_RULESET_MUTABLE_FIELDS
        archiving = stored.status == RulesetStatus.PUBLISHED and (
            self.status == RulesetStatus.ARCHIVED
        )
        if forbidden or ("status" in changed and not archiving):
            fields = ", ".join(sorted(forbidden or {"status"}))
            raise ImmutableRulesetError(
                f"{stored} is {stored.status}: it cannot be changed ({fields}). "
                "Clone it to a new draft instead."
            )

    @property
    def is_published(self) -> bool:
        return self.status == RulesetStatus.PUBLISHED

    @property
    def is_frozen(self) -> bool:
        """Published or archived: nothing but the publishing service may touch it."""
        return self.status in FROZEN_STATUSES

    def condition_schema(self, *, outcome: bool = True) -> ConditionSchema:
        """The names rule conditions may use: answers, derived cost figures, outcome.

        For a question's ``show_if`` pass ``outcome=False``; show-if conditions
        see answers only (no cost figures, no recommendation).
        """
        questions = self.questions.all()
        if not outcome:
            return ConditionSchema.from_questions(questions, outcome=False)
        return ConditionSchema.from_questions(questions, DERIVED_FIGURES)


class RulesetChildQuerySet(models.QuerySet[Any]):
    """Questions and rules: bulk writes refuse frozen rulesets like saves do."""

    def in_frozen_ruleset(self) -> RulesetChildQuerySet:
        return self.filter(ruleset__status__in=FROZEN_STATUSES)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.in_frozen_ruleset().exists():
            raise ImmutableRulesetError(
                "Questions and rules of a published or archived ruleset cannot be deleted."
            )
        return super().delete()

    def update(self, **kwargs: Any) -> int:
        if self.in_frozen_ruleset().exists():
            raise ImmutableRulesetError(
                "Questions and rules of a published or archived ruleset cannot be changed."
            )
        return super().update(**kwargs)


class RulesetChild(models.Model):
    """What Question and Rule share: they belong to one ruleset and freeze with it."""

    ruleset_id: int

    objects = RulesetChildQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_frozen("changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._refuse_if_frozen("deleted")
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self, verb: str) -> None:
        # Check the ruleset it belongs to now and, for an existing row, the one
        # it is stored under: moving a rule out of a published ruleset is an edit.
        ruleset_ids = {self.ruleset_id}
        if self.pk is not None:
            stored = type(self)._default_manager.filter(pk=self.pk)
            ruleset_ids.update(stored.values_list("ruleset_id", flat=True))
        if Ruleset.objects.frozen().filter(pk__in=ruleset_ids).exists():
            kind = self._meta.verbose_name
            raise ImmutableRulesetError(
                f"This {kind} belongs to a published or archived ruleset and cannot be {verb}. "
                "Clone the ruleset to a new draft instead."
            )


class QuestionType(models.TextChoices):
    INTEGER = "integer", "Integer"
    NUMBER = "number", "Number"
    BOOLEAN = "boolean", "Yes / no"
    CHOICE = "choice", "One choice"
    MULTI_CHOICE = "multi_choice", "Several choices"
    CATALOG = "catalog", "Catalog reference"


class Question(RulesetChild):
    """One questionnaire field. ``key`` is the answer's name in rules and files.

    ``choices`` is a list of ``[value, label]`` pairs for choice questions;
    for catalog questions ``catalog`` names the catalog kind (``api_model``,
    ``self_host_model``, ``small_model``, ``gpu``). ``show_if`` is a
    rule-engine expression over the other answers; empty means always shown.
    """

    ruleset = models.ForeignKey(Ruleset, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    section = models.CharField(max_length=60)
    section_order = models.PositiveSmallIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=0)
    prompt = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    choices = models.JSONField(default=list, blank=True)
    catalog = models.CharField(max_length=40, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    min_value = models.FloatField(null=True, blank=True)
    max_value = models.FloatField(null=True, blank=True)
    default = models.JSONField(null=True, blank=True)
    required = models.BooleanField(default=False)
    show_if = models.TextField(blank=True)
    advanced = models.BooleanField(
        default=False, help_text="Prefilled from the catalog; buyers may skip it."
    )

    class Meta(RulesetChild.Meta):
        ordering = ["ruleset", "section_order", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "key"], name="question_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key


class Rule(RulesetChild):
    """A condition over answers and derived cost figures, and its effect.

    ``score_deltas`` maps options (``api``, ``self_host``, ``hybrid``) to
    numbers added to their scores, or to expressions over the context that
    give one (``conditions.compile_effect``); ``excludes`` lists options
    ruled out. The rationale and caveat text may quote figures as ``{name:.1f}``,
    ``{name:usd}`` or ``{name:volume}`` (``conditions.render_placeholders``).
    """

    ruleset = models.ForeignKey(Ruleset, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    condition = models.TextField()
    score_deltas = models.JSONField(default=dict, blank=True)
    excludes = models.JSONField(default=list, blank=True)
    effects = models.JSONField(
        default=list,
        blank=True,
        help_text="Decision model v3: typed cost, range and check effects, e.g. "
        '[{"kind": "cost", "options": ["self_host"], "label": "Contractor", '
        '"usd_per_month": {"low": 5000, "base": 10000, "high": 20000}}].',
    )
    rationale = models.TextField()
    caveat_code = models.SlugField(max_length=80, blank=True)
    caveat_text = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    enabled = models.BooleanField(default=True)

    class Meta(RulesetChild.Meta):
        ordering = ["ruleset", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "code"], name="rule_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        """Effects the engine can apply: known options, numeric deltas or expressions that
        compile against the ruleset's schema, paired caveats whose placeholders exist."""
        schema = self._schema()
        errors = effect_errors(self.condition, self.score_deltas, self.excludes, schema)
        # The admin form reports a condition that reads the outcome on its own
        # condition field (advisor.rules.admin_forms); publishing refuses it too.
        errors.pop("condition", None)
        errors.update(self._typed_effect_errors(schema))
        if bool(self.caveat_code) != bool(self.caveat_text.strip()):
            field = "caveat_text" if self.caveat_code else "caveat_code"
            errors[field] = ["A caveat needs both a code and a text."]
        if schema is not None:
            for field_name in ("caveat_text", "rationale"):
                placeholder_errors = validate_placeholders(getattr(self, field_name), schema)
                if placeholder_errors:
                    errors.setdefault(field_name, []).extend(placeholder_errors)
        if errors:
            raise ValidationError(errors)

    def _typed_effect_errors(self, schema: Any) -> dict[str, list[str]]:
        """v3 effects that parse against the schema; no score points on a v3 ruleset."""
        errors: dict[str, list[str]] = {}
        try:
            effects = parse_effects(
                self.effects,
                range_targets=range_targets(schema) if schema is not None else (),
                check_keys=follow_up_keys(schema) if schema is not None else (),
            )
        except InvalidEffect as error:
            return {"effects": [str(error)]}
        if any(effect.kind in ("exclude", "caveat") for effect in effects):
            errors["effects"] = [
                "Exclusions and caveats have their own fields (Excludes, Caveat code and text)."
            ]
        if effects and OUTCOME_NAMES.intersection(referenced_symbols(self.condition)):
            errors["effects"] = [
                "This condition reads the outcome, known only after the decision: such a "
                "rule may add a caveat, not costs, ranges or checks."
            ]
        ruleset = self.ruleset if self.ruleset_id is not None else None
        scored = any(delta not in (0, None) for delta in (self.score_deltas or {}).values())
        if ruleset is not None and ruleset.decision_model == DecisionModel.MONEY and scored:
            errors["score_deltas"] = [
                "This ruleset decides on money (decision model v3): give the reason a "
                "cost, an exclusion or a range in Effects instead of score points."
            ]
        return errors

    def _schema(self) -> ConditionSchema | None:
        if self.ruleset_id is None:
            return None
        return self.ruleset.condition_schema()


class ChangeAction(models.TextChoices):
    ADDED = "added", "Added"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    CLONED = "cloned", "Cloned"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class ChangeRecord(models.Model):
    """One audited edit of a ruleset, question or rule: who, when, what.

    ``changes`` maps each changed field to ``[old, new]`` (for an addition,
    old is null; for a deletion, new is null). Labels are copied so the
    record still reads well after a draft or a user is deleted.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=ChangeAction.choices)
    ruleset = models.ForeignKey(
        Ruleset, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    ruleset_label = models.CharField(max_length=200)
    object_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.username or 'system'} {self.action} {self.object_type} {self.object_repr}"
