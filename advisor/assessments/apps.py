from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "advisor.assessments"
    label = "assessments"
    verbose_name = "Assessments"
