from __future__ import annotations

import math

import pytest

from advisor.rules.answers import QuestionSpec
from advisor.rules.engine import (
    BASE_SCORES,
    SOLE_OPTION_CONFIDENCE,
    CompiledRuleset,
    RuleSpec,
    compile_ruleset,
    evaluate,
)

QUESTIONS = (
    QuestionSpec(key="monthly_queries", type="integer", required=True),
    QuestionSpec(
        key="regimes", type="multi_choice", choices=(("hipaa", "HIPAA"), ("soc2", "SOC 2"))
    ),
    QuestionSpec(key="customer_facing", type="boolean"),
    QuestionSpec(key="load_pattern", type="choice", choices=(("steady", "S"), ("spiky", "P"))),
)
FIGURES = {"tco_ratio_self_host": "float", "break_even_month_self_host": "integer"}
ANSWERS = {
    "monthly_queries": 5_000_000,
    "regimes": (),
    "customer_facing": True,
    "load_pattern": "steady",
}
NO_FIGURES = {"tco_ratio_self_host": None, "break_even_month_self_host": None}


def rule(code: str, condition: str, **kwargs: object) -> RuleSpec:
    kwargs.setdefault("title", code.replace("-", " "))
    kwargs.setdefault("rationale", f"because {code}")
    return RuleSpec(code=code, condition=condition, **kwargs)  # type: ignore[arg-type]


def ruleset(*rules: RuleSpec) -> CompiledRuleset:
    return compile_ruleset(
        name="test", version="1", questions=QUESTIONS, rules=rules, derived_figures=FIGURES
    )


def test_no_rules_gives_the_api_its_default_lead() -> None:
    result = evaluate(ruleset(), ANSWERS, NO_FIGURES)
    assert result.recommendation == "api"
    assert result.scores == dict(BASE_SCORES)
    assert result.scores["api"] > max(result.scores["self_host"], result.scores["hybrid"])


def test_deltas_add_up_and_the_highest_score_wins() -> None:
    result = evaluate(
        ruleset(
            rule("a", "monthly_queries > 1000", score_deltas={"self_host": 2, "api": -1}),
            rule("b", "customer_facing", score_deltas={"self_host": 1}),
            rule("c", "not customer_facing", score_deltas={"hybrid": 50}),
        ),
        ANSWERS,
        NO_FIGURES,
    )
    assert result.recommendation == "self_host"
    assert result.scores == {"api": -0.5, "self_host": 3.0, "hybrid": 0.0}
    assert [hit.code for hit in result.fired] == ["a", "b"]


@pytest.mark.parametrize(
    ("deltas", "winner"),
    [
        ({"api": -0.5}, "api"),  # three-way tie at 0: api first
        ({"api": -1, "hybrid": 1, "self_host": 1}, "hybrid"),  # hybrid before self_host
    ],
)
def test_ties_follow_api_hybrid_self_host(deltas: dict, winner: str) -> None:
    result = evaluate(ruleset(rule("tie", "true", score_deltas=deltas)), ANSWERS, NO_FIGURES)
    assert result.recommendation == winner
    assert result.confidence == 0.5


def test_excluded_option_is_never_recommended_even_with_the_top_score() -> None:
    result = evaluate(
        ruleset(
            rule("big-api", "true", score_deltas={"api": 10}),
            rule("hipaa", "'hipaa' in regimes", excludes=("api", "hybrid"), title="HIPAA"),
        ),
        {**ANSWERS, "regimes": ("hipaa",)},
        NO_FIGURES,
    )
    assert result.recommendation == "self_host"
    assert result.excluded == {"api": ("HIPAA",), "hybrid": ("HIPAA",)}
    assert result.excluded_by == {"api": ("hipaa",), "hybrid": ("hipaa",)}
    assert result.confidence == SOLE_OPTION_CONFIDENCE


def test_everything_excluded_gives_no_recommendation_and_names_the_rules() -> None:
    result = evaluate(
        ruleset(
            rule("no-api", "true", excludes=("api", "hybrid")),
            rule("no-self-host", "customer_facing", excludes=("self_host",)),
        ),
        ANSWERS,
        NO_FIGURES,
    )
    assert result.recommendation is None
    assert result.confidence == 0.0
    assert result.excluded_by == {
        "api": ("no-api",),
        "self_host": ("no-self-host",),
        "hybrid": ("no-api",),
    }


def test_fired_rules_strongest_first_exclusions_before_scores() -> None:
    result = evaluate(
        ruleset(
            rule("small", "true", score_deltas={"api": 1}, order=1),
            rule("large", "true", score_deltas={"hybrid": -4}, order=2),
            rule("exclude", "true", excludes=("self_host",), order=3),
            rule("also-small", "true", score_deltas={"api": 1}, order=4),
        ),
        ANSWERS,
        NO_FIGURES,
    )
    assert [hit.code for hit in result.fired] == ["exclude", "large", "small", "also-small"]
    assert result.fired[1].effect == {"score_deltas": {"hybrid": -4.0}, "excludes": []}


