"""The engine under decision model v3: rules gate, warn and price; a chooser decides."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.rules.engine import FiredRule, evaluate, money_reasons
from advisor.scoring.effects import CostEffect, RangeEffect, Triangle
from tests.rules.test_engine import ANSWERS, NO_FIGURES, rule, ruleset

MIGRATION = CostEffect(("open_api", "self_host"), "Migration", one_off_usd=Triangle.point(1))


class Recorder:
    """A chooser that picks the first allowed option and remembers what it was shown."""

    def __init__(self, pick: str | None = None) -> None:
        self.pick = pick
        self.calls: list[tuple[list[str], list[str]]] = []

    def __call__(self, allowed: Sequence[str], fired: Sequence[FiredRule]) -> str | None:
        self.calls.append((list(allowed), [hit.code for hit in fired]))
        return self.pick if self.pick in allowed else (allowed[0] if allowed else None)


def test_the_chooser_sees_four_options_less_the_gates() -> None:
    chooser = Recorder("self_host")
    result = evaluate(
        ruleset(
            rule("gate", "'hipaa' in regimes", excludes=("api", "open_api", "hybrid")),
            rule("priced", "true", effects=(MIGRATION,)),
        ),
        {**ANSWERS, "regimes": ("hipaa",)},
        NO_FIGURES,
        choose=chooser,
    )
    assert chooser.calls == [(["self_host"], ["gate", "priced"])]
    assert result.recommendation == "self_host"
    assert set(result.excluded) == {"api", "open_api", "hybrid"}


def test_outcome_rules_read_the_choice() -> None:
    result = evaluate(
        ruleset(
            rule(
                "overhead",
                "recommendation == 'open_api'",
                caveat_code="open_model_quality",
                caveat_text="Evaluate the open model first.",
            )
        ),
        ANSWERS,
        NO_FIGURES,
        choose=Recorder("open_api"),
    )
    assert result.recommendation == "open_api"
    assert [caveat.code for caveat in result.caveats] == ["open_model_quality"]


def test_fired_rules_carry_their_typed_effects_in_the_contract() -> None:
    widen = RangeEffect("monthly_queries", 0.3, 3.0)
    result = evaluate(
        ruleset(rule("estimate", "true", effects=(widen,))), ANSWERS, NO_FIGURES, choose=Recorder()
    )
    hit = result.fired_rule("estimate")
    assert hit is not None
    assert hit.effects == (widen,)
    assert hit.effect["effects"] == [widen.to_dict()]
    assert result.scores["self_host"] == 0.0  # no score points in v3


def test_money_reasons_for_and_against() -> None:
    fired = [
        FiredRule("gate", "Gate", "", {}, ("api",), ""),
        FiredRule("cost", "Cost", "", {}, (), "", effects=(MIGRATION,)),
    ]
    # The gate rules the API out (for self-hosting); the cost falls on self-hosting (against it).
    assert money_reasons("self_host", fired) == (("gate",), ("cost",))
    # For the API: the cost on the alternatives is a reason for it; the gate is not.
    assert money_reasons("api", fired) == (("cost",), ())
    assert money_reasons(None, fired) == ((), ())


def test_a_stored_rule_with_broken_effects_is_skipped_not_raised() -> None:
    broken = rule("broken", "true", problems=("effect 1: kind must be one of ...",))
    result = evaluate(ruleset(broken), ANSWERS, NO_FIGURES, choose=Recorder())
    assert [skipped.code for skipped in result.skipped] == ["broken"]
    assert result.recommendation == "api"
