"""Decision model v2 in the pure engine: expressions, reasons, cheaper options, open questions."""

from __future__ import annotations

import math
import random

import pytest

from advisor.rules.answers import QuestionSpec
from advisor.rules.conditions import (
    ConditionSchema,
    InvalidCondition,
    compile_effect,
    render_placeholders,
    validate_effect,
    validate_placeholders,
)
from advisor.rules.engine import (
    API_OR_OWN,
    SELF_HOST_OR_HYBRID,
    CompiledRuleset,
    RuleSpec,
    compile_ruleset,
    evaluate,
    evaluate_recommendations,
)

YES_NO_UNKNOWN = (("yes", "Yes"), ("no", "No"), ("unknown", "Not checked"))
QUESTIONS = (
    QuestionSpec(key="monthly_queries", type="integer", required=True),
    QuestionSpec(key="regimes", type="multi_choice", choices=(("hipaa", "HIPAA"),)),
    QuestionSpec(key="baa", type="choice", choices=YES_NO_UNKNOWN, show_if="'hipaa' in regimes"),
    QuestionSpec(key="has_production_data", type="boolean"),
)
FIGURES = {
    "tco_ratio_self_host": "float",
    "tco_ratio_hybrid": "float",
    "tco_api_usd": "float",
    "tco_self_host_usd": "float",
    "tco_hybrid_usd": "float",
}
ANSWERS = {
    "monthly_queries": 50_000_000,
    "regimes": (),
    "baa": "unknown",
    "has_production_data": True,
}
COST = "-6 * $log($max([{} ?? 1, 0.01]))"


def figures(self_host: float, hybrid: float, api_usd: float = 1_000_000.0) -> dict[str, float]:
    return {
        "tco_ratio_self_host": self_host,
        "tco_ratio_hybrid": hybrid,
        "tco_api_usd": api_usd,
        "tco_self_host_usd": api_usd * self_host,
        "tco_hybrid_usd": api_usd * hybrid,
    }


def rule(code: str, condition: str, **kwargs: object) -> RuleSpec:
    kwargs.setdefault("title", code.replace("-", " "))
    kwargs.setdefault("rationale", f"because {code}")
    return RuleSpec(code=code, condition=condition, **kwargs)  # type: ignore[arg-type]


def ruleset(*rules: RuleSpec) -> CompiledRuleset:
    return compile_ruleset(
        name="test", version="2", questions=QUESTIONS, rules=rules, derived_figures=FIGURES
    )


COST_RULE = rule(
    "cost",
    "tco_ratio_self_host != null and tco_ratio_hybrid != null",
    score_deltas={
        "self_host": COST.format("tco_ratio_self_host"),
        "hybrid": COST.format("tco_ratio_hybrid"),
    },
    rationale="Self-hosting costs {tco_ratio_self_host:.2f} times the API.",
)
LIBRARY = ruleset(
    COST_RULE,
    rule("default", "true", score_deltas={"api": 1}),
    rule("no-data", "not has_production_data", score_deltas={"api": 2}),
    rule(
        "gate",
        "'hipaa' in regimes and baa == 'no'",
        score_deltas={"self_host": 3},
        excludes=["api", "hybrid"],
    ),
    rule("baa-ok", "'hipaa' in regimes and baa == 'yes'", score_deltas={"api": 0.5}),
    rule(
        "baa-open",
        "'hipaa' in regimes and baa == 'unknown'",
        caveat_code="check_baa",
        caveat_text="Check the BAA (self-hosting at {tco_ratio_self_host:.1f}x).",
    ),
)


def test_an_expression_effect_scores_in_proportion() -> None:
    half = evaluate(LIBRARY, ANSWERS, figures(0.5, 1.0))
    quarter = evaluate(LIBRARY, ANSWERS, figures(0.25, 1.0))
    assert half.scores["self_host"] == pytest.approx(6 * math.log(2))
    assert quarter.scores["self_host"] == pytest.approx(6 * math.log(4))
    assert half.scores["hybrid"] == 0.0  # parity scores nothing


def test_a_tiny_change_in_cost_moves_the_score_a_little() -> None:
    before = evaluate(LIBRARY, ANSWERS, figures(0.6, 1.0)).scores["self_host"]
    after = evaluate(LIBRARY, ANSWERS, figures(0.6 * 0.999, 1.0)).scores["self_host"]
    assert 0 < after - before < 0.01


