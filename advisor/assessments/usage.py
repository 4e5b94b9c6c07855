"""Usage-export answers on an assessment: derive, accept, and which answers were measured.

The pure importer (``advisor.usage``) turns a file into figures; this module
is the Django side: it keeps only the figures the assessment's ruleset asks
about (and that parse under its questions, so ``evaluate`` and the wizard
accept them as they are), stores what was derived on the assessment
(``usage_import``: the derived figures and their provenance, never the
file), and tells which answers are still the measured values.

``usage_import`` holds::

    {"format", "source_label", "filename", "period": {"start", "end", "days", "text"},
     "gaps": [text], "figures": {key: {"value", "provenance"}},
     "missing": {key: reason}, "notes": [text], "derived_at",
     "accepted": {key: value} | None, "accepted_at" | None, "kept_file": bool}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from advisor.assessments.models import Assessment, AssessmentStatus, UsageExportFile
from advisor.assessments.wizard_display import display_answer
from advisor.assessments.write_guard import Write, writable
from advisor.core.uploads import upload_limit
from advisor.rules.models import Ruleset
from advisor.rules.services import parse_answers_for, question_specs
from advisor.scoring.effects import Triangle
from advisor.snapshot import MeasuredAnswers, MeasuredFigure
from advisor.usage import ANSWER_KEYS, Limits, UsageFileError, UsageWorkload, read_usage

USAGE_ROUTE = "assessments:usage"
# A 10 MB upload holds at most ~25,000 LiteLLM rows or ~170,000 generic CSV
# rows; past this many records a file is not an export, and reading on would
# hold a web worker for seconds.
MAX_UPLOAD_RECORDS = 200_000
MAX_FILENAME_CHARS = 120
MEASURED_LABEL = "from your usage data"
# Answered by an import, but not a figure of it: shown, never marked as measured.
CONTEXT_KEYS = ("has_production_data",)


@dataclass(frozen=True)
class RulesetAnswers:
    """A workload's answers that fit a ruleset, and the ones that had to be left out (why)."""

    answers: dict[str, Any]
    left_out: dict[str, str]


def answers_for_ruleset(workload: UsageWorkload, *, ruleset: Ruleset) -> RulesetAnswers:
    """The workload's answers the ruleset has questions for, parsed as the wizard parses them."""
    keys = {spec.key for spec in question_specs(ruleset)}
    candidate = {key: value for key, value in workload.answers().items() if key in keys}
    left_out = {
        key: (
            f"measured as {value}, but ruleset {ruleset.name} version {ruleset.version} "
            f"has no question {key} yet, so it is not used"
        )
        for key, value in workload.answers().items()
        if key not in keys
    }
    parsed = parse_answers_for(ruleset, candidate, partial=True)
    for error in parsed.errors:
        candidate.pop(error.key, None)
        left_out[error.key] = error.message
    return RulesetAnswers(
        answers={key: candidate[key] for key in candidate if key in parsed.answers},
        left_out=left_out,
    )


def max_upload_bytes() -> int:
    """The usage route's upload limit (``UPLOAD_MAX_BYTES_BY_ROUTE``, as the upload handler)."""
    return upload_limit(USAGE_ROUTE)


def upload_limits() -> Limits:
    """The importer's bounds for a web upload: its size, and fewer records than the CLI."""
    return Limits(max_bytes=max_upload_bytes(), max_records=MAX_UPLOAD_RECORDS)


def read_upload(file: IO[bytes], *, format: str = "auto") -> UsageWorkload:
    """Read an uploaded export within the upload's bounds; raises ``UsageFileError``."""
    return read_usage(file, format=format, limits=upload_limits())


