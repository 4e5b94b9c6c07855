"""What typed effects may name: numeric answers and assumptions to widen, follow-ups to check."""

from __future__ import annotations

from advisor.costs.assumptions import SCALAR_ASSUMPTIONS
from advisor.rules.answers import QuestionSpec
from advisor.rules.conditions import ConditionSchema
from advisor.rules.effect_schema import follow_up_keys, range_targets

YES_NO_UNKNOWN = (("yes", "Yes"), ("no", "No"), ("unknown", "Not sure"))
SCHEMA = ConditionSchema.from_questions(
    [
        QuestionSpec(key="monthly_queries", type="integer"),
        QuestionSpec(key="growth", type="number"),
        QuestionSpec(key="load_pattern", type="choice", choices=(("steady", "Steady"),)),
        QuestionSpec(key="hipaa_baa_sufficient", type="choice", choices=YES_NO_UNKNOWN),
        QuestionSpec(key="customer_facing", type="boolean"),
    ],
    {"tco_ratio_self_host": "float"},
)


def test_ranges_widen_numeric_answers_and_every_scalar_assumption_not_derived_figures() -> None:
    targets = range_targets(SCHEMA)
    assert set(targets[:2]) == {"monthly_queries", "growth"}
    assert targets[2:] == tuple(spec.name for spec in SCALAR_ASSUMPTIONS)
    assert "tco_ratio_self_host" not in targets


def test_checks_name_only_questions_answered_yes_no_or_unknown() -> None:
    assert follow_up_keys(SCHEMA) == ("hipaa_baa_sufficient",)
