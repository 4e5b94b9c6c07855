"""The report's tables and lists, as numbers, from a result snapshot.

Money, percentages and the recommendation sentence are formatted in the
templates by the result page's own filters (``advisor/assessments/
templatetags/assessments.py``: ``usd``, ``usd_precise``, ``percent``,
``option_sentence``), so the PDF shows every TCO figure exactly as the page
does. This module only selects and shapes the data. Pure (no Django): it
reads the typed :class:`advisor.snapshot.ResultSnapshot` (a stored result is
read with ``ResultSnapshot.from_dict`` by the caller), because that is what a
report must keep showing after rulesets and prices move on.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from advisor import wording
from advisor.costs.monthly import COMPONENTS
from advisor.options import (
    OPTION_LABELS,
    OPTION_PHRASES,
    OPTIONS,
    SELF_HOSTED_OPTIONS,
    V3_OPTIONS,
)
from advisor.reports.charts import Tornado, tornado
from advisor.snapshot import (
    ConditionalAdvice,
    Costs,
    FiredRule,
    OptionCosts,
    Percentiles,
    PlanSummary,
    ResultSnapshot,
    UncertaintyBasis,
    charted_options,
)

VARIANT_LABELS: dict[str, str] = {"api_router": "API with a router"}

COMPONENT_LABELS: dict[str, str] = {
    "api_tokens": "API tokens",
    "gpus": "GPUs",
    "infrastructure": "Networking, storage, monitoring",
    "operations": "Operations",
    "overhead": "First-year overhead",
    # Decision model v3: the money the rules add (evaluation, migration, hiring...).
    "adjustments": "Costs the rules add",
}
# The components a yearly breakdown lists, in order (v3 results add the rules' costs).
SHOWN_COMPONENTS: tuple[str, ...] = (*COMPONENTS, "adjustments")


def option_label(option: str) -> str:
    return OPTION_LABELS.get(option, option)


def strongest_reasons(fired_rules: Sequence[FiredRule], *, count: int = 3) -> list[FiredRule]:
    """The ``count`` strongest fired rules that changed a score or excluded an option.

    The engine lists fired rules strongest first; caveat-only rules (no
    effect) come last and are not reasons.
    """
    with_effect = [rule for rule in fired_rules if _has_effect(rule.effect)]
    return (with_effect or list(fired_rules))[:count]


def _has_effect(effect: Mapping[str, Any]) -> bool:
    deltas = effect.get("score_deltas") or {}
    return bool(effect.get("excludes")) or any(delta for delta in deltas.values())


@dataclass(frozen=True)
class OptionCostRow:
    """One option (or variant) in the cost table (USD; the template formats them).

    ``tco_p10``/``tco_p90`` and ``probability_cheapest`` come from the
    uncertainty analysis (None when the snapshot has none).
    """

    option: str
    label: str
    tco_usd: float
    cost_per_1k_queries_usd: float
    break_even_month: int | None
    excluded: bool
    is_recommended: bool
    tco_p10: float | None = None
    tco_p90: float | None = None
    probability_cheapest: float | None = None
    is_variant: bool = False
    # Decision model v3: the staged plan's row (a candidate, with its chance of being best).
    is_plan: bool = False
    # Why the row is or is not the recommendation, in words that agree with its figures.
    why: str = ""


def decided_on_money(result: ResultSnapshot) -> bool:
    """Whether the result was decided by decision model v3 (adjusted costs, not scores)."""
    return result.decision_rule is not None


def option_cost_rows(result: ResultSnapshot, recommendation: str | None) -> list[OptionCostRow]:
    """The options, the plan (v3), then the "API with a router" variant, from the costs.

    A v3 result shows each option's *adjusted* 36-month cost (the projection
    plus the rules' costs, median over the draws: the figure the decision
    compares) and its chance of being the best choice; older results their
    projected TCO and chance of being the cheapest.
    """
    costs = result.costs
    excluded = result.excluded
    money = decided_on_money(result)
    probability = (costs.probability_best if money else costs.probability_cheapest) or {}
    rows = []
    order = V3_OPTIONS if money else OPTIONS
    entries = [
        (option, costs.options[option], False) for option in order if option in costs.options
    ]
    entries += [(name, figures, True) for name, figures in costs.variants.items()]
    for option, figures, is_variant in entries:
        tco_usd, per_1k, spread = _shown_figures(figures, money=money)
        router = result.router
        if money and is_variant and option == "api_router" and router is not None:
            # The median the router sentence's saving is worked out from (the API's
            # row is a median too): the base projection would disagree with it.
            tco_usd, per_1k = router.tco_usd, _per_1k(costs, router.tco_usd)
        rows.append(
            OptionCostRow(
                option=option,
                label=VARIANT_LABELS.get(option) or option_label(option),
                tco_usd=tco_usd,
                cost_per_1k_queries_usd=per_1k,
                break_even_month=costs.break_even_month.get(option),
                # A variant of the API is ruled out with it.
                excluded=("api" if is_variant else option) in excluded,
                is_recommended=option == recommendation,
                tco_p10=None if spread is None else spread.p10,
                tco_p90=None if spread is None else spread.p90,
                probability_cheapest=None if is_variant else probability.get(option),
                is_variant=is_variant,
            )
        )
    plan = result.plan
    if money and plan is not None:
        rows.insert(
            len([row for row in rows if not row.is_variant]),
            OptionCostRow(
                option="plan",
                label=plan_label(plan),
                tco_usd=plan.tco_usd,
                cost_per_1k_queries_usd=_per_1k(costs, plan.tco_usd),
                break_even_month=None,
                excluded=False,
                is_recommended=plan.recommended,
                probability_cheapest=probability.get("plan"),
                is_plan=True,
            ),
        )
    return _with_reasons(result, rows)


def _shown_figures(figures: OptionCosts, *, money: bool) -> tuple[float, float, Percentiles | None]:
    """An option's total, per-1,000 figure and range as its row shows them.

    A v3 result's adjusted figures, when it has them; else the projection's.
    """
    if money and figures.adjusted_tco_usd is not None:
        per_1k = figures.adjusted_cost_per_1k_queries_usd
        return (
            figures.adjusted_tco_usd,
            figures.cost_per_1k_queries_usd if per_1k is None else per_1k,
            figures.adjusted_tco_usd_range or figures.tco_usd_range,
        )
    return figures.tco_usd, figures.cost_per_1k_queries_usd, figures.tco_usd_range


def _with_reasons(result: ResultSnapshot, rows: list[OptionCostRow]) -> list[OptionCostRow]:
    reasons = row_reasons(result, rows)
    return [replace(row, why=reasons.get(row.option, "")) for row in rows]


def row_reasons(result: ResultSnapshot, rows: Sequence[OptionCostRow]) -> dict[str, str]:
    """Why each row of the cost table is or is not the recommendation (row option -> sentence).

    Worked out from the figures the rows show (adjusted medians under v3),
    so "$19.7M more than a hosted open model" is the difference of the two
    figures beside it. Results scored before v3 say only what decided them.
    """
    excluded = result.excluded
    recommended = next((row for row in rows if row.is_recommended), None)
    rule = result.decision_rule
    if rule is None:
        return {
            row.option: (
                "Recommended: the strongest case under the rules"
                if row.is_recommended
                else _ruled_out(excluded.get(_gate_of(row)) or ())
                if row.excluded
                else ""
            )
            for row in rows
        }
    horizon = int(result.costs.horizon_months or 36)
    margin_pct = float(rule.margin_pct)
    margin = f"{margin_pct:g} % default margin"
    candidates = [row for row in rows if not row.is_variant and not row.excluded]
    api = next((row for row in rows if row.option == "api" and not row.is_variant), None)
    reasons: dict[str, str] = {}
    for row in rows:
        if row.excluded:
            reasons[row.option] = _ruled_out(excluded.get(_gate_of(row)) or ())
        elif recommended is None:
            reasons[row.option] = ""
        elif row.is_variant:
            reasons[row.option] = _variant_reason(result, row, recommended, horizon)
        elif row.is_recommended:
            reasons[row.option] = _recommended_reason(row, api, candidates, margin, margin_pct)
        else:
            reasons[row.option] = _not_recommended_reason(row, recommended, api, horizon, margin)
    return reasons


def _gate_of(row: OptionCostRow) -> str:
    """The option whose gates rule ``row`` out: the API's for its router variant."""
    return "api" if row.is_variant else row.option


