"""Rate limits: assessment starts per IP per hour, PDF renders per IP per minute (429)."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from ..conftest import client_for


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_START_PER_HOUR = 3
    settings.RATE_LIMIT_PDF_PER_MINUTE = 2
    cache.clear()
    yield
    cache.clear()


def start(client, ip: str = "198.51.100.1"):
    return client.post(reverse("assessments:start"), REMOTE_ADDR=ip)


def test_starts_over_the_limit_get_429_with_retry_after(limits_on, brief_ruleset, client):
    with time_machine.travel("2026-01-05 09:10:00 +0000", tick=False) as clock:
        assert [start(client).status_code for _ in range(3)] == [303, 303, 303]
        refused = start(client)
        retry_after = int(refused["Retry-After"])
        # Until this client's hour ends (django-ratelimit offsets each
        # client's window): still refused a second before, let in then.
        clock.shift(retry_after - 1)
        assert start(client).status_code == 429
        clock.shift(1)
        assert start(client).status_code == 303
    assert refused.status_code == 429
    assert 1 <= retry_after <= 3600
    body = refused.content.decode()
    assert "Too many requests" in body
    assert f"Please try again in {-(-retry_after // 60)} minute" in body


def test_start_limit_is_per_client_ip_and_window(limits_on, brief_ruleset, client):
    with time_machine.travel("2026-01-05 09:10:00 +0000", tick=False) as clock:
        for _ in range(3):
            start(client)
        assert start(client).status_code == 429
        assert start(client, ip="198.51.100.2").status_code == 303
        clock.shift(3600)
        assert start(client).status_code == 303


def test_trusted_proxy_header_names_the_client(limits_on, settings, brief_ruleset, client):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(3):
        client.post(
            reverse("assessments:start"), HTTP_X_REAL_IP="192.0.2.1", REMOTE_ADDR="10.0.0.1"
        )
    other = client.post(reverse("assessments:start"), HTTP_X_REAL_IP="192.0.2.2")
    same = client.post(reverse("assessments:start"), HTTP_X_REAL_IP="192.0.2.1")
    assert (other.status_code, same.status_code) == (303, 429)


def test_consultants_new_assessments_count_as_starts(limits_on, brief_ruleset, consultant_a):
    client = client_for(consultant_a)
    url = reverse("consultants:assessment_new")
    codes = [client.post(url, {"client_name": f"C{i}"}).status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]


def test_limits_can_be_turned_off(settings, brief_ruleset, client):
    settings.RATELIMIT_ENABLE = False
    settings.RATE_LIMIT_START_PER_HOUR = 1
    assert [start(client).status_code for _ in range(3)] == [303, 303, 303]


def test_pdf_renders_over_the_limit_get_429_but_cached_pdfs_do_not(
    limits_on, make_completed, client
):
    first, second, third = (make_completed(client_name=f"Client {i}") for i in range(3))
    with time_machine.travel("2026-01-05 09:10:30 +0000", tick=False) as clock:
        assert client.get(reverse("reports:report_pdf", args=[first.token])).status_code == 200
        assert client.get(reverse("reports:report_pdf", args=[second.token])).status_code == 200
        refused = client.get(reverse("reports:report_pdf", args=[third.token]))
        # Served from the cache: no render, not counted.
        cached = client.get(reverse("reports:report_pdf", args=[first.token]))
        retry_after = int(refused["Retry-After"])
        clock.shift(retry_after)  # this client's minute is over
        rendered = client.get(reverse("reports:report_pdf", args=[third.token]))
    assert refused.status_code == 429
    assert 1 <= retry_after <= 60
    assert cached.status_code == 200
    assert cached["Content-Type"] == "application/pdf"
    assert rendered.status_code == 200
