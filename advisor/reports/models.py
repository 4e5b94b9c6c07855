"""Rendered PDF reports, kept so that the same report is rendered once."""

from __future__ import annotations

from django.db import models


class CachedReport(models.Model):
    """The PDF of an assessment's current report, under the key it was rendered for.

    One row per assessment: when the answers, the result, the branding or the
    report templates change, the key changes and the next request replaces
    the row. Stored in the database rather than media/ so that every web
    server sees it and it goes when its assessment goes.
    """

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="cached_report"
    )
    cache_key = models.CharField(max_length=64)
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cached PDF report"

    def __str__(self) -> str:
        return f"Report {self.cache_key[:12]} for assessment {self.assessment_id}"