def _ruled_out(reasons: Sequence[str]) -> str:
    text = "; ".join(_lower_first(str(reason).rstrip(".")) for reason in reasons)
    return f"Ruled out: {text}" if text else "Ruled out by your answers"


def _lower_first(text: str) -> str:
    """ "Frontier capability is required" -> "frontier ...", but "HIPAA" and "FedRAMP" stay."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word[0].isupper() and word[1:].islower():
        return text[0].lower() + text[1:]
    return text


def _share_against(share: float, margin_pct: float) -> str:
    """A saving's share of the API's cost, never rounded onto the margin it is compared with."""
    if round(share * 100) == round(margin_pct):
        return f"{share * 100:.1f}%"
    return f"{share:.0%}"


def _row_phrase(row: OptionCostRow) -> str:
    if row.is_plan:
        return "the staged plan"
    return OPTION_PHRASES.get(row.option, row.label)


def _recommended_reason(
    row: OptionCostRow,
    api: OptionCostRow | None,
    candidates: Sequence[OptionCostRow],
    margin: str,
    margin_pct: float,
) -> str:
    if len(candidates) == 1:
        return "Recommended: the only option your answers leave"
    cheaper = [other for other in candidates if other.tco_usd < row.tco_usd]
    if row.option == "api":
        if cheaper:
            return f"Recommended: no other option saves more than the {margin} on the API"
        return "Recommended: the lowest adjusted cost"
    if api is None or api.excluded:
        return "Recommended: the lowest adjusted cost"
    saving = api.tco_usd - row.tco_usd
    return (
        f"Recommended: the lowest adjusted cost, {wording.usd_short(saving)} "
        f"({_share_against(saving / api.tco_usd, margin_pct)}) less than the commercial API, "
        f"more than the {margin}"
    )


def _not_recommended_reason(
    row: OptionCostRow,
    recommended: OptionCostRow,
    api: OptionCostRow | None,
    horizon: int,
    margin: str,
) -> str:
    difference = row.tco_usd - recommended.tco_usd
    if difference < 0 and recommended.option == "api" and api is not None:
        return (
            f"{wording.usd_short(-difference)} less than the commercial API over {horizon} "
            f"months, but not more than the {margin}: the API holds"
        )
    return _difference(difference, _row_phrase(recommended), horizon)


def _difference(difference: float, than: str, horizon: int) -> str:
    if wording.usd_short(abs(difference)) in {"$0", "-$0"} or abs(difference) < 1:
        return f"The same cost as {than} over {horizon} months"
    more = "more" if difference > 0 else "less"
    return f"{wording.usd_short(abs(difference))} {more} over {horizon} months than {than}"


def _variant_reason(
    result: ResultSnapshot, row: OptionCostRow, recommended: OptionCostRow, horizon: int
) -> str:
    """The "API with a router" row: part of the API's advice, never a candidate of its own."""
    router = result.router
    if recommended.option == "api":
        if router is not None:
            return (
                "Recommended with the API: routing the simple queries to a mini-class model "
                f"saves about {wording.usd_short(float(router.saves_usd))} over {horizon} months"
            )
        return "A way to run the API, not recommended: routing would not save on these queries"
    difference = row.tco_usd - recommended.tco_usd
    if difference >= 0:
        return "A way to run the API: " + _lower_first(
            _difference(difference, _row_phrase(recommended), horizon)
        )
    return (
        f"A way to run the API, {wording.usd_short(-difference)} less over {horizon} months than "
        f"{_row_phrase(recommended)}; the decision weighs the API without routing, so this "
        "saving is not counted"
    )


