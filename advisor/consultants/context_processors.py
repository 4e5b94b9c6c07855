"""Template context for the navigation: is the signed-in user a consultant?"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from advisor.consultants.services import is_consultant


def workspace(request: HttpRequest) -> dict[str, Any]:
    # A callable: templates call it only where the navigation asks, so pages
    # for anonymous buyers never run the group query.
    return {"is_consultant": lambda: is_consultant(request.user)}
