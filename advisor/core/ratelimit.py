"""Fixed-window rate limits per client IP, counted in the Django cache.

With ``CACHE_URL`` pointing at Redis the counts are shared by every worker
process; with the default local-memory cache each process counts on its
own (so a limit is per process). ``RATE_LIMITS_ENABLED=false`` turns every
limit off (load tests).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from advisor.core.client_ip import client_ip


class RateLimited(Exception):
    """Over the limit: the middleware answers 429 with ``Retry-After``."""

    def __init__(self, scope: str, retry_after_seconds: int) -> None:
        super().__init__(f"Rate limit {scope} exceeded")
        self.scope = scope
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True)
class Limit:
    scope: str
    requests: int
    window_seconds: int


def assessment_start_limit() -> Limit:
    return Limit("assessment-start", settings.RATE_LIMIT_START_PER_HOUR, 3600)


def pdf_render_limit() -> Limit:
    return Limit("pdf-render", settings.RATE_LIMIT_PDF_PER_MINUTE, 60)


def check_rate_limit(request: HttpRequest, limit: Limit) -> None:
    """Count this request against ``limit`` for the client's IP; raise when over it."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    now = time.time()
    window = int(now // limit.window_seconds)
    key = f"ratelimit:{limit.scope}:{client_ip(request)}:{window}"
    # add() is a no-op when the key exists, and incr() is atomic on Redis
    # and memcached: concurrent workers never lose a count.
    cache.add(key, 0, timeout=limit.window_seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=limit.window_seconds + 1)
        count = 1
    if count > limit.requests:
        window_end = (window + 1) * limit.window_seconds
        raise RateLimited(limit.scope, max(1, int(window_end - now + 0.999)))
