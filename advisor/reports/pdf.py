"""HTML -> PDF with WeasyPrint, in a child process that can be killed on a deadline.

A Python thread cannot be stopped, so a render that runs away (a layout
WeasyPrint finds exponential, a huge table) would keep a web worker's CPU
forever. Renders therefore run in one long-lived child process per web
process: a render that misses its deadline gets the child killed and a new
one started for the next request, and the web worker carries on. The
deadline counts the child's CPU time, not the clock: a render that is only
waiting for a core on a busy machine is not one that runs away, and killing
it would throw its work away for the same render to start again on demand.
The clock is still bounded, at ``WALL_CLOCK_FACTOR`` times the deadline,
for a child that makes no progress at all (stopped, swapped out). The child
is also replaced every ``renders_per_process`` renders, so whatever memory
WeasyPrint keeps between renders (caches, fragmentation) cannot grow
without bound.

Pure: no Django import. The child is a fresh interpreter running this module
(``python -m advisor.reports.pdf``), not a fork, so it never inherits a web
worker's threads, locks or database connections; and not multiprocessing's
"spawn", which re-imports the parent's ``__main__`` (a script without a
main guard would start itself again).
"""

from __future__ import annotations

import atexit
import gc
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

DEFAULT_TIMEOUT_SECONDS = 20.0
# A render may take this many times its CPU deadline on the clock: room for a
# machine whose cores are shared three ways, never unbounded.
WALL_CLOCK_FACTOR = 3.0
# How long a request waits for this process's renderer before it gives up
# with PdfRenderBusy (a 503 with Retry-After): a thread never queues without
# bound behind other renders.
DEFAULT_QUEUE_WAIT_SECONDS = 10.0
DEFAULT_RENDERS_PER_PROCESS = 200
# The report template bounds every list it shows; this catches anything that
# slipped through before WeasyPrint spends seconds laying it out.
MAX_HTML_CHARS = 2_000_000


class PdfRenderError(Exception):
    """The PDF could not be produced; the message is for logs, not for users."""


class PdfRenderTimeout(PdfRenderError):
    """The render missed its deadline; the render process was replaced."""


class PdfRenderBusy(PdfRenderError):
    """The renderer stayed busy with other reports for the whole queue wait; nothing ran."""


class PdfResourceRefused(PdfRenderError):
    """The document asked for a URL the locked-down fetcher refuses."""


@dataclass(frozen=True)
class RenderJob:
    """What the child needs: the HTML and where relative URLs and files may come from."""

    html: str
    base_url: str | None
    allowed_roots: tuple[str, ...]
    # In-memory documents served under exact ``report:`` URLs: (url, bytes, type).
    resources: tuple[tuple[str, bytes, str], ...] = ()
    # Style sheets applied in this order (CSS text, no url()): parsed once per
    # render process, see _stylesheet.
    stylesheets: tuple[str, ...] = ()


def render_pdf_here(job: RenderJob) -> bytes:
    """Render in this process (the child calls this; tests and benchmarks may too)."""
    # Imported here: the parent process never needs WeasyPrint loaded.
    from weasyprint import HTML

    from advisor.reports.fetcher import LockedDownURLFetcher

    fetcher = LockedDownURLFetcher(
        allowed_roots=job.allowed_roots,
        resources={url: (body, content_type) for url, body, content_type in job.resources},
    )
    document = HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher)
    # attachments=None and no forms: nothing but the laid-out pages goes in.
    pdf: bytes = document.write_pdf(
        stylesheets=[_stylesheet(css) for css in job.stylesheets],
        attachments=None,
        pdf_forms=False,
        font_config=_font_configuration(),
    )
    return pdf


_stylesheets: dict[str, object] = {}
MAX_CACHED_STYLESHEETS = 32


def _stylesheet(css: str) -> object:
    """The parsed style sheet, once per render process for the same text.

    A ``<link>`` or ``<style>`` in the document is parsed again by every
    render: some 3 % of a warm report render. A parsed ``weasyprint.CSS`` is
    only read by the cascade, so one serves every render (WeasyPrint keeps
    its own user-agent style sheets the same way). Passed as user style
    sheets: below the document's own (the report has none), above the user
    agent's, in order, so the cascade is the one a ``<link>`` then a
    ``<style>`` gave. Nothing is fetched: the fetcher refuses every URL.
    There is one text per accent colour, hence the bound.
    """
    parsed = _stylesheets.get(css)
    if parsed is None:
        from weasyprint import CSS

        from advisor.reports.fetcher import LockedDownURLFetcher

        if len(_stylesheets) >= MAX_CACHED_STYLESHEETS:
            _stylesheets.clear()
        fetcher = LockedDownURLFetcher(allowed_roots=(), resources={})
        parsed = CSS(string=css, url_fetcher=fetcher, font_config=_font_configuration())
        _stylesheets[css] = parsed
    return parsed


