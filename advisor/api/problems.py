"""Errors as RFC 9457 problem details (``application/problem+json``).

Every refusal the API gives has the same shape: ``type`` (a URI naming the
kind of problem; ``about:blank`` when the status says it all), ``title``,
``status``, ``detail`` and, for bad answers, ``errors``: one
``{"field", "message"}`` per field, with the message the wizard shows on
that field. https://www.rfc-editor.org/rfc/rfc9457
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Relative URIs (RFC 9457 section 3.1.1): resolved against the API's address.
INVALID_ANSWERS = "/api/v1/problems/invalid-answers"
INVALID_REQUEST = "/api/v1/problems/invalid-request"
WRITE_REFUSED = "/api/v1/problems/write-refused"
RATE_LIMITED = "/api/v1/problems/rate-limited"


def problem(
    *,
    status: int,
    detail: str = "",
    type_uri: str = "about:blank",
    title: str = "",
    errors: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> HttpResponse:
    """A problem details response; ``title`` defaults to the status's phrase."""
    body: dict[str, Any] = {
        "type": type_uri,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    listed = [dict(error) for error in errors]
    if listed:
        body["errors"] = listed
    body.update(extensions)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors(errors: Iterable[Any]) -> list[dict[str, str]]:
    """``AnswerError``-like objects (``key``, ``message``) as the problem's ``errors``."""
    return [{"field": str(error.key), "message": str(error.message)} for error in errors]
