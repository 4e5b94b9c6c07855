"""gunicorn settings for production: threaded workers sized from the cores.

Every value can be overridden with the usual GUNICORN_* environment or
command-line flags; WEB_CONCURRENCY sets the worker count.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from gunicorn.glogging import Logger

from advisor.core.log_redaction import RedactTokensFilter, redact_tokens

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# gthread: requests wait on PostgreSQL and on PDF rendering, so threads keep
# a worker busy while one request waits. Workers = 2 x cores + 1 is
# gunicorn's rule of thumb; each worker has its own connection pool, so
# workers x DATABASE_POOL_MAX_SIZE must stay under PostgreSQL's max_connections.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Opening the database pool in the master would share its sockets with
# every forked worker: load the app in each worker instead.
preload_app = False

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"


class TokenRedactingLogger(Logger):
    """gunicorn's logger with assessment tokens cut to 6 characters.

    The access log's atoms (request line, path, query, Referer, any header
    or environ value a custom format names) and the error log's messages
    ("Error handling request /a/<token>/...") alike: the token is the
    buyer's only credential (advisor/core/log_redaction.py).
    """

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.addFilter(RedactTokensFilter())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_tokens(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = TokenRedactingLogger
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
