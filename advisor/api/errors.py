"""Every exception the API's endpoints let through, as problem details (never a 500 page).

Registered on the API (:func:`register`): ninja looks a handler up along the
exception's classes, so ``RateLimited`` (a ``PermissionDenied``) gets its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from advisor.api.problems import (
    INVALID_ANSWERS,
    INVALID_REQUEST,
    RATE_LIMITED,
    WRITE_REFUSED,
    field_errors,
    problem,
)
from advisor.assessments.write_guard import WriteRefused
from advisor.core.rate_limits import REFUSAL_MESSAGES, RateLimited
from advisor.rules.services import InvalidAnswers, NoCurrentRuleset

INVALID_ANSWERS_DETAIL = "Some answers do not fit the questions: see errors (one per field)."
NOT_FOUND_DETAIL = "No such assessment (or not one of yours)."


def invalid_answers(request: HttpRequest, error: InvalidAnswers) -> HttpResponse:
    return problem(
        status=422,
        type_uri=INVALID_ANSWERS,
        title="Invalid answers",
        detail=INVALID_ANSWERS_DETAIL,
        errors=field_errors(error.errors),
    )


def invalid_request(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A body or query that is not the schema's shape (pydantic's errors, by field)."""
    errors = [
        {
            "field": ".".join(str(part) for part in item.get("loc", ()) if part != "body")
            or "body",
            "message": str(item.get("msg", "")),
        }
        for item in error.errors
    ]
    return problem(
        status=422,
        type_uri=INVALID_REQUEST,
        title="Invalid request",
        detail="The request does not have the documented shape: see errors.",
        errors=errors,
    )


def write_refused(request: HttpRequest, error: WriteRefused) -> HttpResponse:
    return problem(
        status=409,
        type_uri=WRITE_REFUSED,
        title="Not allowed in this state",
        detail=error.message,
        state=error.state.value,
    )


def rate_limited(request: HttpRequest, error: RateLimited) -> HttpResponse:
    seconds = error.retry_after_seconds
    detail = REFUSAL_MESSAGES.get(error.group, "")
    return problem(
        status=429,
        type_uri=RATE_LIMITED,
        detail=detail or f"Too many requests from your address: try again in {seconds} seconds.",
        headers={"Retry-After": str(seconds)},
    )


def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return problem(
        status=401,
        detail="Send a personal API token (Authorization: Bearer adv_…) or sign in.",
        headers={"WWW-Authenticate": 'Bearer realm="api"'},
    )


def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return problem(status=403, detail=str(error) or "Not allowed.")


def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(status=404, detail=NOT_FOUND_DETAIL)


def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem(status=error.status_code, detail=str(error.message))


def no_ruleset(request: HttpRequest, error: NoCurrentRuleset) -> HttpResponse:
    return problem(
        status=503,
        detail="No ruleset is published yet: the advisor cannot score answers.",
        headers={"Retry-After": "60"},
    )


def too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return problem(
        status=413,
        detail="The request body is larger than the API reads (answers are a few hundred bytes).",
    )


HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    InvalidAnswers: invalid_answers,
    ValidationError: invalid_request,
    WriteRefused: write_refused,
    RateLimited: rate_limited,
    AuthenticationError: unauthenticated,
    PermissionDenied: forbidden,
    Http404: not_found,
    HttpError: http_error,
    NoCurrentRuleset: no_ruleset,
    RequestDataTooBig: too_big,
}


def register(api: NinjaAPI) -> None:
    for exception, handler in HANDLERS.items():
        api.add_exception_handler(exception, handler)