def test_missing_answer_skips_the_rule_and_reports_it() -> None:
    result = evaluate(
        ruleset(rule("needs-volume", "monthly_queries > 5", score_deltas={"self_host": 9})),
        {key: value for key, value in ANSWERS.items() if key != "monthly_queries"},
        NO_FIGURES,
    )
    assert result.recommendation == "api"
    [skipped] = result.skipped
    assert skipped.code == "needs-volume"
    assert "monthly_queries" in skipped.error


def test_invalid_rule_is_skipped_at_compile_time_not_raised() -> None:
    compiled = ruleset(
        rule("typo", "monthly_querys > 5"),
        rule("bad-effect", "true", score_deltas={"cloud": 1}),
        rule("fine", "true", score_deltas={"hybrid": 1}),
    )
    assert [compiled_rule.spec.code for compiled_rule in compiled.rules] == ["fine"]
    result = evaluate(compiled, ANSWERS, NO_FIGURES)
    assert [(skip.code, "monthly_queries" in skip.error) for skip in result.skipped] == [
        ("bad-effect", False),  # (order, code) order
        ("typo", True),
    ]
    assert result.recommendation == "hybrid"


def test_skipped_rules_lower_the_confidence() -> None:
    rules = [rule("lead", "true", score_deltas={"api": 2.5})]
    clean = evaluate(ruleset(*rules), ANSWERS, NO_FIGURES)
    degraded = evaluate(ruleset(*rules, rule("typo", "nope")), ANSWERS, NO_FIGURES)
    assert degraded.confidence == pytest.approx(clean.confidence * 0.95, abs=1e-4)


def test_confidence_grows_with_the_margin() -> None:
    def confidence(lead: float) -> float:
        return evaluate(
            ruleset(rule("lead", "true", score_deltas={"api": lead - 0.5})), ANSWERS, NO_FIGURES
        ).confidence

    assert confidence(0) == 0.5
    assert confidence(3) == pytest.approx(0.5 + 0.5 * math.tanh(1), abs=1e-4)
    assert 0.5 < confidence(1) < confidence(3) < confidence(6) < 1


def test_null_figures_use_the_coalesce_fallback() -> None:
    compiled = ruleset(
        rule(
            "late",
            "(break_even_month_self_host ?? 999) > 18",
            score_deltas={"self_host": -1},
        )
    )
    never = evaluate(compiled, ANSWERS, NO_FIGURES)
    early = evaluate(compiled, ANSWERS, {**NO_FIGURES, "break_even_month_self_host": 4})
    assert [hit.code for hit in never.fired] == ["late"]
    assert early.fired == ()


def test_non_finite_figures_count_as_null() -> None:
    compiled = ruleset(rule("cheap", "(tco_ratio_self_host ?? 99) < 1", score_deltas={"api": -5}))
    result = evaluate(compiled, ANSWERS, {**NO_FIGURES, "tco_ratio_self_host": math.inf})
    assert result.fired == ()
    assert result.skipped == ()


def test_outcome_rules_see_the_recommendation_and_add_caveats() -> None:
    compiled = ruleset(
        rule("prefer-self-host", "true", score_deltas={"self_host": 5}),
        rule(
            "overhead",
            "recommendation in ['self_host', 'hybrid']",
            caveat_code="first_year_overhead",
            caveat_text="20-40 %",
        ),
        rule(
            "api-gone",
            "'api' in excluded_options",
            caveat_code="never",
            caveat_text="not fired",
        ),
    )
    result = evaluate(compiled, ANSWERS, NO_FIGURES)
    assert result.recommendation == "self_host"
    assert [(caveat.code, caveat.text) for caveat in result.caveats] == [
        ("first_year_overhead", "20-40 %")
    ]
    assert "overhead" in [hit.code for hit in result.fired]


def test_caveats_are_deduplicated_in_rule_order() -> None:
    compiled = ruleset(
        rule("first", "true", caveat_code="c", caveat_text="first wording", order=1),
        rule("second", "true", caveat_code="c", caveat_text="second wording", order=2),
    )
    [caveat] = evaluate(compiled, ANSWERS, NO_FIGURES).caveats
    assert caveat.text == "first wording"


def test_same_input_same_result() -> None:
    compiled = ruleset(
        rule("a", "monthly_queries > 1", score_deltas={"hybrid": 1}),
        rule("b", "load_pattern == 'steady'", score_deltas={"self_host": 1}),
    )
    assert evaluate(compiled, ANSWERS, NO_FIGURES) == evaluate(compiled, ANSWERS, NO_FIGURES)


def test_rules_run_by_order_then_code() -> None:
    compiled = ruleset(
        rule("b", "true", order=5),
        rule("a", "true", order=5),
        rule("c", "true", order=1),
    )
    assert [compiled_rule.spec.code for compiled_rule in compiled.rules] == ["c", "a", "b"]
