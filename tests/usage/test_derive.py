"""Load pattern and growth on synthetic traffic (tests/usage/generators.py)."""

from __future__ import annotations

import io
import json

import pytest

from tests.usage import generators as usage_gen
from tests.usage.files import read_json, read_text


@pytest.mark.parametrize("pattern", usage_gen.PATTERNS)
def test_hourly_openai_traffic_is_classified(pattern):
    hours = usage_gen.hourly_requests(pattern=pattern, days=28, per_hour=500, seed=7)
    workload = read_json(usage_gen.openai_pages(hours, models=5))
    assert workload.load_pattern == pattern
    assert workload.load_shape is not None
    assert workload.load_shape.hours == 28 * 24


@pytest.mark.parametrize("pattern", usage_gen.PATTERNS)
def test_per_request_litellm_traffic_is_classified(pattern):
    hours = usage_gen.hourly_requests(pattern=pattern, days=14, per_hour=20, seed=3)
    out = io.StringIO()
    usage_gen.write_jsonl(usage_gen.litellm_rows(hours), out)
    workload = read_text(out.getvalue())
    assert workload.load_pattern == pattern


def test_measures_behind_each_class():
    steady = read_json(usage_gen.openai_pages(usage_gen.hourly_requests(pattern="steady")))
    office = read_json(usage_gen.openai_pages(usage_gen.hourly_requests(pattern="business_hours")))
    assert steady.load_shape.peak_to_average < 1.5
    # Working hours are 40 of 168: the peak hour is about 168/40 x the average one.
    assert 3 < office.load_shape.peak_to_average < 4.5
    assert office.load_shape.weekday_daytime_share_pct > 80
    assert 25 < steady.load_shape.weekday_daytime_share_pct < 40  # an even load gives 30 %


def test_under_a_week_of_hours_leaves_the_pattern_unanswered():
    workload = read_json(usage_gen.openai_pages(usage_gen.hourly_requests(days=5)))
    assert workload.load_pattern is None
    assert "168" in workload.missing["load_pattern"]
    assert "load_pattern" not in workload.answers()


@pytest.mark.parametrize("growth_pct", [12.0, -8.0, 40.0])
def test_growth_is_fitted_within_one_percent(growth_pct):
    hours = usage_gen.hourly_requests(
        pattern="steady", days=90, per_hour=2000, monthly_growth_pct=growth_pct, seed=11
    )
    workload = read_json(usage_gen.openai_pages(hours, models=2, bucket_hours=24))
    assert workload.monthly_growth_pct == pytest.approx(growth_pct, rel=0.01)
    assert workload.growth_months == 3.0
    assert "90 days" in workload.provenance["monthly_growth_pct"]


def test_growth_on_an_exact_exponential_csv():
    rows = ["start,requests,input_tokens,output_tokens,cached_input_tokens"]
    for day in range(75):
        requests = round(100_000 * 1.05 ** (day / 30))
        rows.append(f"2026-07-{1 + day:02d}" if day < 31 else _date(day))
        rows[-1] += f",{requests},{requests * 1000},{requests * 300},0"
    workload = read_text("\n".join(rows) + "\n")
    assert workload.monthly_growth_pct == pytest.approx(5.0, rel=0.01)


def _date(day: int) -> str:
    from datetime import date, timedelta

    return (date(2026, 7, 1) + timedelta(days=day)).isoformat()


def test_monthly_queries_come_from_the_last_thirty_days():
    # 60 days: 1,000 a day, then 2,000 a day. The recent month is 60,000, not the 45,000 average.
    rows = ["start,requests,input_tokens,output_tokens,cached_input_tokens"]
    for day in range(60):
        requests = 1000 if day < 30 else 2000
        rows.append(f"{_date(day)},{requests},{requests * 10},{requests},0")
    workload = read_text("\n".join(rows))
    assert workload.monthly_queries == 60_000


def test_growth_is_left_out_under_two_months():
    hours = usage_gen.hourly_requests(days=45, monthly_growth_pct=10)
    workload = read_json(usage_gen.openai_pages(hours, models=1, bucket_hours=24))
    assert workload.monthly_growth_pct is None
    assert "45.0 days" in workload.missing["monthly_growth_pct"]


def test_anthropic_hourly_tokens_give_a_pattern_without_request_counts():
    hours = usage_gen.hourly_requests(pattern="business_hours", days=14)
    workload = read_json(usage_gen.anthropic_pages(hours))
    assert workload.load_pattern == "business_hours"
    assert "tokens" in workload.provenance["load_pattern"]
    assert json.loads(json.dumps(workload.answers()))["has_production_data"] is True


def test_growth_from_under_six_months_carries_the_fits_range():
    hours = usage_gen.hourly_requests(
        pattern="spiky", days=90, per_hour=200, monthly_growth_pct=12.0, seed=5
    )
    workload = read_json(usage_gen.openai_pages(hours, models=1, bucket_hours=24))
    assert workload.monthly_growth_pct_low is not None
    assert workload.monthly_growth_pct_high is not None
    assert workload.monthly_growth_pct_low < workload.monthly_growth_pct
    assert workload.monthly_growth_pct < workload.monthly_growth_pct_high
    # Two standard errors of a 90-day fit: a real range, not the whole question's.
    assert workload.monthly_growth_pct_high - workload.monthly_growth_pct_low < 20
    assert "range" in workload.provenance["monthly_growth_pct"]


def test_growth_from_six_months_or_more_has_no_range():
    hours = usage_gen.hourly_requests(days=190, per_hour=50, monthly_growth_pct=3.0, seed=2)
    workload = read_json(usage_gen.openai_pages(hours, models=1, bucket_hours=24))
    assert workload.monthly_growth_pct is not None
    assert workload.monthly_growth_pct_low is None and workload.monthly_growth_pct_high is None
