"""The glue between django-ratelimit and the project: key, rates, Retry-After."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache, caches
from django_ratelimit.exceptions import Ratelimited

from advisor.core.rate_limits import (
    ASSESSMENT_START,
    PDF_RENDER,
    RateLimited,
    assessment_start_rate,
    client_ip_key,
    enforce,
    limit_assessment_start,
    limit_pdf_render,
    pdf_render_rate,
)

NOW = "2026-01-05 09:10:00 +0000"


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_START_PER_HOUR = 2
    settings.RATE_LIMIT_PDF_PER_MINUTE = 1
    cache.clear()
    yield
    cache.clear()


def one_per_hour(group, request):
    return "1/h"


def refusal(request, group: str = "test") -> RateLimited:
    with pytest.raises(RateLimited) as refused:
        enforce(request, group=group, rate=one_per_hour)
    return refused.value


def test_key_is_remote_addr_without_a_trusted_proxy_header(settings, rf):
    settings.CLIENT_IP_HEADER = ""
    request = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_REAL_IP="192.0.2.1")
    assert client_ip_key(ASSESSMENT_START, request) == "198.51.100.7"


def test_key_is_the_trusted_proxy_header_when_named(settings, rf):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="192.0.2.1")
    assert client_ip_key(ASSESSMENT_START, request) == "192.0.2.1"


def test_rates_are_read_from_settings_at_each_request(settings, rf):
    settings.RATE_LIMIT_START_PER_HOUR = 7
    settings.RATE_LIMIT_PDF_PER_MINUTE = 4
    request = rf.get("/")
    assert assessment_start_rate(ASSESSMENT_START, request) == "7/h"
    assert pdf_render_rate(PDF_RENDER, request) == "4/m"


def test_requests_within_the_rate_pass(limits_on, rf):
    request = rf.post("/")
    with time_machine.travel(NOW, tick=False):
        assert enforce(request, group="test", rate=one_per_hour) is None


def test_the_request_over_the_rate_is_refused_with_the_seconds_left(limits_on, rf):
    request = rf.post("/")
    with time_machine.travel(NOW, tick=False):
        enforce(request, group="test", rate=one_per_hour)
        refused = refusal(request)
    assert refused.group == "test"
    assert 1 <= refused.retry_after_seconds <= 3600


def test_retry_after_counts_the_windows_last_second(limits_on, rf):
    request = rf.post("/")
    with time_machine.travel(NOW, tick=False) as clock:
        enforce(request, group="test", rate=one_per_hour)
        first = refusal(request).retry_after_seconds
        clock.shift(first - 1)
        last_second = refusal(request).retry_after_seconds
        clock.shift(1)
        assert enforce(request, group="test", rate=one_per_hour) is None
    assert last_second == 1


def test_refusal_is_the_exception_django_ratelimits_middleware_answers(limits_on, rf):
    request = rf.post("/")
    with time_machine.travel(NOW, tick=False):
        enforce(request, group="test", rate=one_per_hour)
        assert isinstance(refusal(request), Ratelimited)


def test_each_client_ip_has_its_own_count(limits_on, rf):
    with time_machine.travel(NOW, tick=False):
        enforce(rf.post("/", REMOTE_ADDR="198.51.100.1"), group="test", rate=one_per_hour)
        other = rf.post("/", REMOTE_ADDR="198.51.100.2")
        assert enforce(other, group="test", rate=one_per_hour) is None


def test_ipv6_neighbours_are_not_pooled(limits_on, rf):
    # django-ratelimit's own "ip" key would count a whole /64 as one client.
    with time_machine.travel(NOW, tick=False):
        enforce(rf.post("/", REMOTE_ADDR="2001:db8::1"), group="test", rate=one_per_hour)
        neighbour = rf.post("/", REMOTE_ADDR="2001:db8::2")
        assert enforce(neighbour, group="test", rate=one_per_hour) is None


def test_starts_and_renders_are_counted_apart(limits_on, rf):
    request = rf.post("/")
    with time_machine.travel(NOW, tick=False):
        limit_pdf_render(request)
        with pytest.raises(RateLimited):
            limit_pdf_render(request)
        limit_assessment_start(request)
        limit_assessment_start(request)
        with pytest.raises(RateLimited) as refused:
            limit_assessment_start(request)
    assert refused.value.group == ASSESSMENT_START


def test_nothing_is_refused_when_limits_are_off(settings, rf):
    settings.RATELIMIT_ENABLE = False
    request = rf.post("/")
    for _ in range(3):
        assert enforce(request, group="test", rate=lambda group, request: "0/h") is None


def test_a_count_the_cache_loses_lets_the_request_through(limits_on, rf, monkeypatch):
    request = rf.post("/")
    with time_machine.travel(NOW, tick=False):
        enforce(request, group="test", rate=one_per_hour)

        def expired(*args, **kwargs):
            raise ValueError("Key not found")  # as incr() says when the key just expired

        monkeypatch.setattr(caches["default"], "incr", expired)
        assert enforce(request, group="test", rate=one_per_hour) is None
