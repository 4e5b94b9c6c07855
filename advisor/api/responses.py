"""JSON answers built by the advisor itself, and conditional GETs (ETag, 304)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """``data`` as JSON exactly as given: not passed through a schema again."""
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status, content_type="application/json"
    )


def strong_etag(*parts: str) -> str:
    """A quoted strong ETag from what identifies the content (never the content's ids)."""
    return '"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """A 304 when the client already has ``etag``, else None."""
    if etag not in parse_etags(request.headers.get("If-None-Match", "")):
        return None
    response = HttpResponseNotModified()
    response["ETag"] = etag
    return response


def with_etag(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    # Confidential: a browser may keep it but must revalidate; shared caches must not.
    response["Cache-Control"] = "private, no-cache"
    return response
