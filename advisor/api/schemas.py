"""The API's request and response schemas (pydantic, through django-ninja).

The result is :class:`advisor.snapshot.ResultSnapshot` as its ``to_dict()``
writes it, the JSON of ``manage.py evaluate --format json``: its parts are
the snapshot's own dataclasses (a fired rule, a caveat, a change, the plan),
so the OpenAPI document describes the very objects the scoring package
returns; where ``to_dict()`` renames a field (an assumption's ``range``, a
conditional branch's ``if``) the part is written out here with its stored
keys. ``tests/api/test_schema.py`` holds the two together: the keys equal
``to_dict()``'s and a real result validates against the document.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from advisor.assessments.models import CLIENT_NAME_MAX_LENGTH, SCENARIO_NAME_MAX_LENGTH
from advisor.snapshot import (
    Caveat,
    Change,
    DecisionRule,
    FiredRule,
    PlanSummary,
    RulesetRef,
    SkippedRule,
)

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class OptionCosts(Schema):
    """One option's costs over the horizon (USD); the uncertainty figures when they ran."""

    model_config = ConfigDict(extra="allow")

    tco_usd: float
    monthly_usd: list[float]
    cost_per_1k_queries_usd: float


class Costs(Schema):
    """The command-line contract's ``costs`` object, as the cost model wrote it."""

    model_config = ConfigDict(extra="allow")

    horizon_months: int
    options: dict[str, OptionCosts]
    break_even_month: dict[str, int | None]
    break_even_volume_multiplier: dict[str, float | None]


class AssumptionRow(Schema):
    """One row of the dated, sourced assumptions table."""

    label: str
    value: str
    unit: str
    source: str
    as_of: str | None
    source_url: str
    judgement: bool
    range: list[float] | None = Field(description="The judgement's plausible low and high.")


class ConditionalAdvice(Schema):
    """What the advice would be with one answer of an open follow-up (decision model v3)."""

    model_config = ConfigDict(populate_by_name=True)

    check: str
    prompt: str
    if_: str = Field(alias="if")
    recommendation: str | None
    confidence: float


class Result(Schema):
    """A scored result: ``manage.py evaluate --format json``'s object, key for key."""

    snapshot_version: int
    recommendation: str | None = Field(
        description="api, open_api, self_host or hybrid; null when every option is ruled out."
    )
    confidence: float = Field(ge=0, le=1)
    scores: dict[str, float]
    excluded: dict[str, list[str]]
    fired_rules: list[FiredRule]
    caveats: list[Caveat]
    costs: Costs
    ruleset: RulesetRef
    what_would_change: list[Change]
    reasons: dict[str, list[str]] | None = None
    decision: list[dict[str, Any]]
    cheaper_options: list[dict[str, Any]]
    open_questions: list[dict[str, Any]]
    excluded_by: dict[str, list[str]]
    skipped_rules: list[SkippedRule]
    assumptions: list[AssumptionRow]
    notes: list[str]
    answers: dict[str, Any]
    given_answers: list[str] | None
    measured: dict[str, Any] | None = None
    decision_rule: DecisionRule | None = None
    plan: PlanSummary | None = None
    conditional: list[ConditionalAdvice] | None = None
    router: dict[str, float] | None = None
    computed_at: str


class Choice(Schema):
    value: str
    label: str


class Question(Schema):
    """One question of the published ruleset, enough for a client to build its own form."""

    key: str
    type: str = Field(
        description="integer, number, boolean, choice, multi_choice or catalog (a catalog key)."
    )
    section: str
    prompt: str
    help_text: str
    unit: str
    min: float | None
    max: float | None
    default: Any = Field(description="The answer taken when none is given (null: required).")
    required: bool
    show_if: str = Field(description="A condition over other answers; asked only when it holds.")
    advanced: bool
    choices: list[Choice]


class Questions(Schema):
    ruleset: RulesetRef
    questions: list[Question]


class UsagePeriod(Schema):
    start: str
    end: str
    days: float
    text: str


class UsageDerived(Schema):
    """What a usage export says: the answers it supports, and how each was derived."""

    format: str
    source_label: str
    period: UsagePeriod
    answers: dict[str, Any] = Field(
        description="The answers, to send to /evaluate as they are; with under 6 months of "
        "data a fitted growth carries its range as monthly_growth_pct_range."
    )
    provenance: dict[str, str]
    missing: dict[str, str] = Field(description="Answers the file cannot support, and why.")
    notes: list[str]
    gaps: list[str]


class AssessmentCreate(Schema):
    client_name: str = Field("", max_length=CLIENT_NAME_MAX_LENGTH)
    answers: dict[str, Any] | None = Field(
        None, description="Optional: scored at once when every required answer is given."
    )


class AnswersUpdate(Schema):
    answers: dict[str, Any] = Field(description="Every answer (the ones left out are cleared).")


class ScenarioCreate(Schema):
    name: str = Field(min_length=1, max_length=SCENARIO_NAME_MAX_LENGTH)
    changes: dict[str, Any] = Field(
        description='Answers changed for the variant, e.g. {"monthly_queries": "x3"}.'
    )


class Scenario(Schema):
    id: int
    name: str
    overrides: dict[str, Any]
    outcome: dict[str, Any] | None
    problem: str


class AssessmentSummary(Schema):
    token: str
    client_name: str
    status: str = Field(description="in_progress or completed.")
    state: str = Field(description="open, changed, delivered or locked (what may be written).")
    link: str = Field(description="The buyer's link: send it to the client.")
    url: str = Field(description="This assessment in the API.")
    recommendation: str | None
    has_result: bool
    created_at: datetime
    updated_at: datetime


class Assessment(AssessmentSummary):
    ruleset: RulesetRef
    answers: dict[str, Any]
    result: Result | None


class AssessmentPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    items: list[AssessmentSummary]


class Rescored(Schema):
    recommendation_changed: bool
    ruleset_changed: bool
    assessment: Assessment


class Problem(Schema):
    """RFC 9457 problem details; ``errors`` name the fields of bad answers."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, str]] | None = None
