"""A small published ruleset (three steps, a follow-up, an advanced step) and the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from advisor.assessments.models import Assessment
from advisor.assessments.services import assessment_start
from advisor.rules.models import Question, Rule, Ruleset, RulesetStatus

CATALOG = Path(__file__).resolve().parents[2] / "fixtures" / "10-catalog.json"


def make_wizard_ruleset(*, version: str = "1") -> Ruleset:
    ruleset = Ruleset.objects.create(name="wizard-test", version=version)
    questions = [
        dict(key="monthly_queries", section="Workload", section_order=1, order=1,
             prompt="How many queries per month?", help_text="Count every call to the model.",
             type="integer", min_value=0, max_value=1e12, required=True, unit="queries"),
        dict(key="load_pattern", section="Workload", section_order=1, order=2,
             prompt="Load pattern", help_text="How traffic is spread over the day.",
             type="choice", default="unknown",
             choices=[["steady", "Steady"], ["spiky", "Spiky"], ["unknown", "Unknown"]]),
        dict(key="has_production_data", section="Workload", section_order=1, order=3,
             prompt="In production today, with usage data?", help_text="Yes if it runs today.",
             type="boolean", default=False),
        dict(key="regimes", section="Compliance", section_order=2, order=1,
             prompt="Which compliance regimes apply?", help_text="Tick all that apply.",
             type="multi_choice", choices=[["hipaa", "HIPAA"], ["soc2", "SOC 2"]], default=[]),
        dict(key="hipaa_baa_sufficient", section="Compliance", section_order=2, order=2,
             prompt="Is the provider's BAA sufficient?", help_text="Ask your compliance officer.",
             type="choice", choices=[["yes", "Yes"], ["no", "No"], ["unknown", "Unknown"]],
             default="unknown", show_if="'hipaa' in regimes"),
        dict(key="api_model", section="Cost assumptions", section_order=3, order=1,
             prompt="API model", help_text="From the price catalog.", type="catalog",
             catalog="api_model", advanced=True),
        dict(key="engineer_monthly_cost_usd", section="Cost assumptions", section_order=3, order=2,
             prompt="Engineer cost per month", help_text="Fully loaded.", type="number",
             min_value=0, unit="USD", advanced=True),
    ]  # fmt: skip
    for fields in questions:
        Question.objects.create(ruleset=ruleset, **fields)
    Rule.objects.create(
        ruleset=ruleset, code="low-volume-favours-api", title="Low volume favours the API",
        condition="monthly_queries < 10000000", score_deltas={"api": 2}, order=10,
        rationale="Below 10M queries a month the API math almost always wins.",
        source="Brief, volume paragraph",
    )  # fmt: skip
    Rule.objects.create(
        ruleset=ruleset, code="hipaa-baa-insufficient", title="HIPAA without a sufficient BAA",
        condition="'hipaa' in regimes and hipaa_baa_sufficient == 'no'",
        score_deltas={"self_host": 3}, excludes=["api", "hybrid"], order=20,
        rationale="Data may not leave the perimeter.", source="Brief, compliance paragraph",
    )  # fmt: skip
    Ruleset.objects.filter(pk=ruleset.pk).update(status=RulesetStatus.PUBLISHED, is_current=True)
    ruleset.refresh_from_db()
    return ruleset


@pytest.fixture
def ruleset(db: None) -> Ruleset:
    call_command("loaddata", str(CATALOG), verbosity=0)
    return make_wizard_ruleset()


@pytest.fixture
def assessment(ruleset: Ruleset) -> Assessment:
    return assessment_start(ruleset=ruleset)
