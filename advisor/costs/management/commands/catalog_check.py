"""List catalog figures that are stale or have no public source; exit 1 when any is.

Usage: ``manage.py catalog_check [--max-age-days 180]``. A figure is stale
when its as-of date is more than the given number of days before today;
unsourced when its source is empty or cites an internal document. Suitable
for CI and cron: exit status 0 means every figure in use is current and
publicly sourced.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisor.costs.selectors import DEFAULT_MAX_AGE_DAYS, stale_catalog_entries


class Command(BaseCommand):
    help = "List catalog prices, profiles and assumptions that are stale or unsourced."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-age-days",
            type=int,
            default=DEFAULT_MAX_AGE_DAYS,
            help=f"Oldest acceptable as-of date, in days before today (default "
            f"{DEFAULT_MAX_AGE_DAYS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        max_age_days = options["max_age_days"]
        if max_age_days < 0:
            raise CommandError("--max-age-days must be 0 or more.", returncode=2)
        entries = stale_catalog_entries(max_age_days=max_age_days)
        for entry in entries:
            self.stdout.write(str(entry))
        if entries:
            raise CommandError(
                f"{len(entries)} catalog entries are older than {max_age_days} days "
                "or lack a public source.",
                returncode=1,
            )
        self.stdout.write(
            f"Every catalog figure in use is at most {max_age_days} days old and publicly sourced."
        )
