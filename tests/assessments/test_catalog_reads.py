"""A request reads the price catalog at most once: one selector, one snapshot, passed down."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.steps import build_steps
from advisor.costs.selectors import catalog_snapshot, forget_catalog_snapshot
from advisor.rules.models import Ruleset
from advisor.rules.services import question_specs
from tests.conftest import HIGH_VOLUME_ANSWERS

CATALOG_ROW_TABLES = (
    "costs_apimodel",
    "costs_apipricechange",
    "costs_openmodel",
    "costs_gpuoffering",
    "costs_selfhostedmodelprofile",
    "costs_costassumption",
)
VERSION_TABLE = "costs_catalogversion"


def reads(captured: CaptureQueriesContext, table: str) -> int:
    return sum(f'"{table}"' in query["sql"] for query in captured.captured_queries)


@pytest.fixture
def answered(brief_ruleset: Ruleset) -> Assessment:
    """Every step saved, not completed: the review POST completes it."""
    steps = [step.slug for step in build_steps(question_specs(brief_ruleset))]
    return Assessment.objects.create(
        ruleset=brief_ruleset, answers=HIGH_VOLUME_ANSWERS, saved_steps=steps
    )


def complete(client: Client, assessment: Assessment) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"/a/{assessment.token}/review/")
    assert response.status_code == 303
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    return captured


def test_completing_with_a_kept_snapshot_reads_only_the_catalog_version(
    client: Client, answered: Assessment
) -> None:
    catalog_snapshot()  # a worker that has served a request since the last catalog edit

    captured = complete(client, answered)

    assert reads(captured, VERSION_TABLE) == 1
    assert {table: reads(captured, table) for table in CATALOG_ROW_TABLES} == dict.fromkeys(
        CATALOG_ROW_TABLES, 0
    )


def test_completing_on_a_cold_worker_reads_each_catalog_table_once(
    client: Client, answered: Assessment
) -> None:
    forget_catalog_snapshot()

    captured = complete(client, answered)

    assert reads(captured, VERSION_TABLE) == 1
    for table in (
        "costs_apimodel",
        "costs_apipricechange",
        "costs_openmodel",
        "costs_selfhostedmodelprofile",
        "costs_costassumption",
    ):
        assert reads(captured, table) == 1, table
    # GPUs: their own table, and joined to the profiles (select_related).
    assert reads(captured, "costs_gpuoffering") == 2
    # A recommendation that needs no GPU still reads every table once: the
    # self-hosted options are costed whichever wins.
    assert answered.result["recommendation"] in ("open_api", "self_host", "hybrid")


def test_a_step_get_reads_the_catalog_version_and_the_assessment_only(
    client: Client, brief_ruleset: Ruleset
) -> None:
    assessment = Assessment.objects.create(ruleset=brief_ruleset)
    client.get(f"/a/{assessment.token}/step/workload/")  # warm: the wizard, the snapshot

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/a/{assessment.token}/step/workload/")

    assert response.status_code == 200
    assert len(captured) == 2
    assert reads(captured, VERSION_TABLE) == 1