_font_config: object | None = None


def _font_configuration() -> object:
    """One WeasyPrint FontConfiguration for all the renders of this process.

    A new one per render (WeasyPrint's default) starts Pango's font map and
    its caches cold every time: some 4 % of a warm report render. The report
    declares no @font-face (system fonts only), so nothing one render adds to
    it can change another's fonts; the process is replaced every
    ``renders_per_process`` renders anyway.
    """
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


# CPython 3.11 keeps its frame stack in 16 KiB chunks. A chunk is unmapped as
# soon as the call depth falls back below it, and mapped again by the next
# call that climbs past its edge: python/cpython#142183, fixed in 3.13 and
# 3.14 (a spare chunk per thread), not in 3.11. WeasyPrint lays out by
# recursion and loops deep inside it. Where its busiest calls straddle an
# edge, one report render mapped, touched and unmapped a chunk some 12,000
# times (a page fault each) and took 552-578 ms instead of 494-521 ms; at
# the worst depth 35,000 times and 657 ms. So the child starts each render
# some frames deeper, which moves the edges away from the busy depths. Which
# depths are busy depends on the template and WeasyPrint's version, so the
# child checks its own page faults: two renders in a row over THRASHING_FAULTS
# move the next render to the next offset. The offsets, 24 frames apart, sweep one
# chunk (about 120 frames of at_depth); 160 measured best for the report
# (``python -m bench.pdf`` prints the faults per render). 256 frames and
# WeasyPrint's own 62 stay far inside the recursion limit of 1,000.
STACK_OFFSETS = (160, 184, 208, 232, 256)
# A report render at a good depth faulted 550-3,100 pages in, at a bad one 7,600-35,000.
THRASHING_FAULTS = 4_000


class StackOffset:
    """How many frames deeper the next render starts; moves on when renders thrash.

    Only two thrashing renders in a row move it: a render that meets new
    fonts, a logo or a longer report faults pages in once, chunk churn does so
    on every render.
    """

    def __init__(self, offsets: Sequence[int] = STACK_OFFSETS) -> None:
        self.offsets = tuple(offsets)
        self._index = 0
        self._thrashed = False

    @property
    def frames(self) -> int:
        return self.offsets[self._index]

    def record(self, faults: int) -> None:
        """After a render: ``faults`` minor page faults (``ru_minflt``) it took."""
        thrashed = faults > THRASHING_FAULTS
        if thrashed and self._thrashed:
            self._index = (self._index + 1) % len(self.offsets)
            thrashed = False
        self._thrashed = thrashed


def at_depth(frames: int, function: Callable[[RenderJob], bytes], job: RenderJob) -> bytes:
    """``function(job)``, called ``frames`` Python frames deeper than this call."""
    if frames <= 0:
        return function(job)
    return at_depth(frames - 1, function, job)


def _minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _child_main() -> None:
    """Render jobs read from stdin until the parent closes it; replies go to stdout."""
    from advisor.reports.fetcher import RefusedURLError

    # The protocol owns the original stdout; anything a library prints goes
    # to stderr instead of corrupting a reply.
    requests = Connection(os.dup(0), writable=False)
    replies = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    frozen = False
    offset = StackOffset()
    while True:
        try:
            job = requests.recv()
        except (EOFError, OSError):
            return
        # A render allocates some 100,000 boxes, styles and layouts that live
        # until it ends, and all of it ends as cyclic garbage. The cyclic
        # collector, run on allocation counts, traversed them (and the
        # long-lived heap) again and again: a fifth of the render. It is off
        # while a render runs and makes one pass once the reply is sent, off
        # the requester's clock, so memory between renders stays where it
        # was. What the first render leaves (WeasyPrint's modules, its
        # user-agent stylesheets, fonts) is frozen out of those passes.
        # https://docs.python.org/3/library/gc.html#gc.freeze
        gc.disable()
        reply: tuple[str, bytes | str]
        faults_before = _minor_faults()
        try:
            reply = ("ok", at_depth(offset.frames, render_pdf_here, job))
        except RefusedURLError as error:  # a BaseException, not an Exception
            reply = ("refused", str(error))
        except Exception as error:
            reply = ("error", f"{type(error).__name__}: {error}")
        faults = _minor_faults() - faults_before
        replies.send(reply)
        del reply
        gc.enable()
        gc.collect()
        offset.record(faults)
        if not frozen:
            gc.freeze()
            frozen = True


