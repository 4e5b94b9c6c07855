"""Decision model v3 over draws: the rule, the confidence, the plan, smoothness, growth.

Figures are the hand-made test assumptions of tests/figures.py (API $1/$4
per 1M tokens, a 2 x $2/h replica of the big model, a 1 x $1/h small one),
plus an open-weights offer at $0.30/$0.60.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace
from typing import Any

import pytest

from advisor.costs.assumptions import Workload
from advisor.costs.prices import ApiModelPrice
from advisor.scoring.conditional import conditional
from advisor.scoring.decision import winner
from advisor.scoring.effects import CostEffect, RangeEffect, Triangle
from advisor.scoring.simulation import (
    FITTED_GROWTH_CAP_MULTIPLE,
    PLAN,
    DecisionInputs,
    Verdict,
    decide,
)
from tests.figures import SOURCE, make_assumptions

OPEN_API = ApiModelPrice(
    "open", "Open 70B", "provider", "mid", 0.3e-6, 0.6e-6, SOURCE, open_weights=True
)
ALL_ANSWERS = frozenset(
    {
        "monthly_queries", "avg_input_tokens", "avg_output_tokens", "load_pattern",
        "monthly_growth_pct", "simple_query_share_pct", "cached_input_share_pct",
        "batch_share_pct", "customer_facing",
    }
)  # fmt: skip
MIGRATION = (
    "evaluation-and-migration",
    CostEffect(
        ("open_api", "self_host", "hybrid"),
        "Quality evaluation and migration",
        one_off_usd=Triangle(20_000, 60_000, 150_000),
    ),
)
OPTIONS_V3 = ("api", "open_api", "self_host", "hybrid")


def inputs_for(monthly_queries: float, **overrides: Any) -> DecisionInputs:
    workload = Workload(monthly_queries=int(monthly_queries), load_pattern="steady")
    fields: dict[str, Any] = {
        "workload": workload,
        "assumptions": make_assumptions(),
        "open_api_model": OPEN_API,
        "cost_effects": (MIGRATION,),
        "given": frozenset({"monthly_queries", "load_pattern"}),
    }
    fields.update(overrides)
    return DecisionInputs(**fields)


def adjusted_p50s(verdict: Verdict) -> dict[str, float]:
    return {
        option: outcome.adjusted_tco_usd
        for option, outcome in verdict.options.items()
        if outcome.allowed
    }


def random_inputs(rng: random.Random) -> DecisionInputs:
    excluded = frozenset(option for option in OPTIONS_V3 if rng.random() < 0.2)
    measured = rng.random() < 0.5
    effects = [MIGRATION] if rng.random() < 0.8 else []
    if rng.random() < 0.4:
        effects.append(
            (
                "no-gpu-operations-experience",
                CostEffect(
                    ("self_host", "hybrid"),
                    "Contractor while the team learns",
                    usd_per_month=Triangle(5_000, 10_000, 20_000),
                ),
            )
        )
    workload = Workload(
        monthly_queries=int(10 ** rng.uniform(5, 9)),
        load_pattern=rng.choice(["steady", "business_hours", "spiky", "unknown"]),
        monthly_growth_pct=rng.choice([0.0, 0.0, 2.0, 5.0, -1.0]),
        simple_query_share_pct=rng.uniform(0, 100),
        customer_facing=rng.random() < 0.7,
    )
    given = frozenset(rng.sample(sorted(ALL_ANSWERS), rng.randint(1, len(ALL_ANSWERS))))
    return DecisionInputs(
        workload=workload,
        assumptions=make_assumptions(),
        open_api_model=OPEN_API if rng.random() < 0.8 else None,
        excluded=excluded,
        cost_effects=tuple(effects),
        range_effects=() if measured else (RangeEffect("monthly_queries", 0.3, 3.0),),
        given=given | {"monthly_queries"},
        volume_measured=measured,
    )


def test_property_the_rule_the_confidence_and_the_probabilities_agree() -> None:
    rng = random.Random(20261205)
    plans = 0
    for _ in range(500):
        inputs = random_inputs(rng)
        verdict = decide(inputs)
        p50s = adjusted_p50s(verdict)
        candidates = dict(p50s)
        if verdict.plan is not None:
            plans += 1
            candidates[PLAN] = verdict.plan.tco_usd
        assert verdict.recommendation == winner(candidates, inputs.margin_pct.base)
        if verdict.recommendation is None:
            assert not candidates
            continue
        assert verdict.confidence == verdict.probability_best[verdict.recommendation]
        assert math.isclose(sum(verdict.probability_best.values()), 1.0)
        assert set(verdict.probability_best) == set(candidates)
        assert (verdict.confidence == 1.0) == (len(candidates) == 1)
        assert verdict.draws >= 200
    assert plans > 0  # the generator reaches the plan


def test_excluded_options_are_never_recommended() -> None:
    verdict = decide(inputs_for(5e8, excluded=frozenset({"api", "open_api", "hybrid"})))
    assert verdict.recommendation == "self_host"
    assert verdict.confidence == 1.0
    assert verdict.options["api"].allowed is False


def test_volume_sweep_changes_rarely_and_never_back_and_forth() -> None:
    volumes = [10 ** (5 + 4 * step / 59) for step in range(60)]
    picks = [decide(inputs_for(volume)).recommendation for volume in volumes]
    changes = [index for index in range(1, 60) if picks[index] != picks[index - 1]]
    assert len(changes) <= 3, list(zip(volumes, picks, strict=True))
    for index in changes:
        around = [volumes[index] * 1.1 ** (k / 10) for k in range(-10, 11)]
        fine = [decide(inputs_for(volume)).recommendation for volume in around]
        assert len([k for k in range(1, 21) if fine[k] != fine[k - 1]]) <= 1, fine


def test_a_small_saving_does_not_move_off_the_api_but_a_large_one_does() -> None:
    small = decide(inputs_for(2e5))
    assert small.recommendation == "api"
    large = decide(inputs_for(5e7))
    assert large.recommendation != "api"
    assert large.options["open_api"].adjustments[0].rule == "evaluation-and-migration"
    assert large.options["api"].adjustments == ()


def test_confidence_varies_what_decides() -> None:
    # Near the point where open_api's saving clears the margin, the draws disagree.
    verdicts = [decide(inputs_for(volume)) for volume in (1e6, 2e6, 4e6, 8e6)]
    assert any(0.2 < verdict.confidence < 0.95 for verdict in verdicts)


def worked_example() -> DecisionInputs:
    assumptions = make_assumptions(
        build_out_months=0,
        target_utilization_pct=100,
        min_replicas_internal=1,
    )
    workload = Workload(
        monthly_queries=5_000_000,
        load_pattern="steady",
        monthly_growth_pct=10.0,
        customer_facing=False,
        simple_query_share_pct=50.0,
    )
    return DecisionInputs(
        workload=workload,
        assumptions=assumptions,
        open_api_model=None,
        excluded=frozenset({"hybrid"}),
        cost_effects=(
            (
                "migration",
                CostEffect(("self_host",), "Migration", one_off_usd=Triangle.point(10_000)),
            ),
        ),
        given=ALL_ANSWERS,
        overhead_pct=Triangle.point(0.0),
        margin_pct=Triangle.point(10.0),
        volume_measured=False,
    )


def test_the_plan_is_costed_as_a_path_to_the_cent() -> None:
    verdict = decide(worked_example())
    plan = verdict.plan
    assert plan is not None
    assert (plan.start, plan.then) == ("api", "self_host")
    # Flat break-even by hand, the migration spread over 36 months:
    # 0.0031 q = 20,000 + 10,000 / 36 + 2 GPUs x $2 x 730 h x q x 1.4 x 0.55 s / 2,628,000 s.
    per_query_api = 1500 * 1e-6 + 400 * 4e-6
    per_query_fleet = 2 * 2.0 * 730 * 1.4 * 0.55 / 2_628_000
    break_even = (20_000 + 10_000 / 36) / (per_query_api - per_query_fleet)
    assert break_even <= plan.trigger_monthly_queries <= break_even * 1.003
    volumes = [5_000_000 * 1.1**month for month in range(36)]
    above = [volume >= plan.trigger_monthly_queries for volume in volumes]
    first = next(m for m in range(2, 36) if above[m - 2] and above[m - 1] and above[m])
    switch = first + 1  # the build-out starts the month after three months above
    assert plan.expected_month == switch + 1
    expected = sum(volume * per_query_api for volume in volumes[:switch])
    for volume in volumes[switch:]:
        gpus = 2 * volume * 1.4 * 0.55 / 2_628_000
        gpus = max(gpus, 2.0)  # one replica at least (internal)
        engineers = 1.0 + max(0.0, gpus - 8) / 32
        expected += gpus * 2.0 * 730 + engineers * 20_000
    expected += 10_000  # the migration, paid when the move happens
    assert plan.tco_usd == pytest.approx(expected, abs=0.01)
    assert verdict.options["api"].tco.p50 - plan.tco_usd == pytest.approx(plan.saves_usd)


def test_no_plan_when_the_volume_is_measured() -> None:
    assert decide(replace(worked_example(), volume_measured=True)).plan is None


def test_month_36_volume_and_the_fitted_growth_cap() -> None:
    growing = Workload(monthly_queries=1_000_000, monthly_growth_pct=5.0)
    verdict = decide(inputs_for(1e6, workload=growing))
    assert verdict.month_36_monthly_queries == pytest.approx(1e6 * 1.05**35)
    fitted = decide(inputs_for(1e6, growth_range=Triangle(10.0, 18.9, 25.0)))
    assert fitted.growth_capped
    assert fitted.month_36_monthly_queries == pytest.approx(1e6 * FITTED_GROWTH_CAP_MULTIPLE)
    modest = decide(inputs_for(1e6, growth_range=Triangle(0.0, 2.0, 4.0)))
    assert not modest.growth_capped
    assert modest.month_36_monthly_queries == pytest.approx(1e6 * 1.02**35)


def test_a_fitted_growth_range_widens_the_costs() -> None:
    fixed = decide(inputs_for(1e7, given=ALL_ANSWERS))
    fitted = decide(inputs_for(1e7, given=ALL_ANSWERS, growth_range=Triangle(0.0, 2.0, 4.0)))
    width = [v.options["api"].tco.p90 - v.options["api"].tco.p10 for v in (fixed, fitted)]
    assert width[0] == pytest.approx(0.0)
    assert width[1] > 0


def test_conditional_branches_each_have_their_advice() -> None:
    open_check = inputs_for(3e6)
    branches = conditional(
        "hipaa_baa_sufficient",
        {
            "yes": open_check,
            "no": replace(open_check, excluded=frozenset({"api", "open_api", "hybrid"})),
        },
    )
    by_value = {branch.value: branch for branch in branches}
    assert by_value["no"].recommendation == "self_host"
    assert by_value["no"].confidence == 1.0
    assert by_value["yes"].recommendation in ("api", "open_api")
    assert 0 < by_value["yes"].confidence < 1


def test_the_router_variant_says_what_it_saves() -> None:
    small = ApiModelPrice("mini", "Mini", "test", "small", 0.1e-6, 0.4e-6, SOURCE)
    verdict = decide(inputs_for(1e7, assumptions=make_assumptions(router_model=small)))
    assert verdict.router_tco is not None
    assert verdict.router_saves_usd == pytest.approx(
        verdict.options["api"].tco.p50 - verdict.router_tco.p50
    )
    assert verdict.router_saves_usd is not None and verdict.router_saves_usd > 0


def test_the_same_inputs_give_the_same_verdict() -> None:
    first, second = decide(inputs_for(3e7)), decide(inputs_for(3e7))
    assert first == second
    assert list(itertools.islice(first.probability_best, 2)) == ["api", "open_api"]
