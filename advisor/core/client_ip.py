"""The client's IP address, as rate limits and login lock-outs see it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """``REMOTE_ADDR``, or the header a trusted proxy sets (``CLIENT_IP_HEADER``).

    Behind a reverse proxy every client has the proxy's address, so one
    noisy client would exhaust everyone's limits; the proxy must then set a
    header it always overwrites (nginx: ``proxy_set_header X-Real-IP
    $remote_addr``) and ``CLIENT_IP_HEADER=HTTP_X_REAL_IP`` names it. A
    header the proxy only appends to (X-Forwarded-For) is not trusted here.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded: str = request.META.get(header, "").strip()
        if forwarded:
            return forwarded
    return str(request.META.get("REMOTE_ADDR") or "unknown")
