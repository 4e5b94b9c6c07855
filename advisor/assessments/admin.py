"""Assessments in admin: for support, read-only except owner and client name.

Answers and results are written by the wizard's services only, so admin
cannot produce a result that no scoring run produced.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from advisor.assessments.models import Assessment, PastResult

_PAST_RESULT_FIELDS = ("ruleset", "scored_at", "replaced_at", "replaced_by")


class PastResultInline(admin.TabularInline[PastResult, Assessment]):
    """Results replaced by re-scoring, with their ruleset versions (read-only history)."""

    model = PastResult
    fields = _PAST_RESULT_FIELDS
    readonly_fields = _PAST_RESULT_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin[Assessment]):
    # The owner's private notes are deliberately not shown: they are the consultant's.
    inlines = [PastResultInline]
    list_display = ["__str__", "status", "ruleset", "owner", "updated_at"]
    list_filter = ["status", "ruleset"]
    search_fields = ["client_name", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = [
        "token",
        "ruleset",
        "status",
        "answers",
        "saved_steps",
        "result",
        "revision",
        "created_at",
        "updated_at",
        "completed_at",
    ]
    fields = ["client_name", "owner", *readonly_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