def test_an_effect_that_is_not_a_finite_number_skips_the_rule() -> None:
    compiled = ruleset(rule("log0", "true", score_deltas={"self_host": "$log(monthly_queries)"}))
    result = evaluate(compiled, {**ANSWERS, "monthly_queries": 0}, figures(1, 1))
    assert [skip.code for skip in result.skipped] == ["log0"]
    assert result.skipped[0].error  # reported with a reason, never raised
    assert result.recommendation == "api"


def test_an_effect_expression_is_bounded_like_a_constant() -> None:
    compiled = ruleset(rule("huge", "true", score_deltas={"hybrid": "monthly_queries"}))
    assert evaluate(compiled, ANSWERS, figures(1, 1)).scores["hybrid"] == 100.0


def test_rationale_and_caveat_quote_the_figures() -> None:
    result = evaluate(LIBRARY, {**ANSWERS, "regimes": ("hipaa",)}, figures(0.5, 1.0))
    cost = result.fired_rule("cost")
    assert cost is not None
    assert cost.rationale == "Self-hosting costs 0.50 times the API."
    assert [caveat.text for caveat in result.caveats] == ["Check the BAA (self-hosting at 0.5x)."]


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("tco_ratio_self_host", "must give a number"),  # nullable
        ("monthly_queries > 3", "must give a number"),
        ("recommendation == 'api'", "known only after scoring"),
        ("$log(regimes)", "mismatch"),
        ("$random()", "not allowed"),
        ("monthly_querys * 2", "Did you mean 'monthly_queries'"),
        ("1" + " + 1" * 600, "characters long"),
    ],
)
def test_bad_effect_expressions_are_refused_with_a_message(expression: str, fragment: str) -> None:
    with pytest.raises(InvalidCondition) as error:
        compile_effect(expression, LIBRARY.schema)
    assert fragment in " ".join(error.value.messages)


def test_validate_effect_checks_expressions_against_the_schema() -> None:
    assert (
        validate_effect("true", {"api": "-2 * $log(tco_ratio_self_host ?? 1)"}, [], LIBRARY.schema)
        == []
    )
    [message] = validate_effect("true", {"api": "nope + 1"}, [], LIBRARY.schema)
    assert message.startswith("The score expression for api: Unknown name 'nope'")
    [message] = validate_effect("recommendation == 'api'", {"api": "1 + 1"}, [], LIBRARY.schema)
    assert "known only after scoring" in message


def test_placeholders_are_validated_and_rendered() -> None:
    schema: ConditionSchema = LIBRARY.schema
    assert validate_placeholders("At {tco_ratio_self_host:.1f}x, {{literal}}.", schema) == []
    assert validate_placeholders("{nope}", schema) == ["Unknown name 'nope' in a placeholder."]
    assert "not a format" in validate_placeholders("{tco_api_usd:zz}", schema)[0]
    assert "broken placeholder" in validate_placeholders("{tco_api_usd", schema)[0]
    assert render_placeholders("${tco_api_usd:,.0f} {{x}}", {"tco_api_usd": 1234567.8}) == (
        "$1,234,568 {x}"
    )
    assert render_placeholders("month {m:.0f}", {"m": None}) == "month n/a"


def test_money_and_volumes_in_prose_read_at_three_significant_figures() -> None:
    schema: ConditionSchema = LIBRARY.schema
    text = "{tco_self_host_usd:usd} against {tco_api_usd:usd} for about {monthly_queries:volume}"
    assert validate_placeholders(text, schema) == []
    facts = {
        "tco_self_host_usd": 16_512_345.6,
        "tco_api_usd": 873_210,
        "monthly_queries": 13_612_000,
    }
    assert render_placeholders(text, facts) == "$16.5M against $873K for about 13.6M"
    assert render_placeholders("{tco_api_usd:usd}", {"tco_api_usd": None}) == "n/a"
    [message] = validate_placeholders("{regimes:usd}", schema)
    assert message == "'usd' formats a number, and regimes is not one."
    assert "usd for money" in validate_placeholders("{tco_api_usd:dollars}", schema)[0]


