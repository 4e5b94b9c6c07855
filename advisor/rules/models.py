"""Rulesets, their questions and their rules: the data the engine evaluates.

A ruleset is versioned: draft -> published (immutable) -> archived. Exactly
one ruleset is current (the published one assessments use). Questions and
rules belong to one ruleset version; cloning a ruleset copies both.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RulesetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class RulesetQuerySet(models.QuerySet["Ruleset"]):
    def current(self) -> Ruleset | None:
        """The published ruleset new assessments use, or None before seeding."""
        return self.filter(is_current=True).first()


class Ruleset(models.Model):
    name = models.CharField(max_length=100)
    version = models.CharField(max_length=40)
    status = models.CharField(
        max_length=20, choices=RulesetStatus.choices, default=RulesetStatus.DRAFT
    )
    is_current = models.BooleanField(default=False, editable=False)
    notes = models.TextField(blank=True)
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

    @property
    def is_published(self) -> bool:
        return self.status == RulesetStatus.PUBLISHED


class QuestionType(models.TextChoices):
    INTEGER = "integer", "Integer"
    NUMBER = "number", "Number"
    BOOLEAN = "boolean", "Yes / no"
    CHOICE = "choice", "One choice"
    MULTI_CHOICE = "multi_choice", "Several choices"
    CATALOG = "catalog", "Catalog reference"


class Question(models.Model):
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

    class Meta:
        ordering = ["ruleset", "section_order", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "key"], name="question_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key


class Rule(models.Model):
    """A condition over answers and derived cost figures, and its effect.

    ``score_deltas`` maps options (``api``, ``self_host``, ``hybrid``) to
    numbers added to their scores; ``excludes`` lists options ruled out.
    """

    ruleset = models.ForeignKey(Ruleset, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    condition = models.TextField()
    score_deltas = models.JSONField(default=dict, blank=True)
    excludes = models.JSONField(default=list, blank=True)
    rationale = models.TextField()
    caveat_code = models.SlugField(max_length=80, blank=True)
    caveat_text = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["ruleset", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "code"], name="rule_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code
