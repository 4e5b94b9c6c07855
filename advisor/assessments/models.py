"""An assessment: one buyer's answers to one ruleset version, and its result.

The public identifier is an unguessable token (192 random bits), never the
primary key: buyers reach their assessment by link, without an account.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.fields.json import KeyTransform

from advisor.rules.models import Ruleset

CLIENT_NAME_MAX_LENGTH = 120
REPORT_TITLE_MAX_LENGTH = 120
NOTES_MAX_LENGTH = 5000


def new_token() -> str:
    """24 random bytes, URL-safe: 32 characters carrying 192 bits (the design asks >= 128)."""
    return secrets.token_urlsafe(24)


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_token(self, token: str) -> AssessmentQuerySet:
        """The assessment a public link points at (with its ruleset, always needed)."""
        return self.select_related("ruleset").filter(token=token)

    def owned_by(self, user_id: int) -> AssessmentQuerySet:
        """A consultant's own assessments: the only ones their workspace ever shows."""
        return self.filter(owner_id=user_id)

    def matching(
        self, *, query: str = "", recommendation: str = "", status: str = ""
    ) -> AssessmentQuerySet:
        """The dashboard's search (client name) and filters; blank means "any"."""
        found = self
        if query:
            found = found.filter(client_name__icontains=query)
        if recommendation:
            found = found.filter(
                status=AssessmentStatus.COMPLETED, result__recommendation=recommendation
            )
        if status:
            found = found.filter(status=status)
        return found

    def for_dashboard(self) -> AssessmentQuerySet:
        """What a dashboard row shows, without loading each full result snapshot.

        The database reads the recommendation out of the stored result into
        ``recommendation``: None both without a result and when every option
        was ruled out, which ``has_result`` tells apart. A JSON key, not
        ``KT`` (its text): on SQLite, ``KT`` reads a JSON null as "null".
        The other JSON documents (answers, usage import) are left unread
        too: no row shows them.
        """
        return self.without_documents().annotate(
            recommendation=KeyTransform("recommendation", "result")
        )

    def without_documents(self) -> AssessmentQuerySet:
        """The rows without their JSON documents (result, answers, usage import).

        For pages served from a cache keyed by :attr:`Assessment.result_version`:
        the stored result (some 36 KB) is read, with one more query, only
        when something has to be drawn from it. ``has_result`` says whether
        there is one (:attr:`Assessment.has_stored_result` reads it).
        """
        return self.defer("result", "answers", "usage_import").annotate(
            has_result=ExpressionWrapper(Q(result__isnull=False), output_field=BooleanField()),
        )


class Assessment(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # PROTECT: a ruleset version that assessments were scored with stays, so a
    # report never changes silently (design.md, "Rulesets are versioned").
    ruleset = models.ForeignKey(Ruleset, on_delete=models.PROTECT, related_name="assessments")
    answers = models.JSONField(default=dict, blank=True)
    # Section slugs the buyer has moved past with Next (or Skip); the first
    # step not in here is where a resumed assessment opens.
    saved_steps = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    result = models.JSONField(null=True, blank=True, editable=False)
    # Bumped on every write that changes something: a cheap way to see that a
    # resubmitted step changed nothing twice.
    revision = models.PositiveIntegerField(default=0, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    client_name = models.CharField(max_length=CLIENT_NAME_MAX_LENGTH, blank=True)
    # The owner's private notes: never on the buyer's pages; in the PDF
    # report's appendix only when the consultant ticks notes_in_report.
    notes = models.TextField(max_length=NOTES_MAX_LENGTH, blank=True)
    notes_in_report = models.BooleanField(default=False)
    # The buyer's own title for the PDF report's cover (asked on the review
    # step); the cover falls back to the client name, then a generic title.
    report_title = models.CharField(max_length=REPORT_TITLE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Locked by its consultant once delivered: the buyer sees the result
    # read-only and may ask for a new version; unlocking lets them edit again.
    locked_at = models.DateTimeField(null=True, blank=True, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    new_version_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Figures derived from the buyer's usage export, with where each came from,
    # and which of them were accepted into the answers (advisor/assessments/usage.py).
    # The file itself is not kept here (only in UsageExportFile, when ticked).
    usage_import = models.JSONField(null=True, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="assessment_owner_recent")]

    def __str__(self) -> str:
        label = self.client_name or f"Assessment {self.token[:6]}…"
        return f"{label} ({self.get_status_display()})"

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED

    @property
    def has_stored_result(self) -> bool:
        """Whether a result is stored, without reading it when the row came without documents."""
        annotated = self.__dict__.get("has_result")
        if annotated is not None:
            return bool(annotated)
        return self.result is not None

    def stored_result(self) -> dict[str, Any]:
        """The stored result snapshot, read now if the row came without documents."""
        if self.result is None:
            raise ValueError(f"Assessment {self.pk} has no result.")
        stored: dict[str, Any] = self.result
        return stored

    @property
    def result_version(self) -> str:
        """Tells this assessment's stored results (and answers) apart without reading them.

        Every write of the result or of the answers goes through the
        services, which bump ``revision`` in the same save, and completing
        or re-scoring also sets ``completed_at``. The pair still differs
        where the revision alone could repeat with other content: after a
        database restore has put an older revision back.
        """
        completed = self.completed_at.isoformat() if self.completed_at else "-"
        return f"{self.pk}.{self.revision}.{completed}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def changed_after_delivery(self) -> bool:
        """The buyer edited answers after a result was delivered, and has not completed again."""
        return not self.is_completed and self.result is not None


class ReplacedBecause(models.TextChoices):
    RESCORED = "rescored", "Re-scored by the consultant"
    ANSWERS_CHANGED = "answers_changed", "The client changed answers after delivery"


class PastResult(models.Model):
    """A result an assessment had before it was replaced, with its ruleset version.

    Re-scoring, and completing again after the buyer changed answers,
    replace the assessment's result snapshot; the old one is kept here (its
    answers inside it), so what a client was once told can always be shown
    again, and what changed since.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="past_results"
    )
    ruleset = models.ForeignKey(Ruleset, on_delete=models.PROTECT, related_name="+")
    result = models.JSONField()
    scored_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(
        max_length=20, choices=ReplacedBecause.choices, default=ReplacedBecause.RESCORED
    )

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self) -> str:
        return (
            f"Result of {self.assessment} on {self.ruleset} (replaced {self.replaced_at:%Y-%m-%d})"
        )

    @property
    def recommendation(self) -> str | None:
        recommendation: str | None = self.result.get("recommendation")
        return recommendation


class UsageExportFile(models.Model):
    """A usage export the buyer chose to keep ("keep it"); otherwise the file is never stored.

    In the database, not in media/: media files are served by URL, and an
    export is as confidential as the answers. Deleted with the assessment.
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="usage_export_file"
    )
    filename = models.CharField(max_length=120)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filename} ({len(self.content):,} bytes)"


SCENARIO_NAME_MAX_LENGTH = 60


class ScenarioVariant(models.Model):
    """A named "what if" on an assessment: a few answers changed, scored like the assessment.

    ``overrides`` holds the changed answers as typed JSON values (the
    wizard's parser made them); ``outcome`` what scoring the assessment's
    answers with them gave (``advisor.assessments.comparison``), or None
    with ``problem`` saying why when they no longer score (a re-score on a
    ruleset whose questions changed). Re-scored whenever the assessment is.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=SCENARIO_NAME_MAX_LENGTH)
    overrides = models.JSONField(default=dict)
    outcome = models.JSONField(null=True, blank=True, editable=False)
    problem = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.assessment})"
