"""Fault-injection tools: a cuttable TCP proxy to PostgreSQL, a real gunicorn, a tiny HTTP client.

The machine's PostgreSQL server is shared (other tests, other people): an
outage is simulated by cutting a proxy that sits between one gunicorn and
the test database, never by stopping the server.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- the proxy ----------------------------------------------------------------------------


class PostgresProxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL until cut.

    ``cut()`` closes every open connection and answers new ones by closing
    them at once, as a crashed or unreachable server would look to psycopg.
    ``cut_on(marker)`` cuts the moment a client sends bytes containing
    ``marker`` (the SQL text travels in clear with ``sslmode=disable``),
    without forwarding them: an outage in the middle of a transaction.
    """

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._up = threading.Event()
        self._up.set()
        self._marker: bytes | None = None
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._closed = threading.Event()
        self.cuts = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            self._up.clear()
            self.cuts += 1
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def cut_on(self, marker: bytes) -> None:
        self._marker = marker

    def restore(self) -> None:
        self._marker = None
        self._up.set()

    def close(self) -> None:
        self._closed.set()
        self.cut()
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._up.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, from_client: bool) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
                return
            marker = self._marker
            if from_client and marker is not None and marker in data:
                self.cut()  # these bytes never reach the server
                return
            try:
                target.sendall(data)
            except OSError:
                return


@pytest.fixture
def postgres_proxy() -> Iterator[PostgresProxy]:
    settings = connection.settings_dict
    proxy = PostgresProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432))
    yield proxy
    proxy.close()


# --- a real server behind the proxy --------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def logs(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server_behind_proxy(
    transactional_db: None, postgres_proxy: PostgresProxy, tmp_path: Path
) -> Iterator[LiveServer]:
    """gunicorn (deploy/gunicorn.conf.py, one worker) on the test database, via the proxy.

    The test must commit what the server should see (``transactional_db``).
    A short pool timeout keeps an outage's 503 quick (production: 10 s).
    """
    settings = connection.settings_dict
    port = _free_port()
    database_url = (
        f"postgres://{settings['USER']}@127.0.0.1:{postgres_proxy.port}/{settings['NAME']}"
        "?sslmode=disable"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_POOL_TIMEOUT": "2",
        "DJANGO_DEBUG": "true",  # no collected static files needed; the 503 path is the same
        "RATE_LIMITS_ENABLED": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = settings["PASSWORD"]
    log = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--config", "deploy/gunicorn.conf.py", "advisor.wsgi"],
        cwd=ROOT,
        env=environment,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 30
        while WebClient(server.url).get("/healthz", check=False).status != 200:
            assert process.poll() is None, server.logs()
            assert time.monotonic() < deadline, server.logs()
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def web_client(server_behind_proxy: LiveServer) -> WebClient:
    return WebClient(server_behind_proxy.url)


# --- an HTTP client that keeps cookies and reads forms ------------------------------------


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return urlparse(self.headers.get("location", "")).path

    @property
    def csrf_token(self) -> str:
        match = CSRF_FIELD.search(self.text)
        assert match, "no CSRF field on the page"
        return match.group(1)


@dataclass
class WebClient:
    """Cookies and forms over plain http.client; redirects are not followed."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, *, check: bool = True) -> Page:
        return self._request("GET", path, None, check=check)

    def post(self, path: str, fields: dict[str, str | list[str]]) -> Page:
        return self._request("POST", path, urlencode(fields, doseq=True), check=True)

    def _request(self, method: str, path: str, body: str | None, *, check: bool) -> Page:
        parsed = urlparse(self.base_url)
        conn = http.client.HTTPConnection(parsed.hostname or "", parsed.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            page = Page(
                response.status,
                {name.lower(): value for name, value in response.getheaders()},
                response.read().decode(errors="replace"),
            )
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(header)
                self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        except OSError:
            if check:
                raise
            return Page(0, {}, "")
        finally:
            conn.close()
        return page
