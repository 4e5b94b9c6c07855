"""PostgreSQL goes away mid-run: 503 with Retry-After, nothing half-written, recovery.

A real gunicorn reaches the test database through a proxy the test cuts
(tests/faults/conftest.py): between requests, and in the middle of a
step's write transaction, just before its COMMIT reaches the server.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection

from advisor.assessments.models import Assessment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "needs PostgreSQL (DATABASE_URL=postgres://..., as in CI): with SQLite the database "
            "is a file inside the process, with no connection to cut and no pool to recover"
        ),
    ),
    # The server under test is another process: it sees committed data only.
    pytest.mark.django_db(transaction=True),
]

RECOVERY_SECONDS = 15


def start_assessment(web_client: Any) -> str:
    landing = web_client.get("/")
    started = web_client.post("/a/start/", {"csrfmiddlewaretoken": landing.csrf_token})
    assert started.status == 303, started.text[:500]
    return started.location.strip("/").split("/")[1]


def post_step(web_client: Any, token: str, slug: str, fields: dict[str, str]) -> int:
    path = f"/a/{token}/step/{slug}/"
    page = web_client.get(path)
    assert page.status == 200, page.status
    return web_client.post(
        path, {**fields, "nav": "next", "csrfmiddlewaretoken": page.csrf_token}
    ).status


def stored(token: str) -> tuple[dict, list, int]:
    assessment = Assessment.objects.get(token=token)
    return assessment.answers, assessment.saved_steps, assessment.revision


def assert_unavailable(page_status: int, headers: dict[str, str], text: str) -> None:
    assert page_status == 503
    assert headers.get("retry-after") == "30"
    assert "Temporarily unavailable" in text
    assert "Traceback" not in text


def wait_until_healthy(web_client: Any) -> float:
    """Seconds until /healthz answers 200 again (bounded)."""
    started = time.monotonic()
    while web_client.get("/healthz", check=False).status != 200:
        assert time.monotonic() - started < RECOVERY_SECONDS, "no recovery"
        time.sleep(0.2)
    return time.monotonic() - started


def test_outage_between_requests_answers_503_and_recovers(
    brief_ruleset: Any, web_client: Any, postgres_proxy: Any
) -> None:
    token = start_assessment(web_client)
    assert post_step(web_client, token, "workload", {"monthly_queries": "20M"}) == 303
    compliance = web_client.get(f"/a/{token}/step/compliance/")
    before = stored(token)

    postgres_proxy.cut()
    for path in ("/healthz", f"/a/{token}/step/compliance/"):
        page = web_client.get(path)
        assert_unavailable(page.status, page.headers, page.text)
    failed = web_client.post(
        f"/a/{token}/step/compliance/",
        {"regimes": "hipaa", "nav": "next", "csrfmiddlewaretoken": compliance.csrf_token},
    )
    assert_unavailable(failed.status, failed.headers, failed.text)
    assert stored(token) == before

    postgres_proxy.restore()
    # The very first request after the database is back works, and every one
    # after it: the pool checks connections before lending them, so the dead
    # ones from before the outage are never handed out (CONN_HEALTH_CHECKS).
    for _ in range(5):
        assert web_client.get(f"/a/{token}/step/compliance/").status == 200
    assert post_step(web_client, token, "compliance", {"regimes": "hipaa"}) == 303
    answers, saved_steps, revision = stored(token)
    assert answers["regimes"] == ["hipaa"]
    assert saved_steps == ["workload", "compliance"]
    assert revision == before[2] + 1


@pytest.mark.parametrize("marker", [b'UPDATE "assessments_assessment"', b"COMMIT"])
def test_outage_inside_a_write_leaves_nothing_half_written(
    brief_ruleset: Any, web_client: Any, postgres_proxy: Any, marker: bytes
) -> None:
    token = start_assessment(web_client)
    assert post_step(web_client, token, "workload", {"monthly_queries": "20M"}) == 303
    page = web_client.get(f"/a/{token}/step/compliance/")
    before = stored(token)

    postgres_proxy.cut_on(marker)
    failed = web_client.post(
        f"/a/{token}/step/compliance/",
        {"regimes": "soc2", "nav": "next", "csrfmiddlewaretoken": page.csrf_token},
    )
    assert postgres_proxy.cuts == 1, "the write never reached the proxy"
    assert_unavailable(failed.status, failed.headers, failed.text)
    assert stored(token) == before  # the server rolled the transaction back with the connection

    postgres_proxy.restore()
    wait_until_healthy(web_client)
    assert post_step(web_client, token, "compliance", {"regimes": "soc2"}) == 303
    answers, saved_steps, revision = stored(token)
    assert answers["regimes"] == ["soc2"]
    assert saved_steps == ["workload", "compliance"]
    assert revision == before[2] + 1


def test_first_request_after_an_unnoticed_outage_works(
    brief_ruleset: Any, web_client: Any, postgres_proxy: Any
) -> None:
    # Two threads, two pooled connections: both idle when the network blips.
    for _ in range(4):
        assert web_client.get("/healthz").status == 200
    postgres_proxy.cut()
    postgres_proxy.restore()
    # Without the pool's check the dead pooled connection was lent out: a 503.
    assert [web_client.get("/healthz").status for _ in range(4)] == [200] * 4
