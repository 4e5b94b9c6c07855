"""Two consultants (A and B), a staff user, and assessments of consultant A.

The assessments are scored on the seeded brief-2026 ruleset, as the wizard
would store them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def client_for(user: User | None, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client