def plan_label(plan: PlanSummary) -> str:
    """``Staged: Commercial API, then Self-hosted``."""
    return f"Staged: {option_label(plan.start)}, then {option_label(plan.then).lower()}"


def _per_1k(costs: Costs, tco_usd: float) -> float:
    # Every option serves the same queries: the API's per-1,000 figure gives the count.
    api = costs.options["api"]
    per_1k = float(api.cost_per_1k_queries_usd or 0)
    if not per_1k:
        return 0.0
    queries_thousands = float(api.tco_usd) / per_1k
    return tco_usd / queries_thousands if queries_thousands else 0.0


def plan_sentence(result: ResultSnapshot) -> str:
    """The staged plan in words, with its trigger, timing, saving and risk (v3), or ""."""
    plan = result.plan
    if plan is None:
        return ""
    start, then = _option_phrase(plan.start), _option_phrase(plan.then)
    months = int(result.costs.horizon_months or 36)
    trigger = wording.volume(plan.trigger_monthly_queries)
    sustained = wording.plural(plan.sustained_months or 3, "month")
    when = (
        f" (expected around month {plan.expected_month})"
        if plan.expected_month
        else " (not expected within the horizon at today's volume)"
    )
    sentence = (
        f"Start on {start} now. If the volume stays above {trigger} queries a month for "
        f"{sustained}{when}, move to {then}"
    )
    saves = float(plan.saves_usd or 0)
    if saves > 0:
        sentence += (
            f": that saves about {wording.usd_short(saves)} over {months} months against "
            f"staying on {start}"
        )
    risk = float(plan.risk_usd or 0)
    if risk > 0:
        sentence += (
            f"; deciding for {then} now risks up to {wording.usd_short(risk)} if the volume "
            "falls short"
        )
    return sentence + "."


def router_sentence(result: ResultSnapshot) -> str:
    """When the API is recommended and a router makes it cheaper, say so (v3), or ""."""
    router = result.router
    if router is None or result.recommendation != "api":
        return ""
    return (
        "Use the API and route the simple queries to a mini-class model of the same provider: "
        f"that saves about {wording.usd_short(router.saves_usd)} over "
        f"{result.costs.horizon_months} months."
    )


def growth_sentence(result: ResultSnapshot) -> str:
    """The month-36 volume the costs are for, when the volume grows (v3), or ""."""
    costs = result.costs
    answers = result.answers
    at_horizon = costs.month_36_monthly_queries
    queries, growth = answers.get("monthly_queries"), answers.get("monthly_growth_pct")
    if not decided_on_money(result) or at_horizon is None or not growth or not queries:
        return ""
    months = int(costs.horizon_months or 36)
    last, today = float(at_horizon), float(queries)
    return (
        f"With {float(growth):g} % growth a month, the costs are for about "
        f"{wording.volume(last)} queries a month by month {months} "
        f"({last / today:.1f} times today's {wording.volume(today)})."
    )


def conditional_sentences(result: ResultSnapshot) -> list[str]:
    """An open follow-up's answers, each with its advice and confidence (v3)."""
    by_check: dict[str, list[ConditionalAdvice]] = {}
    for branch in result.conditional:
        by_check.setdefault(branch.check, []).append(branch)
    sentences = []
    for check, branches in by_check.items():
        parts = [
            f"if {branch.value}, {_option_phrase(branch.recommendation)} "
            f"({wording.share(float(branch.confidence))} confidence)"
            for branch in branches
        ]
        question = str(branches[0].prompt or "").strip() or check.replace("_", " ")
        sentences.append(f"Still to check: {question} {'; '.join(parts).capitalize()}.")
    return sentences


# How the buyer's page speaks of the uncertainty analysis's draws: no count,
# no statistics (the method, with its count, is under "How this was worked out").
BUYER_WORLDS = "the plausible prices and volumes we tried"


