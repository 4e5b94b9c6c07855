"""What a rule's typed effects may name, read off the ruleset's condition schema.

Pure (no Django): a ``range`` effect widens a numeric answer or a cost
assumption; a ``check`` names a follow-up question (one answered yes, no or
unknown). The admin validates effects against these on save.
"""

from __future__ import annotations

from advisor.costs.assumptions import SCALAR_ASSUMPTIONS
from advisor.rules.conditions import ConditionSchema
from advisor.rules.engine import FOLLOW_UP_VALUES

_NUMERIC_ANSWERS = ("integer", "number")


def range_targets(schema: ConditionSchema) -> tuple[str, ...]:
    """Numeric answers (never the derived figures, which are nullable) and assumptions."""
    answers = tuple(
        symbol.name
        for symbol in schema.symbols
        if symbol.kind in _NUMERIC_ANSWERS and not symbol.nullable
    )
    return answers + tuple(spec.name for spec in SCALAR_ASSUMPTIONS)


def follow_up_keys(schema: ConditionSchema) -> tuple[str, ...]:
    """Choice questions answered yes, no or unknown (HIPAA's BAA, FedRAMP, region...)."""
    return tuple(
        symbol.name
        for symbol in schema.symbols
        if symbol.kind == "choice" and set(symbol.choices) >= FOLLOW_UP_VALUES
    )
