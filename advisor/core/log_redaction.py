"""Assessment tokens cut to their first 6 characters in every log line.

An assessment's link token (``secrets.token_urlsafe(24)``: 32 URL-safe
characters) is the buyer's only credential, and it travels in the URL path
(``/a/<token>/...``, ``/consultants/assessments/<token>/``) and so in the
Referer. Access logs and Django's request log ("Not Found: /a/<token>/x/")
would keep it in clear for anyone who reads the logs. Six characters stay,
enough to match a line with the consultant's list (which shows the same
prefix) and far too few to open the assessment.

No Django here: gunicorn's master imports this (deploy/gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import re

KEPT_CHARACTERS = 6
ELLIPSIS = "…"

# A whole path segment of 32 to 64 URL-safe characters (the model allows 64),
# after "/" or an encoded "%2F" (a `?next=` parameter). Shorter segments
# (slugs, "start") and longer words stay; hex digests in paths would be cut
# too, which costs nothing.
_TOKEN_SEGMENT = re.compile(
    r"(?:(?<=/)|(?<=%2F)|(?<=%2f))"
    rf"([A-Za-z0-9_-]{{{KEPT_CHARACTERS}}})"
    rf"[A-Za-z0-9_-]{{{32 - KEPT_CHARACTERS},{64 - KEPT_CHARACTERS}}}"
    r"(?![A-Za-z0-9_-])"
)


def redact_tokens(text: str) -> str:
    """``text`` with every token-like path segment cut to its first 6 characters and "…"."""
    return _TOKEN_SEGMENT.sub(rf"\1{ELLIPSIS}", text)


class RedactTokensFilter(logging.Filter):
    """A handler filter: the record's message (and traceback) with tokens cut.

    On the handler (settings.LOGGING), not a logger, so it sees records that
    propagate from every logger (django.request, django.security.csrf, ...).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_tokens(record.exc_text)
        return True
