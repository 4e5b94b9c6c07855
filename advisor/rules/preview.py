"""Preview a ruleset against the scenario library before publishing it.

Each scenario (``advisor/rules/scenarios/*.json``: answers, the brief's
reasoning and what it implies) is scored with the ruleset under review and
with the current ruleset; the admin sees where the recommendation, the
exclusions or the caveats differ, and where the draft misses what the
scenario expects. The library is the project's own copy of the shared
scenario files: nothing here reads outside the package at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor import wording
from advisor.rules.models import Ruleset
from advisor.rules.services import InvalidAnswers, build_snapshot
from advisor.snapshot import ResultSnapshot

SCENARIOS_DIR = Path(__file__).resolve().parent / "scenarios"


@dataclass(frozen=True)
class Scenario:
    """One answer set and what the brief implies for it (see design.md)."""

    name: str
    why: str
    answers: dict[str, Any]
    expect: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What one ruleset says about one scenario; ``error`` if it could not say."""

    recommendation: str | None = None
    excluded: tuple[str, ...] = ()
    # The options the result costs: one it does not cost is not offered, which
    # for an expected exclusion is what ruling it out means (open_api before v3).
    offered: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    error: str = ""
    # Decision model v3: the money each rule's cost effects add, per option, in words
    # ("moving-off-the-closed-api-is-not-free: open_api +$58.1K, self_host +$197K").
    money: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioComparison:
    scenario: Scenario
    candidate: Outcome
    baseline: Outcome | None
    unmet: tuple[str, ...] = field(default=())

    @property
    def recommendation_differs(self) -> bool:
        return self._differs("recommendation")

    @property
    def excluded_differs(self) -> bool:
        return self._differs("excluded")

    @property
    def caveats_differs(self) -> bool:
        return self._differs("caveats")

    @property
    def error_differs(self) -> bool:
        return self._differs("error")

    @property
    def money_differs(self) -> bool:
        return self._differs("money")

    @property
    def differs(self) -> bool:
        return (
            self.recommendation_differs
            or self.excluded_differs
            or self.caveats_differs
            or self.error_differs
            or self.money_differs
        )

    def _differs(self, attribute: str) -> bool:
        if self.baseline is None:
            return False
        return bool(getattr(self.candidate, attribute) != getattr(self.baseline, attribute))


def load_scenarios(directory: Path | None = None) -> list[Scenario]:
    """Every scenario file in ``directory`` (the library by default), in name order."""
    scenarios = []
    for path in sorted((directory or SCENARIOS_DIR).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        scenarios.append(
            Scenario(
                name=path.stem,
                why=data.get("why", ""),
                answers=data["answers"],
                expect=data.get("expect", {}),
            )
        )
    return scenarios


def scenario_outcome(*, scenario: Scenario, ruleset: Ruleset) -> Outcome:
    """Score one scenario; a draft that cannot score it gets an error, not a 500."""
    try:
        result = build_snapshot(
            answers=scenario.answers,
            ruleset=ruleset,
            uncertainty=False,
            what_would_change=False,
        )
    except InvalidAnswers as error:
        # A draft may rename or retype a question the scenario answers.
        return Outcome(error=str(error))
    return Outcome(
        recommendation=result.recommendation,
        excluded=tuple(sorted(result.excluded)),
        offered=tuple(result.costs.options),
        caveats=tuple(sorted(caveat.code for caveat in result.caveats)),
        money=money_moved(result),
    )


def money_moved(result: ResultSnapshot) -> tuple[str, ...]:
    """Each rule's cost effects on each option (median over the horizon), one line per rule.

    Money at three significant figures, as the result page shows it: a
    draft whose rule moves the money differs only where a reader would see it.
    """
    by_rule: dict[str, list[str]] = {}
    for option, figures in result.costs.options.items():
        for item in figures.adjustments or ():
            sign = "+" if item.usd >= 0 else "-"
            by_rule.setdefault(item.rule, []).append(
                f"{option} {sign}{wording.usd_short(abs(item.usd))}"
            )
    return tuple(f"{rule}: {', '.join(parts)}" for rule, parts in sorted(by_rule.items()))


def unmet_expectations(*, scenario: Scenario, outcome: Outcome) -> tuple[str, ...]:
    """Where an outcome falls short of what the scenario file expects."""
    if outcome.error:
        return (f"could not be scored: {outcome.error}",)
    expect = scenario.expect
    unmet = []
    accepted = expect.get("recommendation")
    if accepted and outcome.recommendation not in accepted:
        unmet.append(f"recommends {outcome.recommendation}, expected {' or '.join(accepted)}")
    unmet += [
        f"{option} should be ruled out"
        for option in expect.get("excluded", [])
        if option not in outcome.excluded and option in outcome.offered
    ]
    unmet += [
        f"caveat {code} missing"
        for code in expect.get("caveats", [])
        if code not in outcome.caveats
    ]
    unmet += [
        f"caveat {code} should not appear"
        for code in expect.get("no_caveats", [])
        if code in outcome.caveats
    ]
    return tuple(unmet)


def ruleset_preview(
    *, ruleset: Ruleset, baseline: Ruleset | None, scenarios: list[Scenario] | None = None
) -> list[ScenarioComparison]:
    """Each scenario scored by ``ruleset`` and by ``baseline`` (usually the current one)."""
    comparisons = []
    for scenario in scenarios if scenarios is not None else load_scenarios():
        candidate = scenario_outcome(scenario=scenario, ruleset=ruleset)
        comparisons.append(
            ScenarioComparison(
                scenario=scenario,
                candidate=candidate,
                baseline=(
                    None
                    if baseline is None
                    else scenario_outcome(scenario=scenario, ruleset=baseline)
                ),
                unmet=unmet_expectations(scenario=scenario, outcome=candidate),
            )
        )
    return comparisons
