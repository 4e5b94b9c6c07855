"""The buyer's anonymous writes are rate limited per client IP (429 with Retry-After).

Step posts, the live follow-up endpoint and usage uploads, through the same
django-ratelimit glue as starts and renders (advisor/core/rate_limits.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from advisor.assessments.models import Assessment
from advisor.assessments.selectors import wizard_for

DATA = Path(__file__).resolve().parent.parent / "usage" / "data"
NOW = "2026-01-05 09:10:00 +0000"


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_STEP_POSTS_PER_MINUTE = 3
    settings.RATE_LIMIT_LIVE_PER_MINUTE = 2
    settings.RATE_LIMIT_USAGE_POSTS_PER_HOUR = 2
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def started(brief_ruleset, client: Client) -> Assessment:
    # Started before the limits are on: the start has its own limit.
    response = client.post(reverse("assessments:start"))
    return Assessment.objects.get(token=response["Location"].strip("/").split("/")[1])


def first_step(assessment: Assessment) -> str:
    return wizard_for(ruleset=assessment.ruleset).steps[0].slug


WORKLOAD_ANSWERS = {
    "monthly_queries": "2000000",
    "avg_input_tokens": "1500",
    "avg_output_tokens": "400",
    "load_pattern": "unknown",
    "monthly_growth_pct": "0",
    "cached_input_share_pct": "0",
    "batch_share_pct": "0",
    "simple_query_share_pct": "50",
    "customer_facing": "True",
    "has_production_data": "False",
}


def test_step_posts_over_the_limit_get_429_and_save_nothing(started, limits_on, client):
    slug = first_step(started)
    assert slug == "workload"
    url = reverse("assessments:step", args=[started.token, slug])
    with time_machine.travel(NOW, tick=False) as clock:
        codes = [client.post(url, {}).status_code for _ in range(3)]
        refused = client.post(url, WORKLOAD_ANSWERS)
        started.refresh_from_db()
        answers_after_refusal = dict(started.answers)
        # Reading the page is not a write: never limited.
        assert client.get(url).status_code == 200
        retry_after = int(refused["Retry-After"])
        clock.shift(retry_after)
        # The same post once the client's window has passed: saved.
        assert client.post(url, WORKLOAD_ANSWERS).status_code == 303
    assert codes == [200, 200, 200]  # the empty form: a field error, but counted
    assert refused.status_code == 429
    assert 1 <= retry_after <= 60
    body = refused.content.decode()
    assert "Too many requests" in body
    assert "were not saved" in body
    assert "Please try again in 1 minute" in body
    assert "monthly_queries" not in answers_after_refusal
    started.refresh_from_db()
    assert started.answers["monthly_queries"] == 2_000_000


def test_the_live_endpoint_is_limited_on_its_own_count(started, limits_on, client):
    slug = first_step(started)
    live = reverse("assessments:step_live", args=[started.token, slug])
    step = reverse("assessments:step", args=[started.token, slug])
    with time_machine.travel(NOW, tick=False):
        codes = [client.post(live, {}).status_code for _ in range(3)]
        # Over the live limit, the step itself still saves.
        assert client.post(step, {}).status_code != 429
    assert codes == [200, 200, 429]


def test_usage_uploads_over_the_limit_get_429_before_the_file_is_read(
    started, limits_on, client, monkeypatch
):
    url = reverse("assessments:usage", args=[started.token, "workload"])

    def upload(name: str):
        export = SimpleUploadedFile(name, (DATA / name).read_bytes())
        return client.post(url, {"export": export})

    with time_machine.travel(NOW, tick=False):
        assert [upload("usage.csv").status_code for _ in range(2)] == [303, 303]
        imported = Assessment.objects.get(pk=started.pk).usage_import

        def no_parse(*args, **kwargs):
            raise AssertionError("a refused upload must not be parsed")

        monkeypatch.setattr("advisor.assessments.usage.read_upload", no_parse)
        refused = upload("openai_completions.json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) <= 3600
    assert "Nothing was imported" in refused.content.decode()
    assert Assessment.objects.get(pk=started.pk).usage_import == imported


def test_each_client_ip_has_its_own_count(started, limits_on, client):
    url = reverse("assessments:step_live", args=[started.token, first_step(started)])
    with time_machine.travel(NOW, tick=False):
        for _ in range(2):
            client.post(url, {}, REMOTE_ADDR="198.51.100.1")
        assert client.post(url, {}, REMOTE_ADDR="198.51.100.1").status_code == 429
        assert client.post(url, {}, REMOTE_ADDR="198.51.100.2").status_code == 200
