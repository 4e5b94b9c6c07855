"""The consultant's CSV: one row per scenario variant after its assessment's row."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from advisor.assessments.scenarios import variant_add
from advisor.options import OPTION_LABELS

from .conftest import XSS, client_for

pytestmark = pytest.mark.django_db


def test_each_variant_has_a_row_with_its_result_and_changed_answers(completed_of_a, consultant_a):
    variant_add(assessment=completed_of_a, name="Volume x3", overrides={"monthly_queries": "x3"})
    variant_add(assessment=completed_of_a, name="=" + XSS[:40], overrides={"load_pattern": "spiky"})
    response = client_for(consultant_a).get(reverse("consultants:export_csv"))
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    rows_by_scenario = {
        row[header.index("scenario")]: dict(zip(header, row, strict=True)) for row in rows
    }
    assert list(rows_by_scenario) == ["As answered", "Volume x3", "'=" + XSS[:40]]
    base, tripled = rows_by_scenario["As answered"], rows_by_scenario["Volume x3"]
    assert base["answer:monthly_queries"] == "300000000"
    assert tripled["answer:monthly_queries"] == "900000000"
    assert tripled["client_name"] == base["client_name"] == "Acme Health"
    assert float(tripled["tco_api_usd"]) == pytest.approx(3 * float(base["tco_api_usd"]), rel=0.01)
    assert tripled["recommendation"] in OPTION_LABELS.values()  # as the page names it
    assert rows_by_scenario["'=" + XSS[:40]]["answer:load_pattern"] == "spiky"