def confidence_sentence(result: ResultSnapshot, *, method: bool = True) -> str:
    """What the confidence figure means, in the buyer's words.

    ``method`` says how it was worked out (the number of plausible worlds
    and what they are drawn from); without it, the sentence the verdict
    shows, with no count.
    """
    costs = result.costs
    basis = costs.uncertainty
    recommendation = result.recommendation
    if basis is None or recommendation is None:
        return ""
    excluded = result.excluded
    share = wording.share(float(result.confidence or 0))
    label = option_label(recommendation)
    offered = [option for option in V3_OPTIONS if option in costs.options]
    if decided_on_money(result) and len(excluded) < len(offered) - 1:
        return _money_confidence_sentence(result, share, method=method)
    if len(excluded) == len(offered) - 1:
        # The costs the result compares (adjusted under v3), as the table beside it shows.
        api = option_total(result, "api")
        ratio = option_total(result, recommendation) / api if api else None
        premium = (
            f", at about {ratio:.1f} times the API's cost over {costs.horizon_months} months"
            if ratio and recommendation != "api"
            else ""
        )
        return (
            f"Your compliance answers leave only {OPTION_PHRASES.get(recommendation, label)} in "
            "every plausible world; what remains "
            f"uncertain is its cost{premium}."
        )
    worlds = basis.decision_draws or basis.draws
    checks = len(basis.open_checks)
    described = f"{worlds} plausible price and volume worlds" if method else BUYER_WORLDS
    if depends_on_open_checks(result):
        return _open_check_sentence(result, basis, share, described)
    whichever = (
        ""
        if not checks
        else " whichever way the open check turns out"
        if checks == 1
        else f" whichever way the {checks} open checks turn out"
    )
    if not method:
        phrase = OPTION_PHRASES.get(recommendation, label)
        return (
            f"{_capitalised(phrase)} stays the best choice in {share} of {BUYER_WORLDS}{whichever}."
        )
    return (
        f"In {share} of {worlds} plausible price and volume worlds (drawn from the ranges of "
        "the assumptions and of the answers you left at their defaults), "
        f"{OPTION_PHRASES.get(recommendation, label)} stays the best choice{whichever}."
    )


def _money_confidence_sentence(result: ResultSnapshot, share: str, *, method: bool) -> str:
    """Decision model v3's confidence: the chance the recommendation is the best choice."""
    costs = result.costs
    rule = result.decision_rule
    assert rule is not None  # decided on money
    plan = result.plan
    chosen = (
        f"the staged plan ({plan_label(plan).lower()})"
        if plan is not None and plan.recommended
        else _option_phrase(result.recommendation)
    )
    margin = f"{float(rule.margin_pct):g} %"
    if not method:
        return f"{_capitalised(chosen)} is the best choice in {share} of {BUYER_WORLDS}."
    return (
        f"In {share} of {costs.decision_draws or 0} plausible worlds (prices, volumes, "
        f"the costs the rules add and the default margin all drawn from their ranges), {chosen} "
        "is the best choice: the lowest adjusted cost, the commercial API holding unless another "
        f"option saves more than {margin} of its cost."
    )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def depends_on_open_checks(result: ResultSnapshot) -> bool:
    """Whether the advice is low in confidence because an open check decides it.

    Confidence counts a world only if the choice holds whichever way each
    open check turns out; once a check decides between options, that share
    is low however firm each answer would make the advice.
    """
    basis = result.costs.uncertainty
    confidence = float(result.confidence or 0)
    if basis is None:
        return False
    return bool(basis.open_checks) and bool(basis.if_checked) and confidence < 0.5


def confidence_label(result: ResultSnapshot) -> str:
    """The words beside the confidence figure: "high", or "depends on an open check"."""
    basis = result.costs.uncertainty
    if basis is not None and depends_on_open_checks(result):
        checks = len(basis.open_checks)
        return "depends on an open check" if checks == 1 else "depends on the open checks"
    return confidence_words(float(result.confidence or 0))


def _open_check_sentence(
    result: ResultSnapshot, basis: UncertaintyBasis, share: str, worlds: str
) -> str:
    outcomes = list(basis.if_checked)
    phrase = _option_phrase(result.recommendation)
    if len(basis.open_checks) == 1:
        answered = "; ".join(
            f"answered {next(iter(outcome['answers'].values()))}, "
            f"{_option_phrase(outcome['recommendation'])} in {outcome['confidence']:.0%}"
            for outcome in outcomes
        )
        return (
            f"The open check decides this: {answered} of {worlds}. "
            f"Until it is answered, {phrase} holds either way in {share} of them."
        )
    shares = sorted(float(outcome["confidence"]) for outcome in outcomes)
    return (
        f"The {len(basis.open_checks)} open checks decide this: once they are answered, the "
        f"best choice holds in {shares[0]:.0%} to {shares[-1]:.0%} of {worlds}, "
        f"depending on the answers. Until then, {phrase} holds whichever way "
        f"they turn out in {share} of them."
    )


def _option_phrase(option: str | None) -> str:
    if option is None:
        return "no option"
    return OPTION_PHRASES.get(option, option_label(option))


