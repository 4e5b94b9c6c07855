"""The request types views annotate, for what the middleware adds.

django-htmx's middleware sets ``request.htmx``; HttpRequest's type does not
know it, so views that read it take :class:`HtmxHttpRequest`, as django-htmx's
docs ("Type checking") and example app do. The pattern is django-stubs':
https://github.com/typeddjango/django-stubs#how-can-i-create-a-httprequest-thats-guaranteed-to-have-an-authenticated-user
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class SignedInHtmxHttpRequest(HtmxHttpRequest):
    """A request behind ``login_required``: its user is never anonymous."""

    user: User
