"""``manage.py evaluate --format text``: a terminal summary of a result.

The same views the page and the PDF render (``report_sections``), as lines
of text; the command prints it, beside the JSON of ``advisor.scoring.evaluate``.
"""

from __future__ import annotations

from advisor import wording
from advisor.options import OPERATOR_OPTION_LABELS
from advisor.reports.report_sections import (
    confidence_label,
    uncertainty_view,
    what_would_change,
)
from advisor.rules.reasons import reasons_summary
from advisor.snapshot import ResultSnapshot


def _uncertainty_lines(result: ResultSnapshot) -> list[str]:
    """Ranges, chances and the tornado: the same view as the page's."""
    view = uncertainty_view(result)
    if not view.confidence_sentence:
        return []
    money = view.decided_on_money
    lines = [
        "",
        *(
            sentence
            for sentence in (view.plan_sentence, view.router_sentence, view.growth_sentence)
            if sentence
        ),
    ]
    lines += [*view.conditional_sentences, view.confidence_sentence, ""]
    lines.append(
        "Adjusted costs (P10 to P90) and chance best:"
        if money
        else "Likely ranges (P10 to P90) and chance cheapest:"
    )
    width = max((len(row.label) for row in view.cost_rows), default=18)
    for row in view.cost_rows:
        if row.tco_p10 is None and not row.is_plan:
            continue
        chance = (
            ""
            if row.is_variant or row.excluded or row.probability_cheapest is None
            else f"   {'best' if money else 'cheapest'} in "
            f"{wording.share(row.probability_cheapest)}"
        )
        if row.is_plan:
            lines.append(f"  {row.label:<{width}} median ${row.tco_usd:>14,.0f}{chance}")
            continue
        lines.append(
            f"  {row.label:<{width}} ${row.tco_p10:>14,.0f} to ${row.tco_p90:>14,.0f}{chance}"
        )
    lines += [f"  {sentence}" for sentence in view.break_even_sentences]
    if view.tornado is None and view.tornado_absent:
        lines += ["", f"What the costs depend on most: {view.tornado_absent}"]
    if view.tornado is not None:
        measured = (
            "self-hosting's TCO / the API's"
            if view.tornado.legacy
            else f"the cost of {view.tornado.option} / that of {view.tornado.against}"
        )
        lines += ["", f"What the costs depend on most ({measured}):"]
        # Columns as wide as their longest entry: a fixed width let a long label
        # ("On-call cover for a customer-facing service, around the clock") push
        # its row's figures out of line.
        label_width = max(len(bar.label) for bar in view.tornado.rows)
        range_width = max(len(bar.range_text) for bar in view.tornado.rows)
        for bar in view.tornado.rows:
            lines.append(
                f"  {bar.label:<{label_width}}  {bar.range_text:<{range_width}}  "
                f"{bar.low_ratio:.2f}x to {bar.high_ratio:.2f}x"
            )
    return lines


def _what_would_change_lines(result: ResultSnapshot) -> list[str]:
    """Volume, assumptions and single answers: as the page and the PDF list them."""
    change = what_would_change(result)
    lines = ["", "What would change this answer:"]
    if change.volume_note:
        lines.append(f"  {change.volume_note}")
    lines += [f"  - {text}" for text in (*change.volume, *change.volume_ranges)]
    lines += [f"  - {text}" for text in change.assumptions]
    if change.flips:
        lines += [
            f"  - {flip.change} -> {flip.recommendation or 'every option ruled out'}"
            for flip in change.flips
        ]
    else:
        lines.append(f"  - {change.no_flips}")
    return lines


def render_text(result: ResultSnapshot) -> str:
    """A terminal summary of the same snapshot the JSON carries."""
    recommendation = result.recommendation
    lines = [
        f"Ruleset {result.ruleset.name} {result.ruleset.version}",
        "",
        "Recommendation: "
        + (
            f"{OPERATOR_OPTION_LABELS.get(recommendation, recommendation)} "
            f"(confidence {wording.share(result.confidence)}, {confidence_label(result)})"
            if recommendation
            else "none: every option is ruled out"
        ),
        "",
        # Under decision model v3 the "score" is each option's chance of being the best.
        f"{'Chances' if result.decision_rule else 'Scores'} and costs"
        f" over {result.horizon_months} months:",
    ]
    # As wide as the longest label ("Hosted open model"): the columns stay in line.
    width = max((len(OPERATOR_OPTION_LABELS[option]) for option in result.scores), default=0)
    for option, score in result.scores.items():
        ruled_out = "  (ruled out)" if option in result.excluded else ""
        label = OPERATOR_OPTION_LABELS[option]
        # A v3 result's totals are the adjusted costs every surface shows (the same figures).
        per_1k = wording.usd_precise(result.costs.options[option].shown_cost_per_1k_queries_usd)
        lines.append(
            f"  {label:<{width}} "
            + (
                f"chance best {wording.share(score):>9}"
                if result.decision_rule
                else f"score {score:>6.1f}"
            )
            + f"   TCO ${result.tco_usd(option):>14,.0f}"
            f"   {per_1k} per 1,000 queries{ruled_out}"
        )
    for option, month in result.costs.break_even_month.items():
        lines.append(
            f"  {OPERATOR_OPTION_LABELS[option]} breaks even with the API: "
            + (f"month {month}" if month else "not within the horizon")
        )
    lines += _uncertainty_lines(result)
    lines += _what_would_change_lines(result)
    if result.excluded:
        lines += ["", "Ruled out:"]
        for option, reasons in result.excluded.items():
            lines.append(f"  {OPERATOR_OPTION_LABELS[option]}: {'; '.join(reasons)}")
    summary = reasons_summary(result)
    if summary.split:
        lines += ["", "For and against:"]
        for step in summary.steps:
            asked = "" if step.asked else " (not asked: the API is recommended)"
            lines.append(f"  {step.question} {step.answer}{asked}")
            lines += [f"    + {rule.title}" for rule in step.reasons_for]
            lines += [f"    - {rule.title}" for rule in step.reasons_against]
        if summary.strongest_against:
            lines.append(f"  Strongest reason against: {summary.strongest_against.title}")
        lines += [f"  {sentence}" for sentence in (*summary.cheaper, *summary.open_questions)]
    lines += ["", "Why (strongest first):"]
    for rule in result.fired_rules:
        lines.append(f"  - {rule.title} [{rule.code}]")
        lines.append(f"    {rule.rationale}")
    if result.caveats:
        lines += ["", "Caveats:"]
        lines += [f"  ! {caveat.text} [{caveat.code}]" for caveat in result.caveats]
    if result.skipped_rules:
        lines += ["", "Rules that could not be evaluated:"]
        lines += [f"  ? {rule.code}: {rule.error}" for rule in result.skipped_rules]
    return "\n".join(lines)