def break_even_range_sentences(costs: Costs, excluded: Collection[str] = ()) -> list[str]:
    """Break-even ranges: a v3 result's months read from its draws
    (``break_even_month_range``), an older one's volumes (P10-P90)."""
    if costs.break_even_month_range is not None:
        return _break_even_month_sentences(costs, excluded)
    ranges = costs.break_even_monthly_queries
    if ranges is None:
        return []
    sentences = []
    for option in SELF_HOSTED_OPTIONS:
        spread = ranges.get(option)
        label = option_label(option)
        if spread is None:
            sentences.append(
                f"{label} does not break even with the API for most plausible prices and volumes."
            )
            continue
        # The range only: its median is not the base case's break-even (the
        # volume sentences beside it give that), and two "about" figures for
        # one break-even would contradict each other.
        low, high = _queries(_known(spread.p10)), spread.p90
        if high is None:
            sentences.append(
                f"Across plausible prices and volumes, {label.lower()} breaks even from about "
                f"{low} queries a month in the favourable ones, and not at all in the "
                "unfavourable ones."
            )
            continue
        sentences.append(
            f"Across plausible prices and volumes, {label.lower()} likely breaks even between "
            f"about {low} and {_queries(high)} queries a month."
        )
    return sentences


def _known(value: float | None) -> float:
    """A break-even range's low end: a draw that breaks even always has one."""
    assert value is not None
    return value


def _break_even_month_sentences(costs: Costs, excluded: Collection[str]) -> list[str]:
    """When self-hosting and the hybrid break even with the API, over the draws, in words.

    The range only (P10 to P90 of the draws that break even) and the share that never
    does: the table's month is the median path's, which the draws' median need not equal.
    """
    horizon = costs.horizon_months
    sentences = []
    for option, spread in (costs.break_even_month_range or {}).items():
        if spread is None or option in excluded or "api" in excluded:
            continue
        worlds = spread["draws"]
        label = _capitalised(_option_phrase(option))
        within = f"within the {horizon} months" if horizon else "within the horizon"
        never = float(spread["share_never"])
        if spread["p10"] is None:
            sentences.append(
                f"In none of the {worlds} plausible worlds drawn does {_option_phrase(option)} "
                f"break even with the commercial API {within}."
            )
            continue
        months = (
            f"in month {spread['p10']}"
            if spread["p10"] == spread["p90"]
            else f"between month {spread['p10']} and month {spread['p90']}"
        )
        if never <= 0:
            sentences.append(
                f"{label} breaks even with the commercial API in every one of the {worlds} "
                f"plausible worlds drawn: {months} in the middle 80% of them."
            )
            continue
        sentences.append(
            f"{label} breaks even with the commercial API {within} in "
            f"{wording.share(1 - never)} of the {worlds} plausible worlds drawn, {months} in "
            f"the middle 80% of those; it does not in {wording.share(never)} of them."
        )
    return sentences


def cost_tornado(result: ResultSnapshot) -> Tornado | None:
    """The tornado, from the snapshot: a v3 result's recommendation against its runner-up
    (``costs["tornado"]``, advisor.scoring.tornado), an older one's self-hosting against
    the API."""
    costs = result.costs
    measured = costs.tornado
    if measured is not None:
        return _measured_tornado(result, measured)
    api = costs.options["api"].tco_usd if "api" in costs.options else None
    self_host = costs.options["self_host"].tco_usd if "self_host" in costs.options else None
    ratio = self_host / api if api and self_host is not None else None
    return tornado(list(costs.sensitivity or ()), ratio)


def _measured_tornado(result: ResultSnapshot, measured: Mapping[str, Any]) -> Tornado | None:
    option, against = str(measured.get("option")), measured.get("against")
    options = result.costs.options
    if against is None or option not in options or against not in options:
        return None
    # The base ratio is that of the two rows' figures in the cost table (adjusted medians).
    mine = options[option].adjusted_tco_usd
    theirs = options[against].adjusted_tco_usd
    if mine is None or not theirs:
        return None
    base = mine / theirs
    note = ""
    if base >= 1:
        note = _dearer_note(result, option, against)
    return tornado(
        measured.get("rows") or [],
        base,
        ratio_key="ratio",
        option=_option_phrase(option),
        against=_option_phrase(against),
        note=note,
    )


def _dearer_note(result: ResultSnapshot, option: str, against: str) -> str:
    """Why the recommendation stands though it costs at least the runner-up's figure."""
    plan = result.plan
    if plan is not None and plan.recommended and plan.start == option:
        return (
            f"{_capitalised(_option_phrase(option))} is where the recommended plan starts; "
            "the plan as a whole is the cheapest choice."
        )
    margin = None if result.decision_rule is None else result.decision_rule.margin_pct
    if option == "api" and margin is not None:
        return (
            f"The commercial API is the brief's default: it stays recommended unless another "
            f"option is cheaper by more than the {margin:g} % default margin."
        )
    return ""


def tornado_absent(result: ResultSnapshot) -> str:
    """Why a v3 result shows no tornado when the rules leave one option; empty otherwise."""
    measured = result.costs.tornado
    if not measured or measured.get("against") is not None or not measured.get("option"):
        return ""
    return (
        "There is no chart of what moves the costs: only "
        f"{_option_phrase(measured['option'])} is left, every other option being ruled out, so "
        "there is nothing to measure it against."
    )


# The assumption rows that name the profiles the own options are costed on
# (Assumptions.rows), and how the planner's note names each option.
SERVING_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Self-hosted model: ", "self_host_model", "self-hosting"),
    ("Hybrid small model: ", "small_model", "the hybrid's small model"),
)
_PLANNER_NOTE = re.compile(
    r"^The capacity planner costed (\d+) measured GPU configurations for (.+?) and chose"
)


