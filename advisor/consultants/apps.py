from __future__ import annotations

from django.apps import AppConfig


class ConsultantsConfig(AppConfig):
    name = "advisor.consultants"
    label = "consultants"
    verbose_name = "Consultants"
