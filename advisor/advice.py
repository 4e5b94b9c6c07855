"""Advice: the one result object the web page, the CLI and the PDF all render.

Pure glue between the cost model and the rules engine::

    answers -> workload_from_answers -> project -> derived_figures
            -> engine.evaluate(answers, derived figures) -> Advice

:meth:`Advice.to_dict` is exactly the JSON object of the command-line
contract (design.md, "Contract: command line"), plus a few extra keys
(``skipped_rules``, ``excluded_by``, ``assumptions``, ``notes``, ``answers``)
that readers of the contract may ignore.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from advisor.costs.assumptions import Assumptions, Workload, workload_from_answers
from advisor.costs.prices import ApiModelPrice
from advisor.costs.projection import DERIVED_FIGURES, Projection, project
from advisor.costs.uncertainty import Percentiles, Uncertainty, analyse, sensitivity_only
from advisor.options import OPEN_API, V3_OPTIONS
from advisor.rules.engine import (
    CompiledRuleset,
    Evaluation,
    evaluate,
    evaluate_recommendations,
    recommend,
)
from advisor.scoring.chooser import Chooser, volume_measured
from advisor.scoring.conditional import Branch
from advisor.scoring.crossings import VolumeCrossing, volume_figures
from advisor.scoring.decision import DEFAULT_OPTION
from advisor.scoring.effects import Triangle
from advisor.scoring.shown import shown_figures, shown_series
from advisor.scoring.simulation import PLAN, Verdict, swept_growth
from advisor.scoring.tornado import tornado_figures
from advisor.snapshot import AssumptionRow

# Said beside the assumptions when a compliance gate rules the API out.
NO_API_BRIDGE_NOTE = (
    "The commercial API is ruled out, so it does not carry the traffic during the build-out "
    "and the migration ramp: self-hosting's costs include no API tokens, and the workload "
    "goes live as the fleet takes it over."
)


@dataclass(frozen=True)
class Advice:
    """A recommendation with its reasons, its cost projection and its inputs."""

    evaluation: Evaluation
    projection: Projection
    ruleset_name: str
    ruleset_version: str
    answers: Mapping[str, Any]
    assumptions: tuple[AssumptionRow, ...] = ()
    notes: tuple[str, ...] = ()
    uncertainty: Uncertainty | None = None
    # The answers the buyer gave (the rest are defaults), when the caller said.
    given_answers: tuple[str, ...] | None = None
    # Decision model v3 (a v3 ruleset): the money's verdict, the hosted open
    # model's point projection, and the advice for each answer of an open check.
    verdict: Verdict | None = None
    open_api_projection: Projection | None = None
    open_api_model: str | None = None
    conditional: tuple[Branch, ...] = ()
    # The nearest volumes below and above today's that would change the verdict (v3).
    volume_crossings: tuple[VolumeCrossing, ...] = ()

    @property
    def recommendation(self) -> str | None:
        """What to do now (a plan's start when the staged plan is recommended)."""
        return self.evaluation.recommendation

    @property
    def confidence(self) -> float:
        """The share of plausible worlds in which the decision stays the same.

        From the uncertainty analysis when it ran; otherwise the engine's
        score-margin estimate (previews and "what would change" variations).
        """
        if self.verdict is not None:
            return self.verdict.confidence
        if self.uncertainty is not None and self.uncertainty.confidence is not None:
            return self.uncertainty.confidence
        return self.evaluation.confidence

    def costs_dict(self) -> dict[str, Any]:
        """The contract's "costs" object, with the uncertainty figures where they ran."""
        costs = self.projection.to_dict()
        uncertainty = self.uncertainty
        if uncertainty is None:
            return costs
        figures = uncertainty.to_dict()
        for option, ranges in figures["tco_usd_range"].items():
            target = costs["options"].get(option) or costs["variants"].get(option)
            if target is not None:
                target["tco_usd_range"] = ranges
        for option, band in figures["cumulative_usd_band"].items():
            costs["options"][option]["cumulative_usd_band"] = band
        costs["probability_cheapest"] = figures["probability_cheapest"]
        costs["sensitivity"] = figures["sensitivity"]
        costs["break_even_monthly_queries"] = figures["break_even_monthly_queries"]
        costs["uncertainty"] = {
            "draws": figures["draws"],
            "decision_draws": figures["decision_draws"],
            "uncertain_answers": figures["uncertain_answers"],
            "open_checks": figures["open_checks"],
            "if_checked": figures["if_checked"],
        }
        return costs

    def _add_verdict(self, result: dict[str, Any]) -> None:
        """Decision model v3's keys (design.md, "Decision model v3", JSON)."""
        verdict = self.verdict
        if verdict is None:
            return
        costs = result["costs"]
        if self.open_api_projection is not None:
            entry = self.open_api_projection.options["api"].to_dict()
            entry["model"] = self.open_api_model
            costs["options"][OPEN_API] = entry
        for option, outcome in verdict.options.items():
            if option == PLAN or option not in costs["options"]:
                continue
            entry = costs["options"][option]
            if outcome.path is not None:
                # What the chart, its data table and the yearly table show: the adjusted
                # median path, ending on the adjusted TCO (advisor.scoring.shown).
                entry.update(shown_series(outcome.path))
            entry["adjusted_tco_usd"] = round(outcome.adjusted_tco_usd, 2)
            if entry["tco_usd"] and entry["cost_per_1k_queries_usd"]:
                queries_thousands = entry["tco_usd"] / entry["cost_per_1k_queries_usd"]
                entry["adjusted_cost_per_1k_queries_usd"] = round(
                    outcome.adjusted_tco_usd / queries_thousands, 4
                )
            entry["adjusted_tco_usd_range"] = outcome.adjusted.to_dict()
            entry["tco_usd_p50"] = round(outcome.tco.p50, 2)
            entry["adjustments"] = [item.to_dict() for item in outcome.adjustments]
            entry["allowed"] = outcome.allowed
            # The catalog key costed: the closed model for the API, else the planner's profile.
            model = self.answers.get("api_model") if option == "api" else entry.get("profile")
            entry.setdefault("model", model)
        costs["break_even_month"] = {
            option: verdict.break_even_month(option) for option in costs["break_even_month"]
        }
        # The same break-even read in every draw: the range and the share that never does.
        costs["break_even_month_range"] = {
            option: None if spread is None else spread.to_dict()
            for option in costs["break_even_month"]
            for spread in (verdict.break_even_months(option),)
        }
        costs["probability_best"] = {
            name: round(value, 4) for name, value in verdict.probability_best.items()
        }
        costs["month_36_monthly_queries"] = round(verdict.month_36_monthly_queries)
        costs["decision_draws"] = verdict.draws
        costs["volume_crossings"] = [crossing.to_dict() for crossing in self.volume_crossings]
        if self.uncertainty is not None:
            # The recommendation against the runner-up (old results: self-hosting / the API).
            costs["tornado"] = tornado_figures(self.uncertainty.sensitivity, verdict)
        plan = verdict.plan
        result["plan"] = (
            None
            if plan is None
            else {
                "start": plan.start,
                "then": plan.then,
                "trigger_monthly_queries": round(plan.trigger_monthly_queries),
                "sustained_months": plan.sustained_months,
                "expected_month": plan.expected_month,
                "tco_usd": round(plan.tco_usd, 2),
                "saves_usd": round(plan.saves_usd, 2),
                "risk_usd": round(plan.risk_usd, 2),
                "share_moving": round(plan.share_moving, 4),
                "recommended": verdict.recommendation == PLAN,
            }
        )
        result["conditional"] = [branch.to_dict() for branch in self.conditional]
        result["decision_rule"] = {
            "rule": verdict.rule,
            "default": DEFAULT_OPTION,
            "margin_pct": verdict.margin_pct,
        }
        router_saves = verdict.router_saves_usd
        result["router"] = None
        if router_saves is not None and verdict.router_tco is not None:
            result["router"] = {
                "saves_usd": round(router_saves, 2),
                "tco_usd": round(verdict.router_tco.p50, 2),
            }
        # The contract keeps "scores"; under v3 an option's score is its chance of
        # being the best choice (0 for an option ruled out), never score points.
        result["scores"] = {
            option: round(verdict.probability_best.get(option, 0.0), 4)
            for option in V3_OPTIONS
            if option in costs["options"]
        }

    def to_dict(self) -> dict[str, Any]:
        """The CLI JSON contract; every value is JSON-serialisable."""
        evaluation = self.evaluation
        result: dict[str, Any] = {
            "recommendation": evaluation.recommendation,
            "confidence": self.confidence,
            "scores": {option: round(score, 4) for option, score in evaluation.scores.items()},
            "excluded": {option: list(reasons) for option, reasons in evaluation.excluded.items()},
            "fired_rules": [
                {
                    "code": hit.code,
                    "title": hit.title,
                    "rationale": hit.rationale,
                    "effect": hit.effect,
                    "source": hit.source,
                }
                for hit in evaluation.fired
            ],
            "caveats": [
                {"code": caveat.code, "text": caveat.text} for caveat in evaluation.caveats
            ],
            "costs": self.costs_dict(),
            "ruleset": {"name": self.ruleset_name, "version": self.ruleset_version},
            "what_would_change": [
                crossing.to_dict()
                for crossing in (self.uncertainty.crossings if self.uncertainty else ())
            ],
            "reasons": {
                "for": list(evaluation.reasons_for),
                "against": list(evaluation.reasons_against),
            },
            # Extra keys, beyond the contract:
            # which answers the buyer gave, so a report can mark the defaults.
            "given_answers": (None if self.given_answers is None else list(self.given_answers)),
            "decision": [
                {
                    "question": step.question,
                    "answer": step.answer,
                    "alternative": step.alternative,
                    "asked": step.asked,
                    "for": list(step.reasons_for),
                    "against": list(step.reasons_against),
                }
                for step in evaluation.steps
            ],
            "cheaper_options": [
                {
                    "option": item.option,
                    "difference_usd": round(item.difference_usd, 2),
                    "excluded": item.excluded,
                    "reasons": list(item.reasons),
                }
                for item in evaluation.cheaper_options
            ],
            "open_questions": [
                {
                    "key": question.key,
                    "prompt": question.prompt,
                    "if_yes": question.if_yes,
                    "if_no": question.if_no,
                }
                for question in evaluation.open_questions
            ],
            "excluded_by": {
                option: list(codes) for option, codes in evaluation.excluded_by.items()
            },
            "skipped_rules": [
                {"code": rule.code, "title": rule.title, "error": rule.error}
                for rule in evaluation.skipped
            ],
            "assumptions": [line.to_dict() for line in self.assumptions],
            "notes": list(self.notes),
            "answers": {key: _jsonable(value) for key, value in self.answers.items()},
        }
        self._add_verdict(result)
        return result


def project_and_score(
    compiled: CompiledRuleset,
    answers: Mapping[str, Any],
    assumptions: Assumptions,
    *,
    projection: Projection | None = None,
    given: frozenset[str] | None = None,
    open_api_model: ApiModelPrice | None = None,
    growth_range: Triangle | None = None,
) -> Advice:
    """Project the costs of ``answers`` and score them with ``compiled``.

    ``answers`` are typed with defaults applied (``advisor.rules.answers``);
    ``assumptions`` are the catalog figures with this assessment's overrides.
    ``given``, when not None, names the answers the buyer gave: the
    uncertainty analysis then runs (defaulted answers and assumptions drawn
    over their ranges) and ``confidence`` becomes its share of draws that
    keep the decision. ``projection``, when given, must be ``project(workload_from_answers(answers),
    assumptions)`` computed already: the projection depends on nothing else,
    so answers that differ only outside the workload share it. ``growth_range`` (v3) is
    a growth rate fitted from a short usage history with the fit's range, drawn.
    """
    if compiled.decision_model >= 3:
        return _decide_on_money(
            compiled,
            answers,
            assumptions,
            given=given,
            open_api_model=open_api_model,
            growth_range=growth_range,
        )
    workload = workload_from_answers(answers)
    if projection is None:
        projection = project(workload, assumptions)
    figures = projection.derived_figures()
    facts = model_facts(assumptions)
    evaluation = evaluate(compiled, {**answers, **facts}, figures)
    notes = tuple(assumptions.notes)
    if "api" in evaluation.excluded:
        # The API may not carry this workload, so it cannot bridge the build-out
        # either: cost self-hosting without it and score again. The gates that
        # rule the API out read answers, not costs, so the second pass keeps them.
        bridgeless = replace(workload, api_bridge=False)
        second = project(bridgeless, assumptions)
        second_figures = second.derived_figures()
        rescored = evaluate(compiled, {**answers, **facts}, second_figures)
        if "api" in rescored.excluded:
            workload, projection, figures = bridgeless, second, second_figures
            evaluation = rescored
            notes += (NO_API_BRIDGE_NOTE,)
    uncertainty = None
    if given is not None:

        def decide(
            variants: Sequence[Mapping[str, Any]], drawn: Sequence[Mapping[str, Any]]
        ) -> list[str | None]:
            # One call for all draws: rules that read only answers run once
            # per distinct answers, the cost rules once per draw.
            return evaluate_recommendations(
                compiled,
                [{**variant, **facts} for variant in variants],
                [{**figures, **figures_of_draw} for figures_of_draw in drawn],
            )

        uncertainty = analyse(
            workload,
            assumptions,
            given=given,
            answers=answers,
            excluded=frozenset(evaluation.excluded),
            recommendation=evaluation.recommendation,
            decide=decide,
            open_checks=tuple(question.key for question in evaluation.open_questions),
        )
    return _advice(
        compiled, answers, evaluation, projection, assumptions, workload, notes, uncertainty, given
    )


def _advice(
    compiled: CompiledRuleset,
    answers: Mapping[str, Any],
    evaluation: Evaluation,
    projection: Projection,
    assumptions: Assumptions,
    workload: Workload,
    notes: tuple[str, ...],
    uncertainty: Uncertainty | None,
    given: frozenset[str] | None,
    **decided: Any,
) -> Advice:
    """The advice of either decision model: what both store, and the v3 verdict's parts."""
    return Advice(
        evaluation=evaluation,
        projection=projection,
        ruleset_name=compiled.name,
        ruleset_version=compiled.version,
        answers=dict(answers),
        assumptions=assumption_rows(assumptions, api_bridge=workload.api_bridge),
        notes=notes,
        uncertainty=uncertainty,
        given_answers=None if given is None else tuple(sorted(given)),
        **decided,
    )


def _decide_on_money(
    compiled: CompiledRuleset,
    answers: Mapping[str, Any],
    assumptions: Assumptions,
    *,
    given: frozenset[str] | None,
    open_api_model: ApiModelPrice | None,
    growth_range: Triangle | None = None,
) -> Advice:
    """Decision model v3: the rules gate, warn and price their reasons; the money decides.

    The point projection (whole replicas) is what the chart and the tables
    show; the verdict (advisor.scoring) decides over the draws, so its
    confidence is the chance the recommendation is the best.
    """
    workload = workload_from_answers(answers)
    facts = {**answers, **model_facts(assumptions)}
    chooser = Chooser(
        workload=workload,
        assumptions=assumptions,
        open_api_model=open_api_model,
        given=frozenset(answers) if given is None else given,
        volume_measured=volume_measured(answers),
        growth_range=growth_range,
    )
    # The gates and the priced reasons first (what the verdict needs); when none of
    # them reads a cost figure, before any projection.
    reads_figures = deciding_rules_read_figures(compiled)
    projection = project(workload, assumptions) if reads_figures else None
    allowed, fired = _gated(compiled, facts, projection)
    notes = tuple(assumptions.notes)
    if "api" not in allowed:
        # The API may not carry this workload, so it cannot bridge the build-out either.
        workload = replace(workload, api_bridge=False)
        notes += (NO_API_BRIDGE_NOTE,)
        projection = None
        if reads_figures:
            projection = project(workload, assumptions)
            allowed, fired = _gated(compiled, facts, projection)
    if projection is None:
        projection = project(workload, assumptions)
    verdict = chooser.verdict(allowed, fired)
    # The rules' sentences speak of the figures the result shows (the verdict's adjusted
    # median paths): the whole ruleset is evaluated once, on those. The rules that gate
    # or price read answers only, so the same rules fire with effects: the verdict is reused.
    figures = shown_figures(verdict, projection.derived_figures())
    evaluation = evaluate(compiled, facts, figures, choose=chooser)
    branches = []
    for question in evaluation.open_questions:
        for value in ("yes", "no"):
            branch = evaluate(compiled, {**facts, question.key: value}, figures, choose=chooser)
            branch_allowed = [option for option in V3_OPTIONS if option not in branch.excluded]
            branch_verdict = chooser.verdict(branch_allowed, _before_outcome(branch))
            branches.append(
                Branch(
                    question.key,
                    value,
                    branch_verdict.now,
                    branch_verdict.confidence,
                    question.prompt,
                )
            )
    decided = chooser.inputs(allowed, _before_outcome(evaluation))
    # "What would change" and the break-even ranges: with the uncertainty figures
    # (a result), not for previews and variations.
    crossings: tuple[VolumeCrossing, ...] = ()
    uncertainty = None
    if given is not None:
        crossings, break_even = volume_figures(decided, verdict)
        # The decision's planned configurations, with the overhead the projection uses.
        planned = replace(
            decided.assumptions, first_year_overhead_pct=assumptions.first_year_overhead_pct
        )
        uncertainty = _verdict_uncertainty(
            verdict, break_even, workload, planned, given, open_api_model, growth_range
        )
    open_api_projection = None
    if open_api_model is not None:
        open_api_projection = project(
            workload, replace(assumptions, api_model=open_api_model), sensitivity=False
        )
    return _advice(
        compiled,
        answers,
        evaluation,
        projection,
        assumptions,
        workload,
        notes,
        uncertainty,
        given,
        verdict=verdict,
        open_api_projection=open_api_projection,
        open_api_model=None if open_api_model is None else open_api_model.key,
        conditional=tuple(branches),
        volume_crossings=crossings,
    )


def _verdict_uncertainty(
    verdict: Verdict,
    break_even: Mapping[str, Percentiles | None],
    workload: Workload,
    assumptions: Assumptions,
    given: frozenset[str],
    open_api_model: ApiModelPrice | None = None,
    growth_range: Triangle | None = None,
) -> Uncertainty:
    """The uncertainty figures of a v3 result, read from the verdict's own draws.

    One Monte Carlo, not two: the ranges, the chances and the break-even
    volumes come from the verdict; only the tornado (one input at a time, no
    draws) is computed here. A fitted growth range is swept as the draws take it.
    """
    fitted = None
    if growth_range is not None:
        fitted = {"monthly_growth_pct": swept_growth(growth_range, workload.horizon_months)}
    swings, drawn_answers = sensitivity_only(
        workload,
        assumptions,
        given=given,
        planned_already=True,
        # The tornado may measure against the hosted open model: on the same sweep.
        api_models={OPEN_API: open_api_model} if open_api_model is not None else None,
        fitted=fitted,
    )
    ranges = {option: outcome.tco for option, outcome in verdict.options.items() if option != PLAN}
    if verdict.router_tco is not None:
        ranges["api_router"] = verdict.router_tco
    return Uncertainty(
        draws=verdict.draws,
        tco_range=ranges,
        cumulative_band={},  # the verdict's paths carry the bands (_add_verdict)
        probability_cheapest=dict(verdict.probability_cheapest),
        break_even_monthly_queries=dict(break_even),
        sensitivity=swings,
        confidence=None,
        crossings=(),
        uncertain_answers=drawn_answers,
        decision_draws=verdict.draws,
    )


def deciding_rules_read_figures(compiled: CompiledRuleset) -> bool:
    """Whether a rule that gates or prices (decision model v3) reads a derived cost figure."""
    return any(
        rule.reads_figures and (rule.has_effect or rule.spec.effects) for rule in compiled.rules
    )


def _gated(
    compiled: CompiledRuleset,
    facts: Mapping[str, Any],
    projection: Projection | None,
) -> tuple[list[str], tuple[Any, ...]]:
    """The options the gates leave and the rules fired before the outcome (v3)."""
    seen: list[tuple[list[str], tuple[Any, ...]]] = []

    def capture(allowed: Sequence[str], fired: Sequence[Any]) -> str | None:
        seen.append((list(allowed), tuple(fired)))
        return None  # the verdict is asked for once the bridge is known

    figures = (
        projection.derived_figures() if projection is not None else dict.fromkeys(DERIVED_FIGURES)
    )
    recommend(compiled, facts, figures, choose=capture)
    allowed, fired = seen[0]
    return allowed, tuple(hit for hit in fired if hit.effects)


def assumption_rows(assumptions: Assumptions, *, api_bridge: bool) -> tuple[AssumptionRow, ...]:
    """The dated, sourced "assumptions used" table, as every surface shows it."""
    return tuple(assumptions.rows(api_bridge=api_bridge))


def _before_outcome(evaluation: Evaluation) -> tuple[Any, ...]:
    # The chooser keys verdicts on the rules with typed effects, which never
    # read the outcome: the fired list as the engine gave it to the chooser.
    return tuple(hit for hit in evaluation.fired if hit.effects)


def model_facts(assumptions: Assumptions) -> dict[str, str]:
    """The capability tiers of the models costed, as rules read them.

    ``conditions.CATALOG_FACT_SYMBOLS``: rules can warn about inconsistent
    picks (frontier capability required of a mini-class API model) without
    naming catalog keys, which change with every price import.
    """
    return {
        "api_model_tier": assumptions.api_model.tier,
        "self_host_model_tier": assumptions.self_host_model.tier,
    }


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