def serving_sentences(result: ResultSnapshot) -> list[str]:
    """Which model and GPUs each own option is costed on, and who chose them, in words.

    Said beside the self-hosting figures, not only in the assumptions: left
    to the capacity planner, the configuration is the cheapest that serves
    the volume, which the buyer never saw in the wizard.
    """
    options = result.costs.options
    given = result.given_answers
    planned = {
        match.group(2): int(match.group(1))
        for note in result.notes
        if (match := _PLANNER_NOTE.match(str(note)))
    }
    sentences = []
    for (prefix, key, what), option in zip(SERVING_ROWS, SELF_HOSTED_OPTIONS, strict=True):
        if option not in options:
            continue
        name = next(
            (
                row.label[len(prefix) :]
                for row in result.assumptions
                if row.label.startswith(prefix)
            ),
            "",
        )
        if not name:
            continue
        costed = f"{_capitalised(what)} is costed on {name}"
        if what in planned and (given is None or key not in given):
            sentences.append(
                f"{costed}: the cheapest of the {planned[what]} measured GPU configurations "
                "the capacity planner tried for your volume, as no model was chosen in the "
                "cost step."
            )
        elif given is not None and key in given:
            sentences.append(f"{costed}, the model chosen in the cost step.")
        else:
            sentences.append(f"{costed}.")
    return sentences


@dataclass(frozen=True)
class UncertaintyView:
    """What the page and the PDF show of the costs and their uncertainty, from one snapshot."""

    cost_rows: list[OptionCostRow]
    confidence_sentence: str  # with the method: how many plausible worlds, drawn from what
    tornado: Tornado | None
    assumption_changes: list[str]
    # Decision model v3: adjusted costs decide; the plan, the router and the checks in words.
    decided_on_money: bool = False
    plan_sentence: str = ""
    router_sentence: str = ""
    growth_sentence: str = ""
    conditional_sentences: tuple[str, ...] = ()
    confidence_meaning: str = ""  # the verdict's sentence: what the confidence means, no count
    serving_sentences: tuple[str, ...] = ()  # the model and GPUs the own options are costed on
    tornado_absent: str = ""  # why there is no tornado (v3: one option allowed)
    # Beside the table's break-even column (v3): the break-even months over the draws.
    break_even_sentences: tuple[str, ...] = ()


def uncertainty_view(result: ResultSnapshot) -> UncertaintyView:
    return UncertaintyView(
        decided_on_money=decided_on_money(result),
        plan_sentence=plan_sentence(result),
        router_sentence=router_sentence(result),
        growth_sentence=growth_sentence(result),
        conditional_sentences=tuple(conditional_sentences(result)),
        cost_rows=option_cost_rows(result, result.recommendation),
        confidence_sentence=confidence_sentence(result),
        confidence_meaning=confidence_sentence(result, method=False),
        serving_sentences=tuple(serving_sentences(result)),
        tornado=cost_tornado(result),
        tornado_absent=tornado_absent(result),
        break_even_sentences=tuple(
            break_even_range_sentences(result.costs, result.excluded)
            if result.costs.break_even_month_range is not None
            else ()
        ),
        assumption_changes=[change.text for change in result.assumption_changes],
    )


def _queries(value: float) -> str:
    """A volume at three significant figures: "13.6M", "850K"."""
    return wording.volume(value)


# --- the redesigned report: cover, key figures, yearly and monthly costs --------------

LOAD_PHRASES: dict[str, str] = {
    "steady": "steady load",
    "business_hours": "business-hours load",
    "spiky": "spiky load",
    "unknown": "load pattern not yet known",
}
MONTHS_PER_YEAR = 12
# From one and a half times the other option's cost, a premium reads better as a ratio.
PREMIUM_AS_RATIO = 1.5


@dataclass(frozen=True)
class KeyFigure:
    """One of the cover's three figures: a label, the figure, and a line that qualifies it."""

    label: str
    value: str
    detail: str


def key_figures(result: ResultSnapshot) -> tuple[KeyFigure, ...]:
    """The recommendation's total cost, how it compares, and the confidence (cover, page).

    Money at three significant figures: the cover is read, not audited.
    Empty when no option can be recommended.
    """
    recommendation = result.recommendation
    costs = result.costs
    options = costs.options
    if recommendation is None or recommendation not in options:
        return ()
    horizon = int(costs.horizon_months or 36)
    figures = options[recommendation]
    money = decided_on_money(result)
    spread = figures.adjusted_tco_usd_range if money else figures.tco_usd_range
    detail = (
        f"Likely {wording.usd_short(spread.p10)} to {wording.usd_short(spread.p90)}"
        if spread is not None and spread.p10 is not None and spread.p90 is not None
        else f"{wording.usd_short(figures.cost_per_1k_queries_usd)} per 1,000 queries"
    )
    total = KeyFigure(
        f"{option_label(recommendation)}: "
        + (
            f"cost over {horizon} months, adjusted"
            if money
            else f"total cost over {horizon} months"
        ),
        wording.usd_short(option_total(result, recommendation)),
        detail,
    )
    return (total, _comparison_figure(result, recommendation, horizon), _confidence_figure(result))


