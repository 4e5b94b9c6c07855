from __future__ import annotations

import pytest
from django_ratelimit.exceptions import Ratelimited

from advisor.core.rate_limits import RateLimited
from advisor.core.views import rate_limited

pytestmark = pytest.mark.django_db


def test_landing_says_what_the_tool_does(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Commercial LLM API, self-hosted open model, or both?" in body
    assert "36-month cost projection" in body


def test_unknown_page_uses_the_site_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_rate_limit_refusal_answers_429_with_retry_after(rf):
    response = rate_limited(rf.post("/"), RateLimited("assessment-start", 125))
    assert response.status_code == 429
    assert response["Retry-After"] == "125"
    assert "Please try again in 3 minutes" in response.content.decode()


def test_a_bare_ratelimited_answers_429_without_a_time(rf):
    # @ratelimit(block=True) raises it with no window end to tell.
    response = rate_limited(rf.post("/"), Ratelimited())
    assert response.status_code == 429
    assert not response.has_header("Retry-After")
    assert "Too many requests" in response.content.decode()
    assert "Please try again in" not in response.content.decode()
