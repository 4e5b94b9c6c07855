"""A PDF render that misses its deadline: a clean 503, the render process replaced, the next works.

The web process (here, the test's) keeps serving: only the render child,
which a thread could not have stopped, is killed and started afresh.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from advisor.reports.models import CachedReport
from advisor.reports.pdf import shared_render_process
from advisor.reports.services import RENDER_FAILURE_MEMORY_SECONDS

pytestmark = pytest.mark.django_db


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(autouse=True)
def _rate_limits_off(settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False


def test_render_past_its_deadline_is_a_clean_503_and_the_next_render_works(
    make_completed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    slow = make_completed(client_name="Slow Ltd")
    later = make_completed(client_name="Later Ltd")
    renderer = shared_render_process()
    renderer.warm_up()  # a running render process, as in a worker that has served a PDF
    child = renderer.pid
    assert child is not None and alive(child)

    # A full report takes far longer than 50 ms: the deadline passes mid-render.
    monkeypatch.setattr(renderer, "timeout_seconds", 0.05)
    failed = client.get(f"/a/{slow.token}/report.pdf")

    assert failed.status_code == 503
    assert failed["Retry-After"]
    body = failed.content.decode()
    assert "The PDF report could not be produced" in body
    assert "Traceback" not in body and "PdfRenderTimeout" not in body
    assert not alive(child), "the runaway render process was not killed"
    assert not CachedReport.objects.filter(assessment=slow).exists()  # no half-made PDF cached

    monkeypatch.undo()
    # The failure is remembered for its cache key (issue 15): answered at
    # once, without another render deadline, for a few minutes.
    again = client.get(f"/a/{slow.token}/report.pdf")
    assert again.status_code == 503
    assert 0 < int(again["Retry-After"]) <= RENDER_FAILURE_MEMORY_SECONDS
    response = client.get(f"/a/{later.token}/report.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert renderer.pid not in (None, child)  # a fresh render process
    cache.clear()  # as when the few minutes have passed
    response = client.get(f"/a/{slow.token}/report.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
