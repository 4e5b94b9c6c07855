"""Previewing a draft against the scenario library, next to the current ruleset."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from advisor.rules import preview
from advisor.rules.models import Ruleset, RulesetStatus
from advisor.rules.publishing import ruleset_clone

pytestmark = pytest.mark.django_db

CATALOG_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "10-catalog.json"

# Scenarios the small test ruleset (conftest.make_ruleset) can answer.
SCENARIOS = {
    "hipaa": {
        "why": "HIPAA data may not leave.",
        "answers": {"monthly_queries": 5000000, "regimes": ["hipaa"]},
        "expect": {"recommendation": ["self_host"], "excluded": ["api", "hybrid"]},
    },
    "small-and-plain": {
        "why": "Low volume, no compliance.",
        "answers": {"monthly_queries": 100000},
        "expect": {"recommendation": ["api"], "excluded": []},
    },
}


@pytest.fixture
def library(tmp_path, monkeypatch) -> Path:
    for name, scenario in SCENARIOS.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(scenario))
    monkeypatch.setattr(preview, "SCENARIOS_DIR", tmp_path)
    return tmp_path


@pytest.fixture
def catalog() -> None:
    # The cost model behind advice_for_answers() prices every scenario from the catalog.
    call_command("loaddata", str(CATALOG_FIXTURE), verbosity=0)


@pytest.fixture
def softened_draft(published_ruleset, admin_user) -> Ruleset:
    """A clone of the current ruleset in which HIPAA no longer rules anything out."""
    draft = ruleset_clone(ruleset=published_ruleset, user=admin_user)
    rule = draft.rules.get(code="hipaa-rules-out-api")
    rule.excludes = []
    rule.score_deltas = {"self_host": 1}
    rule.save()
    return draft


def test_library_ships_with_the_package():
    scenarios = preview.load_scenarios()
    assert len(scenarios) >= 8
    assert preview.SCENARIOS_DIR.is_relative_to(Path(preview.__file__).parent)
    assert all(scenario.answers and scenario.expect for scenario in scenarios)


def test_preview_reports_where_the_draft_differs(
    library, catalog, published_ruleset, softened_draft
):
    comparisons = {
        comparison.scenario.name: comparison
        for comparison in preview.ruleset_preview(
            ruleset=softened_draft, baseline=published_ruleset
        )
    }

    hipaa = comparisons["hipaa"]
    assert hipaa.baseline.recommendation == "self_host"
    assert hipaa.candidate.recommendation == "api"
    assert hipaa.recommendation_differs and hipaa.excluded_differs
    assert "recommends api, expected self_host" in hipaa.unmet
    assert "api should be ruled out" in hipaa.unmet
    assert not comparisons["small-and-plain"].differs
    assert comparisons["small-and-plain"].unmet == ()


def test_preview_page_shows_the_differences_side_by_side(
    admin_client, library, catalog, published_ruleset, softened_draft
):
    url = reverse("admin:rules_ruleset_preview", args=[softened_draft.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    summary = " ".join(re.sub(r"<[^>]+>", "", text).split())
    assert "with the current ruleset test-rules 1: 1 of 2 scenarios differ." in summary
    hipaa_row = text.split('id="scenario-hipaa"')[1].split("</tr>")[0]
    assert '<td class="differs">' in hipaa_row
    assert "<strong>api</strong>" in hipaa_row
    assert "current: self_host" in hipaa_row
    assert "recommends api, expected self_host" in hipaa_row
    plain_row = text.split('id="scenario-small-and-plain"')[1].split("</tr>")[0]
    assert "differs" not in plain_row
    assert "as expected" in plain_row


def test_preview_reports_answers_a_draft_no_longer_accepts(
    admin_client, library, catalog, published_ruleset, softened_draft
):
    softened_draft.questions.filter(key="regimes").delete()

    response = admin_client.get(reverse("admin:rules_ruleset_preview", args=[softened_draft.pk]))

    assert response.status_code == 200
    assert "Could not be scored: regimes" in html.unescape(response.content.decode())


def test_draft_page_links_to_its_preview(admin_client, softened_draft):
    response = admin_client.get(reverse("admin:rules_ruleset_change", args=[softened_draft.pk]))
    assert reverse("admin:rules_ruleset_preview", args=[softened_draft.pk]) in (
        response.content.decode()
    )


def test_preview_is_staff_only(client, softened_draft):
    response = client.get(reverse("admin:rules_ruleset_preview", args=[softened_draft.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_preview_without_a_current_ruleset_shows_the_draft_alone(
    admin_client, library, catalog, draft_ruleset
):
    assert not Ruleset.objects.filter(status=RulesetStatus.PUBLISHED).exists()

    response = admin_client.get(reverse("admin:rules_ruleset_preview", args=[draft_ruleset.pk]))

    assert "There is no current ruleset yet" in response.content.decode()


def test_preview_of_the_seeded_ruleset_shows_a_changed_rule(
    admin_client, brief_ruleset, admin_user
):
    # The real library and the real ruleset: a clone without the HIPAA rule
    # must stop recommending self-hosting for the HIPAA scenario.
    draft = ruleset_clone(ruleset=brief_ruleset, user=admin_user)
    rule = draft.rules.get(code="hipaa-baa-insufficient")
    rule.enabled = False
    rule.save()

    response = admin_client.get(reverse("admin:rules_ruleset_preview", args=[draft.pk]))

    comparisons = {item.scenario.name: item for item in response.context["comparisons"]}
    hipaa = comparisons["hipaa-baa-insufficient"]
    assert hipaa.baseline.recommendation == "self_host"
    assert hipaa.candidate.recommendation != "self_host"
    assert hipaa.recommendation_differs
    assert response.context["differing"] == 1
    row = html.unescape(response.content.decode()).split('id="scenario-hipaa-baa-insufficient"')[1]
    assert "current: self_host" in row.split("</tr>")[0]
    assert all(not item.unmet for name, item in comparisons.items() if name != hipaa.scenario.name)


def test_preview_shows_the_money_each_rule_moves(admin_client, brief_ruleset, admin_user):
    # A draft that doubles the one-off cost of moving off the closed API: every scenario
    # the rule applies to shows the money it moves, and where it differs from the current.
    draft = ruleset_clone(ruleset=brief_ruleset, user=admin_user)
    rule = draft.rules.get(code="moving-off-the-closed-api-is-not-free")
    effect = dict(rule.effects[0])
    effect["one_off_usd"] = {"low": 40_000, "base": 120_000, "high": 300_000}
    rule.effects = [effect]
    rule.save()

    response = admin_client.get(reverse("admin:rules_ruleset_preview", args=[draft.pk]))

    comparisons = {item.scenario.name: item for item in response.context["comparisons"]}
    low = comparisons["low-volume-no-compliance"]
    (line,) = [text for text in low.candidate.money if text.startswith("moving-off-the-closed-api")]
    (before,) = [
        text for text in low.baseline.money if text.startswith("moving-off-the-closed-api")
    ]
    # The median of the drawn one-off: about twice the current rule's, on the three options.
    assert "open_api +$" in line and "self_host +$" in line and "hybrid +$" in line
    assert line != before
    assert low.money_differs
    page = html.unescape(response.content.decode())
    assert "Money the rules move" in page
    row = page.split('id="scenario-low-volume-no-compliance"')[1].split("</tr>")[0]
    assert line in row
