"""Reads for the wizard: an assessment by its token, and its ruleset's wizard.

The :class:`Wizard` joins what a step page needs from two other areas: the
ruleset's question specs (rules) and the price catalog's entries and
defaults (costs), through their services only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.shortcuts import get_object_or_404

from advisor.assessments.models import Assessment
from advisor.assessments.steps import (
    Step,
    build_steps,
    is_shown,
    step_index,
    trigger_keys,
)
from advisor.costs.services import CATALOG_KINDS, catalog_choices, catalog_defaults
from advisor.rules.answers import QuestionSpec, apply_defaults
from advisor.rules.conditions import ConditionSchema
from advisor.rules.models import Ruleset
from advisor.rules.services import question_specs


def assessment_by_token(*, token: str) -> Assessment:
    """The assessment behind a public link, or the site's 404."""
    return get_object_or_404(Assessment.objects.for_token(token))


@dataclass(frozen=True)
class Wizard:
    """The steps of one ruleset version, with the catalog as it stands now."""

    specs: tuple[QuestionSpec, ...]
    steps: tuple[Step, ...]
    schema: ConditionSchema
    triggers: frozenset[str]
    catalog_options: Mapping[str, list[tuple[str, str]]]
    defaults: Mapping[str, Any]

    catalog_keys: Mapping[str, list[str]]

    def step(self, slug: str) -> Step | None:
        index = step_index(self.steps, slug)
        return None if index is None else self.steps[index]

    def with_defaults(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """``answers`` completed by each question's default, else the catalog's."""
        return apply_defaults(answers, self.specs, self.defaults)

    def visible(self, step: Step, answers: Mapping[str, Any]) -> tuple[QuestionSpec, ...]:
        """The step's questions whose show-if holds for ``answers``."""
        effective = self.with_defaults(answers)
        return tuple(spec for spec in step.questions if is_shown(spec, effective, self.schema))


def wizard_for(*, ruleset: Ruleset) -> Wizard:
    specs = tuple(question_specs(ruleset))
    steps = build_steps(specs)
    catalog = {kind: catalog_choices(kind) for kind in CATALOG_KINDS}
    return Wizard(
        specs=specs,
        steps=steps,
        # Show-if conditions read answers only: no cost figures, no outcome.
        schema=ConditionSchema.build(
            ((spec.key, spec.type, spec.choice_values) for spec in specs), outcome=False
        ),
        triggers=trigger_keys(steps),
        catalog_options=catalog,
        defaults=catalog_defaults(),
        catalog_keys={kind: [key for key, _ in options] for kind, options in catalog.items()},
    )
