"""``python manage.py usage_to_answers FILE [--format auto|openai|anthropic|litellm|csv]``.

Reads a usage export (design.md, "Usage import") and prints one JSON object
of answers on stdout, for ``manage.py evaluate`` as it is: only the figures
the file supports, and only under questions the published ruleset has (a
figure without a question yet is named on stderr, not printed). A required
answer the format cannot supply (``monthly_queries`` from Anthropic's report,
which counts no requests) is named on stderr too: add it before scoring. How every
figure was derived goes to stderr. A bad file: exit status 2, a message
naming the line or field on stderr, nothing on stdout; so does a file past
one of the importer's bounds (``advisor.usage.Limits``: size, records, line
length, JSON nesting).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from advisor.assessments.usage import GROWTH_RANGE_KEY, answers_for_ruleset, growth_range_entry
from advisor.rules.services import NoCurrentRuleset, current_ruleset, question_specs
from advisor.usage import DEFAULT_LIMITS, FORMATS, UsageFileError, read_usage

USAGE_ERROR = 2
LIMITS = DEFAULT_LIMITS  # the command line reads far more than a web upload


class Command(BaseCommand):
    help = "Turn a provider's usage export into a JSON object of workload answers."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The usage export ('-' for stdin).")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="auto",
            help="The export's format; auto tells them apart by their shape.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ruleset = current_ruleset()
            with _open(options["file"]) as file:
                workload = read_usage(file, format=options["format"], limits=LIMITS)
            fitted = answers_for_ruleset(workload, ruleset=ruleset)
        except UsageFileError as error:
            self._fail(f"{options['file']}: {error}")
        except OSError as error:
            self._fail(f"cannot read {options['file']}: {error.strerror or error}")
        except NoCurrentRuleset as error:
            self._fail(str(error))
        except DatabaseError as error:
            self._fail(
                f"the database is not ready ({error}): run `python manage.py migrate` "
                "and `python manage.py seed` first"
            )
        for line in workload.summary_lines():
            self.stderr.write(f"usage_to_answers: {line}")
        for key, reason in fitted.left_out.items():
            if key not in workload.missing:
                self.stderr.write(f"usage_to_answers: {key} left out: {reason}")
        for spec in question_specs(ruleset):
            if spec.required and spec.key not in fitted.answers:
                self.stderr.write(
                    f"usage_to_answers: {spec.key} is required by evaluate and this file cannot "
                    "supply it: add it to the answers before scoring them"
                )
        # The fit's range goes with the growth it qualifies: evaluate draws it, as the
        # result of an assessment with this import does.
        growth_range = growth_range_entry(workload, fitted.answers)
        if growth_range:
            self.stderr.write(
                f"usage_to_answers: {GROWTH_RANGE_KEY} is the fitted growth's range (under "
                "6 months of data): evaluate draws the growth over it"
            )
        self.stdout.write(json.dumps({**fitted.answers, **growth_range}, ensure_ascii=False))

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(f"usage_to_answers: {message}")
        sys.exit(USAGE_ERROR)


class _Stdin:
    def __enter__(self) -> IO[bytes]:
        return sys.stdin.buffer

    def __exit__(self, *exc: object) -> None:
        return None


def _open(path: str) -> Any:
    if path == "-":
        return _Stdin()
    return Path(path).open("rb")
