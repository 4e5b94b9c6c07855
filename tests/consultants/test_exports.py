"""The consultant's CSV export: its columns, its rows, and cells no spreadsheet runs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest

from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.consultants.exports import (
    ANSWER_PREFIX,
    FIXED_COLUMNS,
    FORMULA_PREFIXES,
    assessments_csv,
    csv_rows,
    neutralise,
)
from advisor.rules.models import Ruleset

RULESET = Ruleset(name="brief-2026", version="2")
CREATED = datetime(2026, 1, 5, 9, 10, 0, 123456, tzinfo=UTC)


def assessment(**fields: Any) -> Assessment:
    """An unsaved assessment: the export reads fields, never the database."""
    fields = {
        "ruleset": RULESET,
        "status": AssessmentStatus.IN_PROGRESS,
        "created_at": CREATED,
        "updated_at": CREATED,
        **fields,
    }
    return Assessment(**fields)


def completed_result() -> dict[str, Any]:
    return {
        "recommendation": "self_host",
        "confidence": 0.64,
        "excluded": {"hybrid": ["No GPUs in region"], "api": ["Data residency"]},
        "caveats": [{"code": "gpu-lead-time", "text": "GPUs take weeks to arrive."}],
        "costs": {
            "options": {
                "api": {"tco_usd": 100.0},
                "self_host": {"tco_usd": 200.0},
                "hybrid": {"tco_usd": 150.0},
            }
        },
    }


def cells(row_of: Assessment, *others: Assessment) -> dict[str, Any]:
    header, *rows = csv_rows([row_of, *others])
    return dict(zip(header, rows[0], strict=True))


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(prefix: str) -> None:
    assert neutralise(f"{prefix}SUM(A1:A9)") == f"'{prefix}SUM(A1:A9)"


def test_ordinary_text_is_kept_as_it_is() -> None:
    assert neutralise("Acme Health") == "Acme Health"
    assert neutralise("<b>not a formula</b>") == "<b>not a formula</b>"


def test_numbers_stay_numbers_even_when_negative() -> None:
    assert neutralise(-10) == -10
    assert neutralise(0.25) == 0.25


def test_empty_yes_no_dates_and_lists_become_plain_text() -> None:
    assert neutralise(None) == ""
    assert (neutralise(True), neutralise(False)) == ("true", "false")
    assert neutralise(CREATED) == "2026-01-05T09:10:00+00:00"
    assert neutralise(("hipaa", "gdpr")) == "hipaa; gdpr"


def test_a_list_that_starts_like_a_formula_is_neutralised_too() -> None:
    assert neutralise(["=1+1", "x"]) == "'=1+1; x"


def test_the_header_is_the_fixed_columns_then_every_answer_key_sorted() -> None:
    first = assessment(answers={"regimes": ["gdpr"], "monthly_queries": 10})
    second = assessment(answers={"customer_facing": True})
    header = next(csv_rows([first, second]))
    assert header == [
        *FIXED_COLUMNS,
        f"{ANSWER_PREFIX}customer_facing",
        f"{ANSWER_PREFIX}monthly_queries",
        f"{ANSWER_PREFIX}regimes",
    ]


def test_an_assessment_without_a_result_has_empty_result_columns() -> None:
    row = cells(
        assessment(client_name="Acme", notes="Call back", answers={"monthly_queries": 10}),
        assessment(answers={"customer_facing": True}),
    )
    assert (row["client_name"], row["status"], row["ruleset"]) == (
        "Acme",
        "in_progress",
        "brief-2026 2",
    )
    assert row["created_at"] == "2026-01-05T09:10:00+00:00"
    assert row["completed_at"] == ""
    assert (row["recommendation"], row["confidence"], row["tco_api_usd"]) == ("", "", "")
    assert (row["excluded"], row["caveats"], row["notes"]) == ("", "", "Call back")
    assert row[f"{ANSWER_PREFIX}monthly_queries"] == 10
    assert row[f"{ANSWER_PREFIX}customer_facing"] == ""  # another assessment's question


def test_a_completed_assessment_exports_its_result() -> None:
    row = cells(
        assessment(
            status=AssessmentStatus.COMPLETED, completed_at=CREATED, result=completed_result()
        )
    )
    # The option as every page names it, confidence as every page shows it, caveats in words.
    assert (row["recommendation"], row["confidence"]) == ("Self-hosted", "64%")
    assert (row["tco_api_usd"], row["tco_self_host_usd"], row["tco_hybrid_usd"]) == (
        100,
        200,
        150,
    )
    assert row["excluded"] == "Commercial API; Hybrid"  # sorted


def test_costs_are_rounded_as_every_other_surface_states_them() -> None:
    result = completed_result()
    result["costs"]["options"]["api"]["tco_usd"] = 49_565_618.03
    row = cells(assessment(status=AssessmentStatus.COMPLETED, completed_at=CREATED, result=result))
    assert row["tco_api_usd"] == 49_600_000  # "$49.6M" on the page, a number in the sheet
    assert row["caveats"] == "GPUs take weeks to arrive."


def test_a_result_with_every_option_excluded_says_so_as_the_dashboard_does() -> None:
    result = {**completed_result(), "recommendation": None}
    assert cells(assessment(result=result))["recommendation"] == "Every option ruled out"


def test_the_hosted_open_model_is_named_as_the_page_names_it() -> None:
    result = {**completed_result(), "recommendation": "open_api", "excluded": {"self_host": ["x"]}}
    row = cells(assessment(result=result))
    assert (row["recommendation"], row["excluded"]) == ("Hosted open model", "Self-hosted")


def test_the_csv_text_reads_back_with_the_formula_neutralised() -> None:
    text = assessments_csv([assessment(client_name='=HYPERLINK("http://x.example")')])
    header, row = list(csv.reader(io.StringIO(text)))
    assert dict(zip(header, row, strict=True))["client_name"] == '\'=HYPERLINK("http://x.example")'
