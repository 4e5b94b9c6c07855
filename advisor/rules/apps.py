from __future__ import annotations

from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "advisor.rules"
    label = "rules"
    verbose_name = "Rules"