def test_reasons_are_split_for_and_against_the_recommendation() -> None:
    result = evaluate(LIBRARY, ANSWERS, figures(0.3, 0.8))
    assert result.recommendation == "self_host"
    assert result.reasons_for == ("cost",)
    assert result.reasons_against == ("default",)
    first, second = result.steps
    assert (first.question, first.answer, first.alternative) == (API_OR_OWN, "self_host", "api")
    assert (second.question, second.alternative) == (SELF_HOST_OR_HYBRID, "hybrid")
    assert second.reasons_for == ("cost",)  # cheaper than the hybrid too


def test_the_second_question_is_shown_but_not_asked_when_the_api_wins() -> None:
    result = evaluate(LIBRARY, ANSWERS, figures(2.0, 1.5))
    assert result.recommendation == "api"
    assert set(result.reasons_for) == {"cost", "default"}
    assert result.reasons_against == ()
    assert [step.asked for step in result.steps] == [True, False]
    assert result.steps[1].answer == "hybrid"  # the better own option


def test_a_gate_is_the_strongest_reason_for_the_option_it_leaves() -> None:
    result = evaluate(LIBRARY, {**ANSWERS, "regimes": ("hipaa",), "baa": "no"}, figures(2.5, 2.0))
    assert result.recommendation == "self_host"
    assert result.reasons_for[0] == "gate"
    assert "cost" in result.reasons_against  # a sole option still has its cost against it
    [api, hybrid] = sorted(result.cheaper_options, key=lambda item: item.option)
    assert api.excluded and api.reasons == ("gate",)
    assert api.difference_usd == pytest.approx(1_500_000)
    assert hybrid.excluded and hybrid.difference_usd == pytest.approx(500_000)


def test_a_dearer_recommendation_names_what_outweighed_the_cheaper_option() -> None:
    result = evaluate(LIBRARY, {**ANSWERS, "has_production_data": False}, figures(0.8, 1.2))
    assert result.recommendation == "api"
    [cheaper] = result.cheaper_options
    assert cheaper.option == "self_host"
    assert not cheaper.excluded
    assert cheaper.difference_usd == pytest.approx(200_000)
    assert cheaper.reasons == ("no-data", "default")


def test_an_unknown_follow_up_is_an_open_question_with_lower_confidence() -> None:
    hipaa = {**ANSWERS, "regimes": ("hipaa",), "monthly_queries": 1_000_000}
    cost = figures(3.0, 2.0)
    unknown = evaluate(LIBRARY, hipaa, cost)
    yes = evaluate(LIBRARY, {**hipaa, "baa": "yes"}, cost)
    no = evaluate(LIBRARY, {**hipaa, "baa": "no"}, cost)
    [question] = unknown.open_questions
    assert (question.key, question.if_yes, question.if_no) == ("baa", "api", "self_host")
    assert unknown.recommendation == "api"
    assert unknown.confidence < min(yes.confidence, no.confidence)
    assert unknown.confidence <= 0.5  # the answer depends on the check
    assert yes.open_questions == () and no.open_questions == ()


def test_a_follow_up_not_asked_is_no_open_question() -> None:
    result = evaluate(LIBRARY, ANSWERS, figures(1.0, 1.0))  # no HIPAA: baa not shown
    assert result.open_questions == ()


def test_evaluate_recommendations_agrees_with_evaluate_on_random_draws() -> None:
    rng = random.Random(13)
    answers_list, figures_list = [], []
    for _ in range(300):
        answers_list.append(
            {
                **ANSWERS,
                "regimes": rng.choice([(), ("hipaa",)]),
                "baa": rng.choice(["yes", "no", "unknown"]),
                "has_production_data": rng.random() < 0.5,
            }
        )
        ratio = rng.choice([None, math.inf, math.nan, 0.0, -1.0]) if rng.random() < 0.1 else None
        figures_list.append(
            {
                **figures(rng.lognormvariate(0, 1), rng.lognormvariate(0, 0.5)),
                **({"tco_ratio_hybrid": ratio} if ratio is not None or rng.random() < 0.05 else {}),
            }
        )
    fast = evaluate_recommendations(LIBRARY, answers_list, figures_list)
    slow = [
        evaluate(LIBRARY, answers, figs).recommendation
        for answers, figs in zip(answers_list, figures_list, strict=True)
    ]
    assert fast == slow
    assert len(set(fast)) == 3  # the draws really cover all three answers


def test_evaluate_recommendations_wants_one_figure_set_per_answer_set() -> None:
    with pytest.raises(ValueError, match="same length"):
        evaluate_recommendations(LIBRARY, [ANSWERS], [])
