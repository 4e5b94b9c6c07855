"""What a posted step does (steps.decide_step): pure, so no database and no request."""

from __future__ import annotations

from advisor.assessments.steps import Move, Step, StepDecision, build_steps, decide_step
from advisor.rules.answers import QuestionSpec

STEPS = build_steps(
    [
        QuestionSpec("monthly_queries", "integer", section="Workload", required=True),
        QuestionSpec("regimes", "multi_choice", section="Compliance"),
        QuestionSpec("api_model", "catalog", section="Cost assumptions", advanced=True),
    ]
)
WORKLOAD, COMPLIANCE, COSTS = STEPS


def decide(
    current: Step, nav: str = "next", *, valid: bool = True, revealed: bool = False
) -> StepDecision:
    return decide_step(nav=nav, steps=STEPS, current=current, valid=valid, revealed=revealed)


def test_next_saves_the_step_and_goes_to_the_following_one():
    assert decide(WORKLOAD) == StepDecision(Move.GO_TO, mark_saved=True, target=COMPLIANCE)


def test_next_on_the_last_step_completes_the_questionnaire():
    # The first step not yet saved, which is the review once every step is.
    assert decide(COSTS) == StepDecision(Move.RESUME, mark_saved=True)


def test_save_and_go_to_review_resumes_from_any_step():
    assert decide(WORKLOAD, "review") == StepDecision(Move.RESUME, mark_saved=True)


def test_back_goes_to_the_previous_step_without_marking_this_one_saved():
    assert decide(COMPLIANCE, "back") == StepDecision(Move.GO_TO, mark_saved=False, target=WORKLOAD)


def test_back_on_the_first_step_stays_on_it():
    assert decide(WORKLOAD, "back") == StepDecision(Move.GO_TO, mark_saved=False, target=WORKLOAD)


def test_back_keeps_what_is_valid_even_when_the_form_is_not():
    decision = decide(COMPLIANCE, "back", valid=False, revealed=True)
    assert decision == StepDecision(Move.GO_TO, mark_saved=False, target=WORKLOAD)
    assert decision.keep_answers


def test_skip_on_an_advanced_step_moves_on_and_keeps_the_defaults():
    assert decide(COSTS, "skip", valid=False) == StepDecision(
        Move.RESUME, mark_saved=True, keep_answers=False
    )


def test_skip_on_a_step_that_is_not_advanced_counts_as_next():
    assert decide(WORKLOAD, "skip") == decide(WORKLOAD, "next")
    assert decide(WORKLOAD, "skip", valid=False).move is Move.SHOW_ERRORS


def test_an_unknown_navigation_value_counts_as_next():
    for nav in ("??", "", "NEXT", "delete"):
        assert decide(WORKLOAD, nav) == decide(WORKLOAD, "next")


def test_an_invalid_form_stays_on_the_step_and_saves_it_as_unfinished():
    for nav in ("next", "review"):
        assert decide(COMPLIANCE, nav, valid=False) == StepDecision(
            Move.SHOW_ERRORS, mark_saved=False
        )


def test_errors_come_before_a_revealed_follow_up():
    assert decide(COMPLIANCE, valid=False, revealed=True).move is Move.SHOW_ERRORS


def test_a_revealed_follow_up_is_asked_before_moving_on():
    assert decide(COMPLIANCE, revealed=True) == StepDecision(Move.ASK_FOLLOW_UP, mark_saved=False)
    assert decide(COMPLIANCE, "review", revealed=True).move is Move.ASK_FOLLOW_UP
