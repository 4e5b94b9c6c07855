"""A ruleset published while a buyer is mid-questionnaire: they finish on the version they started.

The new version carries a rule that fires for every answer set and pushes
self-hosting hard, so a result scored on it would show; the buyer's result
must not, and must name the version it was scored with.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from advisor.assessments.models import Assessment
from advisor.rules.models import Rule, Ruleset, RulesetStatus
from advisor.rules.publishing import ruleset_clone, ruleset_publish

pytestmark = pytest.mark.django_db

MARKER = "Published while the buyer was answering"
STEPS: list[tuple[str, dict[str, Any]]] = [
    ("workload", {"monthly_queries": "2M", "load_pattern": "spiky"}),
    ("compliance", {}),
    ("capability", {"frontier_capability": "required"}),
    ("team-and-operations", {}),
]


def post_step(
    client: Client, token: str, slug: str, data: dict[str, Any], nav: str = "next"
) -> str:
    response = client.post(f"/a/{token}/step/{slug}/", {**data, "nav": nav})
    assert response.status_code == 303, response.content[:500]
    return response["Location"]


@pytest.fixture(autouse=True)
def _rate_limits_off(settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False


def publish_new_version(ruleset: Ruleset, admin_user: Any) -> Ruleset:
    draft = ruleset_clone(ruleset=ruleset, user=admin_user)
    Rule.objects.create(
        ruleset=draft,
        code="mid-questionnaire-marker",
        title="Always self-host",
        condition="monthly_queries >= 0",
        score_deltas={"self_host": 100},
        rationale=MARKER,
        source="tests/faults",
        order=999,
    )
    return ruleset_publish(ruleset=draft, user=admin_user)


def test_buyer_finishes_on_the_version_they_started_with(brief_ruleset, admin_user) -> None:
    client = Client()
    started = client.post("/a/start/")
    token = started["Location"].strip("/").split("/")[1]
    post_step(client, token, *STEPS[0])

    newer = publish_new_version(brief_ruleset, admin_user)
    assert Ruleset.objects.get(pk=brief_ruleset.pk).status == RulesetStatus.ARCHIVED

    for slug, data in STEPS[1:]:
        post_step(client, token, slug, data)
    post_step(client, token, "cost-assumptions", {}, nav="skip")
    assert client.post(f"/a/{token}/review/").status_code == 303

    assessment = Assessment.objects.get(token=token)
    assert assessment.ruleset_id == brief_ruleset.pk
    assert assessment.result["ruleset"]["version"] == brief_ruleset.version != newer.version
    assert MARKER not in str(assessment.result)
    assert assessment.result["recommendation"] == "api"
    page = client.get(f"/a/{token}/result/").content.decode()
    assert f"version {brief_ruleset.version}" in page
    assert MARKER not in page

    # A buyer who starts now gets the new version, and its rule.
    fresh = Client().post("/a/start/")["Location"].strip("/").split("/")[1]
    assert Assessment.objects.get(token=fresh).ruleset_id == newer.pk
