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

The cache is Redis, as in production (deploy/compose.yaml): the machine's
Redis on 127.0.0.1:6379, database ``BENCH_REDIS_DB`` (default 9), emptied
before the run, so every gunicorn worker shares the cached result-page
fragments and counters as production's servers do. Without a Redis there,
the run falls back to each process's own memory and says so.

Background workers (``manage.py task_workers``, :class:`TaskWorkers`) run beside
gunicorn as ``make serve-prod`` runs them: the same environment and
database, under ``nice -n 10`` so requests get the CPU first (deploy/README.md,
"Background workers"); ``BENCH_TASK_WORKERS`` sets how many worker
processes (default 2, as ``TASK_WORKER_PROCESSES``). Every process runs this
checkout's code: ``PYTHONPATH`` is the checkout, whatever the virtualenv's
editable install points at.
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


def redis_cache_url() -> str | None:
    """The bench's own Redis database, emptied, or None when no Redis answers on loopback."""
    database = int(os.environ.get("BENCH_REDIS_DB", "9"))
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(f"SELECT {database}\r\nFLUSHDB\r\n".encode())
            reply = b""
            while reply.count(b"\r\n") < 2:
                chunk = connection.recv(64)
                if not chunk:
                    break
                reply += chunk
    except OSError:
        return None
    if reply != b"+OK\r\n+OK\r\n":
        return None
    return f"redis://127.0.0.1:6379/{database}"


def production_environment(database_url: str, cache_url: str | None = None) -> dict[str, str]:
    """The environment of the server and of every manage.py call (see the module docstring)."""
    cache = {"CACHE_URL": cache_url} if cache_url else {}
    return {
        **os.environ,
        **cache,
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
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
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


# As `make serve-prod` runs its workers; BENCH_TASK_WORKER_NICENESS=0 to
# compare on a machine other work keeps busy (niced workers then starve).
TASK_WORKER_NICENESS = int(os.environ.get("BENCH_TASK_WORKER_NICENESS", "10"))


@dataclass
class TaskWorkers:
    """``manage.py task_workers`` on the server's database (see the module docstring)."""

    environment: dict[str, str]
    log_path: Path
    count: int = field(default_factory=lambda: int(os.environ.get("BENCH_TASK_WORKERS", "2")))
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> None:
        # A worker's pool needs two connections at most (deploy/README.md).
        environment = {**self.environment, "DATABASE_POOL_MAX_SIZE": "2"}
        log = self.log_path.open("wb")
        command = ["nice", "-n", str(TASK_WORKER_NICENESS), sys.executable, "manage.py",
                   "task_workers", "--processes", str(self.count)]  # fmt: skip
        self.processes.append(
            subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        )

    def stop(self) -> None:
        """SIGTERM: each worker finishes the task in hand (a render, under its deadline)."""
        running = [process for process in self.processes if process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def pids(self) -> list[int]:
        return [process.pid for process in self.processes if process.poll() is None]

    def kill_one_rendering(self, timeout_seconds: float = 30) -> tuple[int, str] | None:
        """SIGKILL the worker process holding a RUNNING task: (its pid, the task id), or None.

        The worker id is host-pid-slot (advisor/core/task_workers.worker_id);
        only a pid among this supervisor's children is killed.
        """
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        ours = {child for pid in self.pids() for child in children(pid)}
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
                pid = int(task.worker_ids[-1].rsplit("-", 2)[1])
                if pid in ours:
                    os.kill(pid, signal.SIGKILL)
                    return pid, str(task.id)
            time.sleep(0.05)
        return None


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its reaped children (/proc/<pid>/stat), seconds.

    The reaped children's share (cutime, cstime) keeps a render process that
    exited (replaced, or killed at its deadline) counted with its parent.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    found, frontier = [], [pid]
    while frontier:
        frontier = [child for parent in frontier for child in children(parent)]
        found.extend(frontier)
    return found


def wait_until_idle(
    roots: list[int], *, cores: float = 0.1, window: float = 1.0, timeout: float = 60
) -> float:
    """Wait until ``roots`` and their descendants use under ``cores`` CPUs over ``window``.

    A phase's load client stops at its deadline, but the server keeps
    working through what it had accepted (a queue of renders, say): the
    next phase would otherwise measure the previous one's leftovers.
    Returns the seconds waited (``timeout`` at most).
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        pids = [*roots, *(child for root in roots for child in descendants(root))]
        before = sum(cpu_seconds(pid) for pid in pids)
        time.sleep(window)
        if sum(cpu_seconds(pid) for pid in pids) - before < cores * window:
            break
    return time.monotonic() - started


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all CPUs, /proc/stat), so far."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(roots: list[int]) -> float:
    """CPU seconds of ``roots`` and their descendants (those that exited and were reaped too)."""
    pids = [*roots, *(child for root in roots for child in descendants(root))]
    return sum(cpu_seconds(pid) for pid in pids)


def reset_results_dir() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    for stale in ("staticfiles", "media", "phases"):
        shutil.rmtree(RESULTS / stale, ignore_errors=True)
    (RESULTS / "phases").mkdir()