def _comparison_figure(result: ResultSnapshot, recommendation: str, horizon: int) -> KeyFigure:
    """Against the buyer's status quo, the API; the API itself against the cheapest other option.

    A buyer weighs a move away from the API against staying on it, not
    against the runner-up. When the recommendation costs more, the figure
    says so and why it stands ("More than self-hosting": the reasons for it
    outweigh the saving), so the cover never reads as contradicting itself.
    """
    options = result.costs.options
    excluded = result.excluded
    own = option_total(result, recommendation)
    offered = [option for option in V3_OPTIONS if option in options]
    others = [option for option in offered if option != recommendation and option not in excluded]
    if recommendation != "api":
        others = ["api"]
    if not others:
        # The only option allowed: set it against the brief's default, the API
        # (what the constraint costs), not whichever ruled-out option is cheapest.
        others = (
            ["api"]
            if recommendation != "api"
            else [option for option in offered if option != recommendation]
        )
    other = min(others, key=lambda option: option_total(result, option))
    theirs = option_total(result, other)
    phrase = OPTION_PHRASES.get(other, option_label(other))
    ruled_out = " (ruled out)" if other in excluded else ""
    detail = f"{option_label(other)}{ruled_out}: {wording.usd_short(theirs)} over {horizon} months"
    if own <= theirs:
        return KeyFigure(f"Less than {phrase}{ruled_out}", wording.usd_short(theirs - own), detail)
    ratio = own / theirs if theirs else 0.0
    reasons = excluded.get(other) or ()
    if reasons:
        # Not a preference outweighing a saving: the answers leave the cheaper option out.
        detail += f"; it is ruled out ({reasons[0]}), so the difference is what that costs"
    else:
        detail += "; the reasons for the recommendation outweigh the difference"
    if ratio >= PREMIUM_AS_RATIO:
        return KeyFigure(f"More than {phrase}{ruled_out}", f"{ratio:.1f} times", detail)
    return KeyFigure(f"More than {phrase}{ruled_out}", wording.usd_short(own - theirs), detail)


def option_total(result: ResultSnapshot, option: str) -> float:
    """An option's cost as the decision compared it: adjusted (v3), else its projected TCO."""
    figures = result.costs.options[option]
    if decided_on_money(result) and figures.adjusted_tco_usd is not None:
        return float(figures.adjusted_tco_usd)
    return float(figures.tco_usd)


def _confidence_figure(result: ResultSnapshot) -> KeyFigure:
    confidence = float(result.confidence or 0)
    basis = result.costs.uncertainty
    if basis is not None and depends_on_open_checks(result):
        shares = sorted(float(outcome["confidence"]) for outcome in basis.if_checked)
        low, high = f"{shares[0]:.0%}", f"{shares[-1]:.0%}"
        spread = low if low == high else f"{low} to {high}"
        detail = f"Once checked, the best choice holds in {spread} of {BUYER_WORLDS}"
        return KeyFigure("Confidence", "Open check", detail)
    if decided_on_money(result):
        detail = f"The best choice in {wording.share(confidence)} of {BUYER_WORLDS}"
    elif basis is not None:
        detail = f"It stays the best choice in {confidence:.0%} of {BUYER_WORLDS}"
    else:
        detail = f"{confidence:.0%}, from the margin between the options' scores"
    return KeyFigure("Confidence", confidence_words(confidence).capitalize(), detail)


def confidence_words(value: float | None) -> str:
    """Words beside the number: "low", "moderate" or "high" (the page's meter says the same)."""
    if value is None or value < 0.5:
        return "low"
    if value < 0.75:
        return "moderate"
    return "high"


def workload_line(answers: Mapping[str, Any]) -> str:
    """The workload in a line, for the cover: "About 300M queries a month, steady load"."""
    parts = []
    queries = answers.get("monthly_queries")
    if isinstance(queries, (int, float)):
        parts.append(f"About {wording.volume(queries)} queries a month")
    load = LOAD_PHRASES.get(str(answers.get("load_pattern") or ""))
    if load:
        parts.append(load)
    simple = answers.get("simple_query_share_pct")
    if isinstance(simple, (int, float)) and simple:
        parts.append(f"{simple:.0f}% of them simple")
    return ", ".join(parts)


@dataclass(frozen=True)
class YearlyCostRow:
    """An option's cost per year (or one of its components'), USD; ``total`` over the horizon."""

    option: str
    label: str
    values: tuple[float, ...]
    total: float
    kind: str  # "option" or "component"
    is_recommended: bool = False
    excluded: bool = False


@dataclass(frozen=True)
class YearlyCostTable:
    periods: tuple[str, ...]  # "Year 1", ..., or "Months 25-30" for a part year
    rows: tuple[YearlyCostRow, ...]


def yearly_costs(result: ResultSnapshot) -> YearlyCostTable:
    """Each option's cost per year of the horizon, with its non-zero components under it."""
    costs = result.costs
    recommendation = result.recommendation
    excluded = result.excluded
    months = len(costs.options[OPTIONS[0]].monthly_usd)
    starts = range(0, months, MONTHS_PER_YEAR)
    periods = tuple(_period_label(start, min(start + MONTHS_PER_YEAR, months)) for start in starts)
    rows: list[YearlyCostRow] = []
    # A v3 result's series are the adjusted median paths: their total is the adjusted TCO.
    for option in charted_options(costs):
        figures = costs.options[option]
        rows.append(
            YearlyCostRow(
                option,
                option_label(option),
                _per_year(figures.monthly_usd, starts),
                option_total(result, option),
                "option",
                is_recommended=option == recommendation,
                excluded=option in excluded,
            )
        )
        components = figures.components or {}
        shown = [name for name in SHOWN_COMPONENTS if any(components.get(name, ()))]
        for name in shown if len(shown) > 1 else ():
            values = _per_year(components[name], starts)
            rows.append(
                YearlyCostRow(
                    option, COMPONENT_LABELS.get(name, name), values, sum(values), "component"
                )
            )
    return YearlyCostTable(periods, tuple(rows))


