from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "advisor.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from advisor.core.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="advisor-session-clock")