class RenderProcess:
    """One child process rendering one job at a time (calls are serialised)."""

    def __init__(
        self,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        renders_per_process: int = DEFAULT_RENDERS_PER_PROCESS,
        queue_wait_seconds: float = DEFAULT_QUEUE_WAIT_SECONDS,
    ) -> None:
        self.timeout_seconds = timeout_seconds
        self.queue_wait_seconds = queue_wait_seconds
        self.renders_per_process = renders_per_process
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._requests: Connection | None = None
        self._replies: Connection | None = None
        self._renders = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def render(
        self,
        html: str,
        *,
        base_url: str | None,
        allowed_roots: Sequence[Path | str],
        resources: Sequence[tuple[str, bytes, str]] = (),
        stylesheets: Sequence[str] = (),
        timeout_seconds: float | None = None,
    ) -> bytes:
        if len(html) > MAX_HTML_CHARS:
            raise PdfRenderError(f"The report HTML is too large ({len(html):,} characters).")
        job = RenderJob(
            html,
            base_url,
            tuple(str(root) for root in allowed_roots),
            tuple(resources),
            tuple(stylesheets),
        )
        deadline = self.timeout_seconds if timeout_seconds is None else timeout_seconds
        if not self._lock.acquire(timeout=self.queue_wait_seconds):
            raise PdfRenderBusy(
                f"The renderer was busy for {self.queue_wait_seconds:g} s with other reports."
            )
        try:
            requests, replies = self._ensure_started()
            try:
                requests.send(job)
                overrun = self._await_reply(replies, deadline)
                if overrun is not None:
                    self._stop(kill=True)
                    raise PdfRenderTimeout(overrun)
                status, payload = replies.recv()
            except (EOFError, OSError, BrokenPipeError) as error:
                self._stop()
                raise PdfRenderError(f"The render process died: {error!r}") from error
            self._renders += 1
            if self._renders >= self.renders_per_process:
                self._stop()
        finally:
            self._lock.release()
        if status == "ok":
            assert isinstance(payload, bytes)  # the child replies ("ok", the PDF's bytes)
            return payload
        if status == "refused":
            raise PdfResourceRefused(payload)
        raise PdfRenderError(payload)

    def _await_reply(self, replies: Connection, deadline: float) -> str | None:
        """Wait for the child's reply; why it missed its deadline, or None once it is there."""
        pid = self.pid
        started_at = time.monotonic()
        cpu_before = child_cpu_seconds(pid)
        wall_limit = deadline * WALL_CLOCK_FACTOR
        while True:
            wall = time.monotonic() - started_at
            cpu_now = child_cpu_seconds(pid)
            # Without /proc (not Linux) the clock is all there is to go by.
            cpu = wall if cpu_now is None or cpu_before is None else cpu_now - cpu_before
            if cpu >= deadline:
                return f"The render used more than {deadline:g} s of CPU."
            if wall >= wall_limit:
                return f"The render took longer than {wall_limit:g} s on the clock."
            # CPU time never runs ahead of the clock, so the child cannot pass
            # its deadline before this much more time has gone by.
            if replies.poll(min(deadline - cpu, wall_limit - wall)):
                return None

    def warm_up(self) -> None:
        """Start the child now (it imports WeasyPrint, about half a second)."""
        self.render("<p>warm-up</p>", base_url=None, allowed_roots=())

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _ensure_started(self) -> tuple[Connection, Connection]:
        if self._process is not None and self._process.poll() is None:
            assert self._requests is not None and self._replies is not None
            return self._requests, self._replies
        self._stop()
        # The child must import this package however the parent found it
        # (an editable install, the checkout on sys.path, a test runner).
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))}
        process = subprocess.Popen(
            [sys.executable, "-m", "advisor.reports.pdf"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
        )
        assert process.stdin is not None and process.stdout is not None
        self._requests = Connection(os.dup(process.stdin.fileno()), readable=False)
        self._replies = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        self._process, self._renders = process, 0
        return self._requests, self._replies

    def _stop(self, *, kill: bool = False) -> None:
        process, requests, replies = self._process, self._requests, self._replies
        self._process = self._requests = self._replies = None
        for connection in (requests, replies):
            if connection is not None:
                connection.close()
        if process is None:
            return
        # Closing its stdin ends an idle child; a busy (timed out) one is killed.
        try:
            process.wait(timeout=0 if kill else 2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def child_cpu_seconds(pid: int | None) -> float | None:
    """User plus system CPU seconds process ``pid`` has used (Linux /proc); None if unknown."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After the command name: state is field 3, utime 14 and stime 15 (proc(5)).
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


_shared: RenderProcess | None = None
_shared_lock = threading.Lock()


def shared_render_process() -> RenderProcess:
    """The render process of this (web) process, started on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = RenderProcess()
            atexit.register(_shared.close)
        return _shared


if __name__ == "__main__":
    _child_main()
