from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "advisor.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Django's place to connect receivers: the models are loaded by now.
        from advisor.reports import signals

        signals.connect()
