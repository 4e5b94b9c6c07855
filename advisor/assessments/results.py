"""The result snapshot: advice, chart and "what would change this answer", once.

Computed when the buyer completes the assessment and stored on it, so the
result page (and the PDF) render stored data: fast, and a report never
changes silently when prices or rules change later. Completing again after
editing answers re-scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from advisor.advice import advise as advise_compiled
from advisor.assessments import sensitivity
from advisor.costs.catalog import CatalogSnapshot
from advisor.costs.projection import (
    OPTIONS,
    SELF_HOSTED_OPTIONS,
    Projection,
    Workload,
    project,
    workload_from_answers,
)
from advisor.costs.selectors import catalog_snapshot
from advisor.costs.services import assumptions_for
from advisor.reports.charts import (
    OPTION_LABELS,
    chart_description,
    cumulative_cost_chart_svg,
    cumulative_cost_table,
)
from advisor.rules.models import Ruleset
from advisor.rules.services import (
    InvalidAnswers,
    advise,
    compiled_ruleset,
    computed_or_field_error,
    parse_answers_for,
    question_specs,
)

CHART_TABLE_STEP_MONTHS = 6


def result_snapshot(
    *, ruleset: Ruleset, answers: Mapping[str, Any], catalog: CatalogSnapshot | None = None
) -> dict[str, Any]:
    """``Advice.to_dict()`` plus what the result page shows beside it.

    ``catalog`` is the request's catalog snapshot, read here once when not given.

    Raises :class:`advisor.rules.services.InvalidAnswers` for answers that do
    not fit, and its subclass ``AnswersBeyondTheModel`` naming the answer
    when the arithmetic of the projection, the chart or the flips overflows.
    """
    catalog = catalog or catalog_snapshot()
    parsed = parse_answers_for(ruleset, answers, catalog=catalog)
    if not parsed.ok:
        raise InvalidAnswers(parsed)
    return computed_or_field_error(
        parsed.answers,
        question_specs(ruleset),
        lambda given: _snapshot(ruleset=ruleset, answers=given, catalog=catalog),
    )


def _snapshot(
    *, ruleset: Ruleset, answers: Mapping[str, Any], catalog: CatalogSnapshot
) -> dict[str, Any]:
    advice = advise(answers=answers, ruleset=ruleset, catalog=catalog)
    projection = advice.projection
    snapshot = advice.to_dict()
    volume = advice.answers.get("monthly_queries")
    snapshot["page"] = {
        "computed_at": timezone.now().isoformat(),
        "option_labels": dict(OPTION_LABELS),
        "chart_svg": cumulative_cost_chart_svg(
            projection,
            bands=advice.uncertainty.cumulative_band if advice.uncertainty else None,
        ),
        "chart_description": chart_description(projection),
        "chart_table": [
            {
                "month": row.month,
                "api_usd": row.api_usd,
                "self_host_usd": row.self_host_usd,
                "hybrid_usd": row.hybrid_usd,
            }
            for row in cumulative_cost_table(projection, step_months=CHART_TABLE_STEP_MONTHS)
        ],
        "cost_rows": [
            {
                "option": option,
                "label": OPTION_LABELS[option],
                "tco_usd": projection.options[option].tco_usd,
                "cost_per_1k_queries_usd": projection.options[option].cost_per_1k_queries_usd,
                "break_even_month": projection.break_even_month.get(option),
                "excluded": option in advice.evaluation.excluded,
            }
            for option in OPTIONS
        ],
        "break_even_volumes": [
            {
                "option": option,
                "label": OPTION_LABELS[option],
                "multiplier": multiplier,
                "monthly_queries": (
                    None if multiplier is None or not volume else round(multiplier * volume)
                ),
            }
            for option in SELF_HOSTED_OPTIONS
            for multiplier in [projection.break_even_volume_multiplier.get(option)]
        ],
        "flips": [flip.to_dict() for flip in _flips(ruleset, advice.answers, catalog)],
    }
    return snapshot


def _flips(
    ruleset: Ruleset, answers: Mapping[str, Any], catalog: CatalogSnapshot | None = None
) -> list[sensitivity.Flip]:
    # The answers are typed and complete (defaults applied) and no variation
    # touches the catalog choices, so one set of assumptions serves them all.
    compiled = compiled_ruleset(ruleset)
    assumptions = assumptions_for(answers=answers, catalog=catalog)

    # The projection (and its break-even solves, most of the cost) depends
    # only on the workload part of the answers: most variations leave it as
    # it is, so each distinct workload is projected once.
    projections: dict[Workload, Projection] = {}

    def recommend(variant: Mapping[str, Any]) -> str | None:
        workload = workload_from_answers(variant)
        if workload not in projections:
            projections[workload] = project(workload, assumptions)
        advice = advise_compiled(compiled, variant, assumptions, projection=projections[workload])
        return advice.recommendation

    return sensitivity.flips(answers, question_specs(ruleset), recommend)
