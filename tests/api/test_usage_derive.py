"""POST /api/v1/usage/derive: a usage export in, the derived answers and their provenance out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_machine

from advisor.assessments.usage import GROWTH_RANGE_KEY
from tests.usage import generators as usage_gen

from .conftest import API

DATA = Path(__file__).resolve().parents[1] / "usage" / "data"
URL = f"{API}/usage/derive"


def _post(client, path: Path, **fields):
    with path.open("rb") as file:
        return client.post(URL, {"export": file, **fields})


@pytest.mark.parametrize(
    "name", ["usage.csv", "openai_completions.json", "anthropic_messages.json"]
)
def test_derived_answers_say_how_each_was_derived_and_evaluate_accepts_them(
    client, brief_ruleset, name
):
    response = _post(client, DATA / name)
    assert response.status_code == 200, response.content
    derived = response.json()
    assert derived["answers"]["has_production_data"] is True
    assert set(derived["provenance"]) == set(derived["answers"])
    assert derived["period"]["days"] > 0 and derived["period"]["text"]
    answers = dict(derived["answers"])
    if name.startswith("anthropic"):
        # Its report counts tokens, not requests: the volume is asked, with the reason.
        assert "counts tokens, not requests" in derived["missing"]["monthly_queries"]
        answers["monthly_queries"] = 5_000_000
    else:
        assert derived["answers"]["monthly_queries"] > 0
        assert derived["provenance"]["monthly_queries"]
    scored = client.post(f"{API}/evaluate", answers, content_type="application/json")
    assert scored.status_code == 200


def test_a_bad_file_is_422_naming_it(client, brief_ruleset, tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_text("start,requests\nyesterday,many\n")
    response = _post(client, bad)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("export.csv: ")


def test_an_unknown_format_is_422(client, brief_ruleset):
    response = _post(client, DATA / "usage.csv", format="excel")
    assert response.status_code == 422
    assert "format" in response.json()["detail"]


def test_a_file_over_the_routes_limit_is_413(client, brief_ruleset, settings):
    settings.UPLOAD_MAX_BYTES_BY_ROUTE = {
        **settings.UPLOAD_MAX_BYTES_BY_ROUTE,
        "api:usage_derive": 100,
    }
    response = _post(client, DATA / "usage.csv")
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_no_file_is_a_field_error(client, brief_ruleset):
    response = client.post(URL, {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("export")


@time_machine.travel("2026-12-01 09:00:00+00:00", tick=False)  # one window for both calls
def test_uploads_share_the_webs_hourly_limit(client, brief_ruleset, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_USAGE_POSTS_PER_HOUR = 1
    assert _post(client, DATA / "usage.csv").status_code == 200
    refused = _post(client, DATA / "usage.csv")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Nothing was imported" in refused.json()["detail"]


def test_a_short_growing_export_derives_the_growth_range_evaluate_draws(
    client, brief_ruleset, tmp_path
):
    # 90 days growing 12 % a month: under six months, so the fit carries its range.
    hours = usage_gen.hourly_requests(days=90, per_hour=2_000, monthly_growth_pct=12.0, seed=5)
    export = tmp_path / "usage.json"
    export.write_text(json.dumps(usage_gen.openai_pages(hours, models=1, bucket_hours=24)))
    derived = _post(client, export).json()
    answers = derived["answers"]
    fit = answers[GROWTH_RANGE_KEY]
    assert fit["low"] < answers["monthly_growth_pct"] < fit["high"]
    assert "two standard errors" in derived["provenance"][GROWTH_RANGE_KEY]
    # Sent on as they are, the range is drawn: the API's ranges differ from the growth alone.
    with_range = client.post(f"{API}/evaluate", answers, content_type="application/json")
    without = {key: value for key, value in answers.items() if key != GROWTH_RANGE_KEY}
    alone = client.post(f"{API}/evaluate", without, content_type="application/json")
    assert with_range.status_code == alone.status_code == 200

    def band(response) -> dict:
        return response.json()["costs"]["options"]["api"]["adjusted_tco_usd_range"]

    assert band(with_range) != band(alone)
