"""Assessment tokens never reach a log line in clear (finding 7 of issue 30).

The real gunicorn, started with deploy/gunicorn.conf.py on a loopback port,
answers a request whose path and Referer carry a token; its access log and
Django's request log (on the same stderr) must show the first 6 characters
only.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from advisor.core.log_redaction import RedactTokensFilter, redact_tokens

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, **headers: str) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_gunicorn_access_log_and_django_request_log_show_only_six_characters(tmp_path):
    token = secrets.token_urlsafe(24)
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(GUNICORN), "--config", "deploy/gunicorn.conf.py", "advisor.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                # No such page under the token: a 404 from the URL resolver,
                # which Django's request logger reports with the path.
                status = _get(
                    f"{base}/a/{token}/no-such-page/?next=%2Fa%2F{token}%2F",
                    Referer=f"{base}/a/{token}/step/workload/",
                )
                break
            except (ConnectionError, urllib.error.URLError):
                assert server.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert status == 404
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    lines = log_path.read_text().splitlines()
    access = [line for line in lines if '"GET /a/' in line]
    not_found = [line for line in lines if "Not Found: /a/" in line]
    assert len(access) == 1, lines
    assert len(not_found) == 1, lines
    assert f"GET /a/{token[:6]}…/no-such-page/?next=%2Fa%2F{token[:6]}…%2F" in access[0]
    assert f"/a/{token[:6]}…/step/workload/" in access[0]  # the Referer
    assert f"Not Found: /a/{token[:6]}…/no-such-page/" in not_found[0]
    assert token not in "\n".join(lines)
    # Not even a 7-character piece of it.
    assert token[:7] not in "\n".join(lines)


def test_redaction_keeps_short_segments_and_cuts_every_token_segment():
    token = secrets.token_urlsafe(24)
    assert redact_tokens("/a/start/") == "/a/start/"
    assert redact_tokens("/static/css/app.3f2a1b9c8d7e.css") == "/static/css/app.3f2a1b9c8d7e.css"
    assert (
        redact_tokens(f"POST /consultants/assessments/{token}/lock/ from /a/{token}")
        == f"POST /consultants/assessments/{token[:6]}…/lock/ from /a/{token[:6]}…"
    )


def test_the_filter_cuts_tokens_in_arguments_and_tracebacks():
    token = secrets.token_urlsafe(24)
    try:
        raise ValueError(f"no assessment at /a/{token}/")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
            (f"/a/{token}/result/",), sys.exc_info(),
        )  # fmt: skip
    assert RedactTokensFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert f"Internal Server Error: /a/{token[:6]}…/result/" in formatted
    assert f"no assessment at /a/{token[:6]}…/" in formatted
    assert token not in formatted
