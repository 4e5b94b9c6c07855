"""A result as an assessment stores it.

Scored once by :func:`advisor.scoring.score.score` (through its Django
shell, :func:`advisor.rules.services.build_snapshot`) when the buyer
completes the assessment and stored on it, so the result page, the PDF,
the CSV export and ``manage.py evaluate`` render the same stored data:
fast, and a report never changes silently when prices or rules change
later. Completing again after editing answers re-scores. No
chart is drawn here: charts are drawn from the snapshot's numbers when they
are shown (``advisor.reports.charts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.costs.catalog import CatalogSnapshot
from advisor.rules.models import Ruleset
from advisor.rules.services import build_snapshot
from advisor.scoring.effects import Triangle
from advisor.snapshot import MeasuredAnswers

__all__ = ["build_snapshot", "result_snapshot"]


def result_snapshot(
    *,
    ruleset: Ruleset,
    answers: Mapping[str, Any],
    catalog: CatalogSnapshot | None = None,
    growth_range: Triangle | None = None,
    measured: MeasuredAnswers | None = None,
) -> dict[str, Any]:
    """:func:`build_snapshot` as the JSON an assessment stores."""
    return build_snapshot(
        ruleset=ruleset,
        answers=answers,
        catalog=catalog,
        growth_range=growth_range,
        measured=measured,
    ).to_dict()