@transaction.atomic
def assessment_derive_usage(
    *,
    assessment: Assessment,
    workload: UsageWorkload,
    filename: str,
    keep_file: bytes | None = None,
) -> Assessment:
    """Store the derived figures (not yet accepted); keep the file only when asked."""
    locked = writable(assessment, Write.USAGE_IMPORT, with_ruleset=True)
    fitted = answers_for_ruleset(workload, ruleset=locked.ruleset)
    missing = dict(workload.missing)
    missing.update(fitted.left_out)
    locked.usage_import = {
        "format": workload.source_format,
        "source_label": workload.source_label,
        "filename": filename[:MAX_FILENAME_CHARS],
        "period": {
            "start": workload.period_start.isoformat(),
            "end": workload.period_end.isoformat(),
            "days": round(workload.period_days, 2),
            "text": workload.period_text(),
        },
        "gaps": [gap.describe() for gap in workload.gaps],
        "figures": {
            key: {"value": value, "provenance": workload.provenance.get(key, "")}
            | _fit_range(workload, key)
            for key, value in fitted.answers.items()
        },
        "missing": missing,
        "notes": list(workload.notes),
        "derived_at": timezone.now().isoformat(),
        "accepted": None,
        "accepted_at": None,
        "kept_file": keep_file is not None,
    }
    locked.save(update_fields=["usage_import", "updated_at"])
    # A new import replaces an old kept file; unticked, nothing of the file stays.
    UsageExportFile.objects.filter(assessment=locked).delete()
    if keep_file is not None:
        UsageExportFile.objects.create(
            assessment=locked, filename=filename[:MAX_FILENAME_CHARS], content=keep_file
        )
    return locked


@transaction.atomic
def assessment_accept_usage(*, assessment: Assessment, keys: list[str] | None = None) -> Assessment:
    """Put the derived figures (all, or ``keys``) into the answers, marked as measured."""
    locked = writable(assessment, Write.ANSWERS)
    derived = locked.usage_import or {}
    figures = derived.get("figures") or {}
    chosen = {
        key: figure["value"]
        for key, figure in figures.items()
        if keys is None or key in keys or key in CONTEXT_KEYS
    }
    if not chosen:
        return locked
    answers = {**locked.answers, **chosen}
    locked.usage_import = {
        **derived,
        "accepted": {key: value for key, value in chosen.items() if key not in CONTEXT_KEYS},
        "accepted_at": timezone.now().isoformat(),
    }
    fields = ["usage_import", "updated_at"]
    if answers != locked.answers:
        locked.answers = answers
        locked.status = AssessmentStatus.IN_PROGRESS
        locked.revision += 1
        fields += ["answers", "status", "revision"]
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def assessment_discard_usage(*, assessment: Assessment) -> Assessment:
    """Forget the derived figures and any kept file; accepted answers stay as answers."""
    locked = writable(assessment, Write.USAGE_IMPORT)
    UsageExportFile.objects.filter(assessment=locked).delete()
    derived = locked.usage_import or {}
    if derived.get("accepted"):
        locked.usage_import = {**derived, "figures": {}, "kept_file": False}
    else:
        locked.usage_import = None
    locked.save(update_fields=["usage_import", "updated_at"])
    return locked


def measured_keys(assessment: Assessment) -> frozenset[str]:
    """Answers that are still the values measured from the buyer's usage export.

    An accepted figure the buyer then edited is their answer, not a
    measurement, so it is not in the set. The uncertainty analysis treats
    the keys in this set as given (no range).
    """
    return measured_keys_of(assessment.usage_import, assessment.answers)


def measured_keys_of(
    usage_import: Mapping[str, Any] | None, answers: Mapping[str, Any]
) -> frozenset[str]:
    accepted = (usage_import or {}).get("accepted") or {}
    return frozenset(
        key
        for key, value in accepted.items()
        if key in answers and _same(answers[key], value) and key in ANSWER_KEYS
    )


