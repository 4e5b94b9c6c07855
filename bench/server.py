"""The system under test: a fresh PostgreSQL database and gunicorn with production settings.

Plain HTTP on loopback: the HTTPS redirect and the cookies' Secure flag are
turned off (``SECURE_SSL_REDIRECT``, ``SESSION_COOKIE_SECURE``,
``CSRF_COOKIE_SECURE`` = false) because TLS is the reverse proxy's job in
production (deploy/nginx.conf) and a load client that had to fake
``X-Forwarded-Proto`` would also have to fake secure-cookie handling.
Everything else is production: ``DJANGO_DEBUG=false``, the manifest static
storage, the psycopg pool, deploy/gunicorn.conf.py (workers, threads).
Rate limits are off (``RATE_LIMITS_ENABLED=false``): all load comes from
127.0.0.1, which the per-IP limits would otherwise stop within seconds.
Worker recycling (``max_requests``) is off so worker memory is measured
over the whole run rather than reset by a restart.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "advisor_bench")


def ensure_postgres() -> None:
    """Start the machine's PostgreSQL cluster if it is not answering (it never stops it)."""
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0:
        return
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=True
    )
    for _ in range(30):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0:
            return
        time.sleep(1)
    raise RuntimeError("PostgreSQL did not start on 127.0.0.1:5432")


def create_database(name: str = DATABASE_NAME) -> str:
    """Drop and create ``name``; return its DATABASE_URL."""
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
        identifier = sql.Identifier(name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
    return f"{POSTGRES_URL}/{name}"


def production_environment(database_url: str) -> dict[str, str]:
    """The environment of the server and of every manage.py call (see the module docstring)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),  # throwaway: sessions die with the run
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "RATE_LIMITS_ENABLED": "false",
        "STATIC_ROOT": str(RESULTS / "staticfiles"),
        "MEDIA_ROOT": str(RESULTS / "media"),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
    }


def manage(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """gunicorn via deploy/gunicorn.conf.py on a free loopback port."""

    environment: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_seconds: float = 60) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        environment = {**self.environment, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(gunicorn), "--config", "deploy/gunicorn.conf.py", "advisor.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            with (
                contextlib.suppress(OSError, urllib.error.URLError),
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response,  # noqa: S310
            ):
                if response.status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout_seconds} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: workers finish their requests
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def workers(self) -> list[int]:
        return children(self.process.pid) if self.process else []


# --- memory, from /proc ---------------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        found: list[int] = []
        for task in tasks:
            text = (task / "children").read_text()
            found.extend(int(child) for child in text.split())
        return found
    except OSError:
        return []


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class MemorySample:
    worker_max_mib: float  # the largest single gunicorn worker
    workers_mib: float  # all workers
    renderers_mib: float  # the workers' PDF render processes


class RssSampler:
    """Samples the workers' (and their render processes') RSS every ``interval`` seconds."""

    def __init__(self, server: Server, interval: float = 0.5) -> None:
        self.server = server
        self.interval = interval
        self.samples: list[MemorySample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> MemorySample:
        workers = self.server.workers()
        worker_rss = [rss_mib(pid) for pid in workers]
        renderer_rss = [rss_mib(child) for pid in workers for child in children(pid)]
        return MemorySample(max(worker_rss, default=0), sum(worker_rss), sum(renderer_rss))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.samples.append(self.sample())

    @contextlib.contextmanager
    def measuring(self) -> Iterator[list[MemorySample]]:
        """Samples taken while the block runs (a fresh list per block)."""
        self.samples = [self.sample()]
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        try:
            yield self.samples
        finally:
            self._stop.set()
            self._thread.join()
            self.samples.append(self.sample())


def reset_results_dir() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    for stale in ("staticfiles", "media", "phases"):
        shutil.rmtree(RESULTS / stale, ignore_errors=True)
    (RESULTS / "phases").mkdir()
