"""``python manage.py evaluate ANSWERS.json [--format json|text] [--pdf OUT.pdf]``.

A shell around ``advisor.scoring``: scores an answers file with the current
published ruleset (:func:`advisor.rules.services.build_snapshot`) and prints
the advice (``advisor.scoring.evaluate``, ``advisor.reports.evaluate_text``):
``--format json`` one JSON object (design.md, "Contract: command line"),
``--format text`` a summary for a terminal. Bad input (unreadable
file, malformed JSON, not an object, answers that do not fit the questions)
exits with status 2 and a message naming the field on stderr, and nothing on
stdout, so a script can trust whatever it reads from stdout. ``--pdf`` also
writes the PDF report (``advisor.reports``) of the same advice; if it cannot
be rendered the command exits with status 1, again with nothing on stdout.

A scenario file (``{"why": ..., "answers": {...}, "expect": {...}}``, the
format of ``advisor/rules/scenarios``) is accepted too: its ``answers`` are scored.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from advisor.assessments.usage import split_growth_range
from advisor.costs.services import CatalogNotSeeded
from advisor.reports.evaluate_text import render_text
from advisor.reports.pdf import PdfRenderError
from advisor.reports.services import render_report_pdf
from advisor.rules.services import InvalidAnswers, NoCurrentRuleset, build_snapshot
from advisor.scoring.effects import Triangle
from advisor.scoring.evaluate import AnswersFileError, advice_json_text, read_answers
from advisor.snapshot import ResultSnapshot

USAGE_ERROR = 2
RENDER_ERROR = 1


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
            raw, growth_range = _answers_and_growth_range(options["answers"])
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


def _answers_and_growth_range(path: str) -> tuple[dict[str, Any], Triangle | None]:
    """The answers in the file, and the fitted growth's range ``usage_to_answers`` printed
    beside them (None without one)."""
    try:
        return split_growth_range(read_answers(path))
    except ValueError as error:
        raise AnswersFileError(str(error)) from None
