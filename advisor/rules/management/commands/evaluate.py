"""``python manage.py evaluate ANSWERS.json [--format json|text] [--pdf OUT.pdf]``.

Scores an answers file with the current published ruleset and prints the
advice: ``--format json`` one JSON object (design.md, "Contract: command
line"), ``--format text`` a summary for a terminal. Bad input (unreadable
file, malformed JSON, not an object, answers that do not fit the questions)
exits with status 2 and a message naming the field on stderr, and nothing on
stdout, so a script can trust whatever it reads from stdout. ``--pdf`` also
writes the PDF report (``advisor.reports``) of the same advice; if it cannot
be rendered the command exits with status 1, again with nothing on stdout.

A scenario file (``{"why": ..., "answers": {...}, "expect": {...}}``, the
format of ``advisor/rules/scenarios``) is accepted too: its ``answers`` are scored.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from advisor import wording
from advisor.assessments.results import advice_json_text, build_snapshot
from advisor.assessments.usage import split_growth_range
from advisor.costs.services import CatalogNotSeeded
from advisor.options import OPERATOR_OPTION_LABELS
from advisor.reports.pdf import PdfRenderError
from advisor.reports.report_sections import (
    confidence_label,
    uncertainty_view,
    what_would_change,
)
from advisor.reports.services import render_report_pdf
from advisor.rules.reasons import reasons_summary
from advisor.rules.services import InvalidAnswers, NoCurrentRuleset
from advisor.scoring.effects import Triangle
from advisor.snapshot import ResultSnapshot

USAGE_ERROR = 2
RENDER_ERROR = 1
MAX_FILE_BYTES = 1_000_000  # an answers file is a few hundred bytes


class AnswersFileError(Exception):
    """Input the command refuses; the message goes to stderr."""


class Command(BaseCommand):
    help = "Score an answers JSON file with the published ruleset and print the advice."
    # A read-only command: skip URL and template checks (other apps' work in
    # progress must not stop an operator from scoring a file).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("answers", help="Path to a JSON object of answers ('-' for stdin).")
        parser.add_argument(
            "--format",
            choices=("json", "text"),
            default="json",
            help="json: one JSON object (the CLI contract); text: a readable summary.",
        )
        parser.add_argument(
            "--pdf",
            metavar="OUT.pdf",
            help="Also write the PDF report of the advice to this file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pdf_path = Path(options["pdf"]) if options["pdf"] else None
        try:
            if pdf_path is not None and not pdf_path.parent.is_dir():
                raise AnswersFileError(f"cannot write {pdf_path}: no such directory")
            raw, growth_range = _read_answers(options["answers"])
            snapshot = build_snapshot(answers=raw, growth_range=growth_range)
        except InvalidAnswers as error:
            self._fail(*(f"{problem.key}: {problem.message}" for problem in error.errors))
        except (AnswersFileError, NoCurrentRuleset) as error:
            self._fail(str(error))
        except (DatabaseError, CatalogNotSeeded) as error:
            # An operator's setup step, not a bug: say which one, no traceback.
            self._fail(
                f"the database is not ready ({error}): run `python manage.py migrate` "
                "and `python manage.py seed` first",
                status=RENDER_ERROR,
            )
        if pdf_path is not None:
            self._write_pdf(snapshot, pdf_path)
        if options["format"] == "json":
            self.stdout.write(advice_json_text(snapshot))
        else:
            self.stdout.write(render_text(snapshot))

    def _fail(self, *messages: str, status: int = USAGE_ERROR) -> NoReturn:
        for message in messages:
            self.stderr.write(f"evaluate: {message}")
        # SystemExit rather than CommandError: CommandError exits with 1, the
        # contract says 2 (the conventional "usage error" status).
        sys.exit(status)

    def _write_pdf(self, snapshot: ResultSnapshot, path: Path) -> None:
        try:
            pdf = render_report_pdf(advice=snapshot)
        except PdfRenderError as error:
            self._fail(f"the PDF report could not be rendered: {error}", status=RENDER_ERROR)
        # Write beside the target, then rename: a reader never sees half a PDF.
        partial = path.with_name(f".{path.name}.partial")
        try:
            partial.write_bytes(pdf)
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            self._fail(f"cannot write {path}: {error.strerror or error}")


def _read_answers(path: str) -> tuple[dict[str, Any], Triangle | None]:
    """The answers in the file, and the fitted growth's range ``usage_to_answers`` printed
    beside them (None without one)."""
    answers = _read_answers_file(path)
    try:
        return split_growth_range(answers)
    except ValueError as error:
        raise AnswersFileError(str(error)) from None


def _read_answers_file(path: str) -> dict[str, Any]:
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            text = sys.stdin.read(MAX_FILE_BYTES + 1)
        else:
            with Path(path).open(encoding="utf-8") as handle:
                text = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise AnswersFileError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise AnswersFileError(f"{name} is not UTF-8 text") from None
    if len(text) > MAX_FILE_BYTES:
        raise AnswersFileError(f"{name} is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise AnswersFileError(
            f"{name} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise AnswersFileError(f"{name} is nested too deeply") from None
    except ValueError:
        # Python refuses to convert integers of more than 4,300 digits
        # (sys.get_int_max_str_digits); no answer is anywhere near that long.
        raise AnswersFileError(f"{name} holds a number of more than 4,300 digits") from None
    if not isinstance(data, dict):
        raise AnswersFileError(
            f"{name} must hold a JSON object of answers, e.g. "
            f'{{"monthly_queries": 20000000}}, not {_json_type(data)}'
        )
    if isinstance(data.get("answers"), dict) and "expect" in data:
        answers: dict[str, Any] = data["answers"]  # a scenario file
        return answers
    return data


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"


def _uncertainty_lines(result: ResultSnapshot) -> list[str]:
    """Ranges, chances and the tornado: the same view as the page's."""
    view = uncertainty_view(result)
    if not view.confidence_sentence:
        return []
    money = view.decided_on_money
    lines = [
        "",
        *(
            sentence
            for sentence in (view.plan_sentence, view.router_sentence, view.growth_sentence)
            if sentence
        ),
    ]
    lines += [*view.conditional_sentences, view.confidence_sentence, ""]
    lines.append(
        "Adjusted costs (P10 to P90) and chance best:"
        if money
        else "Likely ranges (P10 to P90) and chance cheapest:"
    )
    width = max((len(row.label) for row in view.cost_rows), default=18)
    for row in view.cost_rows:
        if row.tco_p10 is None and not row.is_plan:
            continue
        chance = (
            ""
            if row.is_variant or row.excluded or row.probability_cheapest is None
            else f"   {'best' if money else 'cheapest'} in "
            f"{wording.share(row.probability_cheapest)}"
        )
        if row.is_plan:
            lines.append(f"  {row.label:<{width}} median ${row.tco_usd:>14,.0f}{chance}")
            continue
        lines.append(
            f"  {row.label:<{width}} ${row.tco_p10:>14,.0f} to ${row.tco_p90:>14,.0f}{chance}"
        )
    lines += [f"  {sentence}" for sentence in view.break_even_sentences]
    if view.tornado is None and view.tornado_absent:
        lines += ["", f"What the costs depend on most: {view.tornado_absent}"]
    if view.tornado is not None:
        measured = (
            "self-hosting's TCO / the API's"
            if view.tornado.legacy
            else f"the cost of {view.tornado.option} / that of {view.tornado.against}"
        )
        lines += ["", f"What the costs depend on most ({measured}):"]
        # Columns as wide as their longest entry: a fixed width let a long label
        # ("On-call cover for a customer-facing service, around the clock") push
        # its row's figures out of line.
        label_width = max(len(bar.label) for bar in view.tornado.rows)
        range_width = max(len(bar.range_text) for bar in view.tornado.rows)
        for bar in view.tornado.rows:
            lines.append(
                f"  {bar.label:<{label_width}}  {bar.range_text:<{range_width}}  "
                f"{bar.low_ratio:.2f}x to {bar.high_ratio:.2f}x"
            )
    return lines


