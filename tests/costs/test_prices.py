"""API prices as the cost model reads them: cached input and batch at their own rates.

The figures (tests/figures.py) are test data chosen for easy arithmetic, not the catalog's.
"""

from __future__ import annotations

from advisor.costs.prices import ApiModelPrice
from advisor.costs.projection import project
from tests.costs.workloads import CACHING_API, internal_workload
from tests.figures import SOURCE, make_assumptions


def test_cached_input_and_batch_queries_are_priced_at_their_own_rates() -> None:
    # 1,000 in (40 % cached) / 500 out; 25 % of queries through the batch API.
    # Standard: 600 x $1/1M + 400 x $0.1/1M + 500 x $4/1M = $0.00264.
    # Batch:    600 x $0.5/1M + 400 x $0.1/1M + 500 x $2/1M = $0.00134.
    # Per query 0.75 x 0.00264 + 0.25 x 0.00134 = $0.002315 -> $2,315 a month.
    workload = internal_workload(cached_input_share_pct=40, batch_share_pct=25)

    api = project(workload, make_assumptions(api_model=CACHING_API)).options["api"]

    assert round(api.monthly_usd[0], 2) == 2_315.00
    assert round(api.tco_usd, 2) == 27_780.00


def test_missing_cache_and_batch_prices_fall_back_to_input_and_half() -> None:
    # No cache price: cached input at the input price. No batch price: half.
    # Standard 1,000 x $1/1M + 500 x $4/1M = $0.003; batch $0.0015; half batch -> $0.00225.
    plain = ApiModelPrice("api", "API", "test", "mid", 1e-6, 4e-6, SOURCE)
    workload = internal_workload(cached_input_share_pct=40, batch_share_pct=50)

    api = project(workload, make_assumptions(api_model=plain)).options["api"]

    assert round(api.monthly_usd[0], 2) == 2_250.00
    assert plain.fallbacks == (
        "no cache price listed: cached input at the input price",
        "no batch price listed: batch at half the standard price",
    )
