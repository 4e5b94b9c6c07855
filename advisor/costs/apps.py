from __future__ import annotations

from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "advisor.costs"
    label = "costs"
    verbose_name = "Price catalog"

    def ready(self) -> None:
        from advisor.costs import signals

        signals.connect()