def _what_would_change_lines(result: ResultSnapshot) -> list[str]:
    """Volume, assumptions and single answers: as the page and the PDF list them."""
    change = what_would_change(result)
    lines = ["", "What would change this answer:"]
    if change.volume_note:
        lines.append(f"  {change.volume_note}")
    lines += [f"  - {text}" for text in (*change.volume, *change.volume_ranges)]
    lines += [f"  - {text}" for text in change.assumptions]
    if change.flips:
        lines += [
            f"  - {flip.change} -> {flip.recommendation or 'every option ruled out'}"
            for flip in change.flips
        ]
    else:
        lines.append(f"  - {change.no_flips}")
    return lines


def render_text(result: ResultSnapshot) -> str:
    """A terminal summary of the same snapshot the JSON carries."""
    recommendation = result.recommendation
    lines = [
        f"Ruleset {result.ruleset.name} {result.ruleset.version}",
        "",
        "Recommendation: "
        + (
            f"{OPERATOR_OPTION_LABELS.get(recommendation, recommendation)} "
            f"(confidence {wording.share(result.confidence)}, {confidence_label(result)})"
            if recommendation
            else "none: every option is ruled out"
        ),
        "",
        # Under decision model v3 the "score" is each option's chance of being the best.
        f"{'Chances' if result.decision_rule else 'Scores'} and costs"
        f" over {result.horizon_months} months:",
    ]
    for option, score in result.scores.items():
        costs = result.costs["options"][option]
        ruled_out = "  (ruled out)" if option in result.excluded else ""
        label = OPERATOR_OPTION_LABELS[option]
        # A v3 result's totals are the adjusted costs every surface shows (the same figures).
        per_1k = wording.usd_precise(
            costs.get("adjusted_cost_per_1k_queries_usd", costs["cost_per_1k_queries_usd"])
        )
        lines.append(
            f"  {label:<15} "
            + (
                f"chance best {wording.share(score):>9}"
                if result.decision_rule
                else f"score {score:>6.1f}"
            )
            + f"   TCO ${result.tco_usd(option):>14,.0f}"
            f"   {per_1k} per 1,000 queries{ruled_out}"
        )
    for option, month in result.costs["break_even_month"].items():
        lines.append(
            f"  {OPERATOR_OPTION_LABELS[option]} breaks even with the API: "
            + (f"month {month}" if month else "not within the horizon")
        )
    lines += _uncertainty_lines(result)
    lines += _what_would_change_lines(result)
    if result.excluded:
        lines += ["", "Ruled out:"]
        for option, reasons in result.excluded.items():
            lines.append(f"  {OPERATOR_OPTION_LABELS[option]}: {'; '.join(reasons)}")
    summary = reasons_summary(result)
    if summary.split:
        lines += ["", "For and against:"]
        for step in summary.steps:
            asked = "" if step.asked else " (not asked: the API is recommended)"
            lines.append(f"  {step.question} {step.answer}{asked}")
            lines += [f"    + {rule['title']}" for rule in step.reasons_for]
            lines += [f"    - {rule['title']}" for rule in step.reasons_against]
        if summary.strongest_against:
            lines.append(f"  Strongest reason against: {summary.strongest_against['title']}")
        lines += [f"  {sentence}" for sentence in (*summary.cheaper, *summary.open_questions)]
    lines += ["", "Why (strongest first):"]
    for rule in result.fired_rules:
        lines.append(f"  - {rule.title} [{rule.code}]")
        lines.append(f"    {rule.rationale}")
    if result.caveats:
        lines += ["", "Caveats:"]
        lines += [f"  ! {caveat.text} [{caveat.code}]" for caveat in result.caveats]
    if result.skipped_rules:
        lines += ["", "Rules that could not be evaluated:"]
        lines += [f"  ? {rule.code}: {rule.error}" for rule in result.skipped_rules]
    return "\n".join(lines)