def measured_summary(assessment: Assessment) -> MeasuredAnswers | None:
    """What the result and the PDF say about measured answers (stored in the snapshot)."""
    keys = measured_keys(assessment)
    derived = assessment.usage_import or {}
    if not keys:
        return None
    figures = derived.get("figures") or {}
    specs = {spec.key: spec for spec in question_specs(assessment.ruleset)}
    return MeasuredAnswers(
        label=MEASURED_LABEL,
        keys=tuple(sorted(keys)),
        source_label=derived.get("source_label", ""),
        period=(derived.get("period") or {}).get("text", ""),
        gaps=tuple(derived.get("gaps") or [])[:5],
        figures=tuple(
            MeasuredFigure(
                key=key,
                prompt=specs[key].prompt or key,
                value=assessment.answers[key],
                answer=display_answer(specs[key], assessment.answers[key], {}),
                provenance=(figures.get(key) or {}).get("provenance", ""),
            )
            for key in ANSWER_KEYS
            if key in keys and key in specs
        ),
    )


def _fit_range(workload: UsageWorkload, key: str) -> dict[str, float]:
    """A fitted figure's range, when the fit gave one (growth from a short history)."""
    low = getattr(workload, f"{key}_low", None)
    high = getattr(workload, f"{key}_high", None)
    return {} if low is None or high is None else {"low": low, "high": high}


def fitted_growth_range(
    usage_import: Mapping[str, Any] | None, answers: Mapping[str, Any]
) -> Triangle | None:
    """The measured growth rate with its fit's range (% a month), while the answer is still
    the measured value; None otherwise (the decision then draws the answer as it draws
    any other: fixed when given)."""
    key = "monthly_growth_pct"
    if key not in measured_keys_of(usage_import, answers):
        return None
    figure = ((usage_import or {}).get("figures") or {}).get(key) or {}
    low, high = figure.get("low"), figure.get("high")
    if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
        return None
    value = float(answers[key])
    return Triangle(min(float(low), value), value, max(float(high), value))


# ``usage_to_answers`` prints a fitted growth rate's range under this key beside the
# answers, and ``evaluate`` draws it as the wizard's result does (not an answer: no
# question has it, so ``evaluate`` takes it out before parsing the answers).
GROWTH_RANGE_KEY = "monthly_growth_pct_range"


def growth_range_entry(
    workload: UsageWorkload, answers: Mapping[str, Any]
) -> dict[str, dict[str, float]]:
    """``{GROWTH_RANGE_KEY: {"low", "high"}}`` when the printed growth carries the fit's
    range (under :data:`~advisor.usage.workload.GROWTH_RANGE_BELOW_MONTHS` months of data);
    empty otherwise."""
    fit = _fit_range(workload, "monthly_growth_pct")
    if "monthly_growth_pct" not in answers or not fit:
        return {}
    return {GROWTH_RANGE_KEY: fit}


def split_growth_range(raw: Mapping[str, Any]) -> tuple[dict[str, Any], Triangle | None]:
    """The answers without :data:`GROWTH_RANGE_KEY`, and the range it gives the growth.

    Raises ``ValueError`` (a message naming the key) for a range that is not two
    numbers, or one given without a numeric ``monthly_growth_pct`` to centre on.
    """
    answers = {key: value for key, value in raw.items() if key != GROWTH_RANGE_KEY}
    if GROWTH_RANGE_KEY not in raw:
        return answers, None
    entry = raw[GROWTH_RANGE_KEY]
    low = _number(entry.get("low")) if isinstance(entry, dict) else None
    high = _number(entry.get("high")) if isinstance(entry, dict) else None
    value = _number(answers.get("monthly_growth_pct"))
    if low is None or high is None or value is None:
        raise ValueError(
            f'{GROWTH_RANGE_KEY} must be {{"low": number, "high": number}} beside a '
            "numeric monthly_growth_pct"
        )
    return answers, Triangle(min(low, value), value, max(high, value))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _same(answer: Any, measured: Any) -> bool:
    if isinstance(answer, (int, float)) and isinstance(measured, (int, float)):
        return float(answer) == float(measured)
    return bool(answer == measured)


__all__ = [
    "MAX_UPLOAD_RECORDS",
    "MEASURED_LABEL",
    "RulesetAnswers",
    "UsageFileError",
    "answers_for_ruleset",
    "assessment_accept_usage",
    "assessment_derive_usage",
    "assessment_discard_usage",
    "max_upload_bytes",
    "measured_keys",
    "measured_summary",
    "read_upload",
    "upload_limits",
]
