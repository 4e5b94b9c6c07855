"""The render deadline counts CPU time; the clock bounds only a child that makes no progress.

A render that waits for a core on a busy machine must not be killed as a
runaway one (its work would be thrown away and done again on demand); a
child that makes no progress at all is still stopped, at WALL_CLOCK_FACTOR
times the deadline. SIGSTOP plays the busy machine: a stopped child uses no
CPU while the clock runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from advisor.reports.pdf import (
    WALL_CLOCK_FACTOR,
    PdfRenderTimeout,
    RenderProcess,
    child_cpu_seconds,
)

# Enough boxes for a render of a second or so of CPU on this machine.
BIG = "<table>" + "<tr><td>cell</td><td>cell</td><td>cell</td></tr>" * 4000 + "</table>"


@pytest.fixture
def renderer() -> Iterator[RenderProcess]:
    process = RenderProcess()
    process.warm_up()
    yield process
    process.close()


def _stop_for(pid: int, seconds: float) -> threading.Thread:
    """Stop process ``pid`` now and let it go on after ``seconds`` (from another thread)."""
    os.kill(pid, signal.SIGSTOP)

    def resume() -> None:
        time.sleep(seconds)
        with contextlib.suppress(ProcessLookupError):  # killed meanwhile
            os.kill(pid, signal.SIGCONT)

    thread = threading.Thread(target=resume)
    thread.start()
    return thread


def test_child_cpu_seconds_reads_the_cpu_a_process_has_used() -> None:
    before = child_cpu_seconds(os.getpid())
    assert before is not None
    spin_until = time.process_time() + 0.3
    while time.process_time() < spin_until:
        pass
    after = child_cpu_seconds(os.getpid())
    assert after is not None and after - before >= 0.2
    assert child_cpu_seconds(None) is None
    assert child_cpu_seconds(2**22 + 12345) is None  # no such process


def test_a_render_stopped_longer_than_its_deadline_on_the_clock_still_finishes(
    renderer: RenderProcess,
) -> None:
    pid = renderer.pid
    assert pid is not None
    # Stopped for 1.5 s of a 1 s deadline: past it on the clock, far inside it in CPU.
    resumer = _stop_for(pid, 1.5)
    started = time.monotonic()
    pdf = renderer.render(
        "<p>waited for a core</p>", base_url=None, allowed_roots=(), timeout_seconds=1.0
    )
    resumer.join()
    assert pdf.startswith(b"%PDF")
    assert time.monotonic() - started >= 1.5
    assert renderer.pid == pid  # not killed and replaced


def test_a_child_that_makes_no_progress_is_killed_at_the_clock_bound(
    renderer: RenderProcess,
) -> None:
    pid = renderer.pid
    assert pid is not None
    resumer = _stop_for(pid, 3.0)
    started = time.monotonic()
    with pytest.raises(PdfRenderTimeout, match="on the clock"):
        renderer.render("<p>never</p>", base_url=None, allowed_roots=(), timeout_seconds=0.4)
    waited = time.monotonic() - started
    resumer.join()
    assert 0.4 * WALL_CLOCK_FACTOR <= waited < 0.4 * WALL_CLOCK_FACTOR + 1.0
    assert renderer.pid != pid  # the stopped child was killed; the next render starts a new one
    assert renderer.render("<p>next</p>", base_url=None, allowed_roots=()).startswith(b"%PDF")


def test_a_render_that_uses_more_cpu_than_its_deadline_is_killed(renderer: RenderProcess) -> None:
    pid = renderer.pid
    with pytest.raises(PdfRenderTimeout, match="of CPU"):
        renderer.render(BIG, base_url=None, allowed_roots=(), timeout_seconds=0.1)
    assert renderer.pid != pid