def _per_year(values: Sequence[float], starts: range) -> tuple[float, ...]:
    return tuple(
        sum(float(value) for value in values[start : start + MONTHS_PER_YEAR]) for start in starts
    )


def _period_label(start: int, end: int) -> str:
    if end - start == MONTHS_PER_YEAR:
        return f"Year {start // MONTHS_PER_YEAR + 1}"
    return f"Months {start + 1}\u2013{end}"


@dataclass(frozen=True)
class MonthlyTotalsRow:
    label: str
    values: tuple[float, ...]  # one per option, USD
    kind: str  # "month", "subtotal" or "total"


def monthly_totals(costs: Costs) -> tuple[MonthlyTotalsRow, ...]:
    """Every month's cost per option, a subtotal per year, and the TCO (the appendix).

    Totals only, one column per option: the components are in the yearly
    table, and a narrow table of real cells reads (and renders) better than
    a dozen columns of monospace.
    """
    series = [
        [float(value) for value in costs.options[option].monthly_usd]
        for option in charted_options(costs)
    ]
    months = len(series[0])
    rows: list[MonthlyTotalsRow] = []
    for index in range(months):
        month = index + 1
        rows.append(
            MonthlyTotalsRow(str(month), tuple(values[index] for values in series), "month")
        )
        if month % MONTHS_PER_YEAR == 0 or month == months:
            first = index // MONTHS_PER_YEAR * MONTHS_PER_YEAR
            rows.append(
                MonthlyTotalsRow(
                    f"Months {first + 1}\u2013{month}",
                    tuple(sum(values[first:month]) for values in series),
                    "subtotal",
                )
            )
    # The TCO of each column (a v3 result's adjusted TCO: its series is the adjusted path).
    total = tuple(
        float(costs.options[option].compared_tco_usd) for option in charted_options(costs)
    )
    rows.append(MonthlyTotalsRow("Total", total, "total"))
    return tuple(rows)


@dataclass(frozen=True)
class FlipLine:
    change: str
    recommendation: str  # the option's label, or "" when every option would be ruled out


# What the flip analysis tries (advisor.scoring.flips), in a buyer's words;
# the multiplication sign is what a reader expects, not a letter x.
NO_FLIPS = (
    "No single change to the main answers (volume ×10 or ÷10, load pattern, residency, "  # noqa: RUF001
    "compliance, capability, fine-tuning, driver, GPU experience, production data) changes "
    "the recommendation."
)
NO_VOLUME_CROSSING = (
    "No monthly volume from 1 % to 100 times today's would change the recommendation."
)
API_RULED_OUT_NOTE = (
    "The commercial API is ruled out, so no volume brings it back: these break-even "
    "volumes compare costs only."
)


@dataclass(frozen=True)
class WhatWouldChange:
    """ "What would change this answer", worded once for the page, the PDF and ``evaluate``."""

    volume: tuple[str, ...]
    volume_ranges: tuple[str, ...]
    assumptions: tuple[str, ...]
    flips: tuple[FlipLine, ...]
    # Said before the volume sentences when they cannot change the answer.
    volume_note: str = ""

    @property
    def no_flips(self) -> str:
        """What to say when no single answer flips the recommendation."""
        return NO_FLIPS


def what_would_change(snapshot: ResultSnapshot) -> WhatWouldChange:
    """From the snapshot: its break-even sentences, assumption crossings and answer flips."""
    api_ruled_out = snapshot.recommendation is not None and "api" in snapshot.excluded
    crossings = snapshot.costs.volume_crossings
    if decided_on_money(snapshot) and crossings is not None:
        # Decision model v3: the volumes at which what would replace the recommendation
        # under the same rule (the hosted open model included) would win, not the API alone.
        return WhatWouldChange(
            volume=tuple(str(item["text"]) for item in crossings) or (NO_VOLUME_CROSSING,),
            volume_ranges=(),
            assumptions=tuple(change.text for change in snapshot.assumption_changes),
            flips=_flip_lines(snapshot),
        )
    return WhatWouldChange(
        volume_note=API_RULED_OUT_NOTE if api_ruled_out else "",
        volume=tuple(row.text for row in snapshot.break_even),
        volume_ranges=tuple(break_even_range_sentences(snapshot.costs)),
        assumptions=tuple(change.text for change in snapshot.assumption_changes),
        flips=_flip_lines(snapshot),
    )


def _flip_lines(snapshot: ResultSnapshot) -> tuple[FlipLine, ...]:
    return tuple(
        FlipLine(
            change.text,
            option_label(change.recommendation) if change.recommendation else "",
        )
        for change in snapshot.answer_changes
    )


def default_answer_keys(result: ResultSnapshot, given: Collection[str] | None) -> frozenset[str]:
    """The answers the buyer left at their defaults (the appendix marks them).

    ``given`` names the answers the buyer gave (an assessment's stored
    answers, or the answers file of ``evaluate``); without it, a snapshot's
    own ``given_answers``; failing both, the answers the uncertainty
    analysis knew were defaulted.
    """
    answers = result.answers
    if given is None and result.given_answers is not None:
        given = result.given_answers
    if given is not None:
        return frozenset(key for key in answers if key not in set(given))
    basis = result.costs.uncertainty
    return frozenset(() if basis is None else basis.uncertain_answers)
