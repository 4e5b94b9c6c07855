"""The PDF's cost table stays on one page: no row left alone on the next.

Its last row ("API with a router") fell onto the next page by itself: the
table (and the heading above it) is one block that moves to a new page whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.assessments.models import Assessment
from advisor.options import OPTION_LABELS
from advisor.reports.services import render_report_pdf
from advisor.snapshot import ResultSnapshot

from .conftest import page_texts

SCENARIOS = Path(__file__).parents[2] / "advisor/rules/scenarios"
# Each left the router's row alone on the next page before the table was kept whole.
SCENARIO_NAMES = (
    "high-volume-steady-mostly-simple",
    "hipaa-baa-unknown-lowers-confidence",
    "fedramp-no-authorized-environment",
)
SECTION = "Costs per year Each option's cost"
HEADING = "Over the whole horizon"
ROUTER_ROW = "API with a router"


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_the_router_row_is_on_the_page_of_the_tables_heading(
    name: str, make_completed: Callable[..., Assessment]
) -> None:
    answers = json.loads((SCENARIOS / f"{name}.json").read_text())["answers"]
    assessment = make_completed(answers)
    snapshot = ResultSnapshot.from_dict(assessment.result)
    pages = page_texts(render_report_pdf(advice=snapshot, client_name="Acme"))
    # The section's heading and its first words (the summary and the reasons say both
    # "costs per year" and "over the whole horizon" too).
    costs = next(index for index, text in enumerate(pages) if SECTION in text)
    table = next(index for index in range(costs, len(pages)) if HEADING in pages[index])
    text = pages[table]
    assert ROUTER_ROW in text, f"{name}: the router's row is not on page {table + 1}"
    assert ROUTER_ROW not in pages[table + 1]
    for option in snapshot.costs.options:
        assert OPTION_LABELS[option] in text[text.index(HEADING) :], (name, option)
