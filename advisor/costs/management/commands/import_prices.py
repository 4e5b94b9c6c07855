"""Import API prices from a file in the LiteLLM price-map format.

The format is LiteLLM's ``model_prices_and_context_window.json``: an object
mapping model names to entries with ``input_cost_per_token``,
``output_cost_per_token`` (USD), ``litellm_provider`` and ``mode``.

Policy (why: the catalog is curated, the price map lists thousands of models):
- only ``mode: "chat"`` entries are prices of models this advisor can
  recommend; other modes (embedding, image, ...) are skipped;
- models already in the catalog get their prices, source and as-of date
  updated ("changed" when a price moved, "unchanged" otherwise);
- models not in the catalog are skipped, unless ``--add-new`` adds them
  *inactive* with tier "mid", for an admin to review and activate;
- malformed entries (missing, non-numeric or negative prices) are reported
  and skipped; the valid ones are written in one transaction, so a crash
  never leaves the catalog half-imported;
- an unreadable file or one that is not a JSON object stops with exit
  status 2 and nothing written.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from advisor.costs.models import ApiModel, Tier

DEFAULT_SOURCE = "LiteLLM model price map (model_prices_and_context_window.json)"
PRICE_FIELDS = {
    "input_cost_per_token": "input_usd_per_million_tokens",
    "output_cost_per_token": "output_usd_per_million_tokens",
}
# LiteLLM's documentation entry at the top of the file, not a model.
IGNORED_KEYS = frozenset({"sample_spec"})
_MICRO = Decimal("0.000001")
_MAX_PRICE_PER_MILLION = Decimal("999999.999999")  # the DecimalField's range
_MAX_KEY_LENGTH = ApiModel._meta.get_field("key").max_length


class MalformedEntry(ValueError):
    pass


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Added {len(self.added)}, changed {len(self.changed)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)}, "
            f"malformed {len(self.malformed)}."
        )


class Command(BaseCommand):
    help = "Import or update API model prices from a LiteLLM price-map JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="LiteLLM price-map JSON file.")
        parser.add_argument(
            "--add-new",
            action="store_true",
            help="Add chat models missing from the catalog (inactive, tier mid, for review).",
        )
        parser.add_argument("--source", default=DEFAULT_SOURCE, help="Source recorded on rows.")
        parser.add_argument(
            "--as-of",
            type=_parse_date,
            default=None,
            help="Date the prices were true on (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        entries = _read_price_map(options["file"])
        as_of = options["as_of"] or date.today()
        with transaction.atomic():
            report = import_price_map(
                entries, source=options["source"], as_of=as_of, add_new=options["add_new"]
            )
            if options["dry_run"]:
                transaction.set_rollback(True)
        self._print(report, verbose=options["verbosity"] >= 2, dry_run=options["dry_run"])

    def _print(self, report: ImportReport, *, verbose: bool, dry_run: bool) -> None:
        for line in report.added:
            self.stdout.write(f"added: {line}")
        for line in report.changed:
            self.stdout.write(f"changed: {line}")
        if verbose:
            for line in report.unchanged:
                self.stdout.write(f"unchanged: {line}")
            for line in report.skipped:
                self.stdout.write(f"skipped: {line}")
        for line in report.malformed:
            self.stderr.write(f"malformed: {line}")
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(prefix + report.summary())


def import_price_map(
    entries: dict[str, Any], *, source: str, as_of: date, add_new: bool
) -> ImportReport:
    """Apply a parsed price map to the catalog (call inside a transaction)."""
    report = ImportReport()
    # The curated catalog is small; the price map is not (an IN of thousands
    # of keys would hit SQLite's parameter limit).
    catalog = {row.key: row for row in ApiModel.objects.all()}
    for key, entry in entries.items():
        if key in IGNORED_KEYS:
            continue
        try:
            prices = _prices(key, entry)
        except MalformedEntry as error:
            report.malformed.append(f"{key}: {error}")
            continue
        if prices is None:
            report.skipped.append(f"{key} (mode {entry.get('mode')!r}, not chat)")
            continue
        row = catalog.get(key)
        if row is None and not add_new:
            report.skipped.append(f"{key} (not in the catalog; --add-new adds it)")
            continue
        if row is None:
            _add(key, entry, prices, source=source, as_of=as_of)
            report.added.append(f"{key} ({_describe(prices)}, inactive: review its tier)")
            continue
        before = {name: getattr(row, name) for name in prices}
        for name, value in prices.items():
            setattr(row, name, value)
        row.source, row.as_of = source, as_of
        row.save(update_fields=[*prices, "source", "as_of"])
        if before == prices:
            report.unchanged.append(key)
        else:
            report.changed.append(f"{key} ({_describe(before)} -> {_describe(prices)})")
    return report


def _read_price_map(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}", returncode=2) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path} is not valid JSON: {error}", returncode=2) from None
    if not isinstance(data, dict):
        raise CommandError(
            f"{path} is not a LiteLLM price map: expected a JSON object of models.",
            returncode=2,
        )
    return data


def _prices(key: str, entry: Any) -> dict[str, Decimal] | None:
    """Prices per 1M tokens of a chat entry; None for other modes."""
    if not isinstance(entry, dict):
        raise MalformedEntry("entry is not an object")
    if len(key) > _MAX_KEY_LENGTH:
        raise MalformedEntry(f"model name longer than {_MAX_KEY_LENGTH} characters")
    if entry.get("mode") != "chat":
        return None
    return {column: _per_million(entry, name) for name, column in PRICE_FIELDS.items()}


def _per_million(entry: dict[str, Any], name: str) -> Decimal:
    value = entry.get(name)
    # bool is an int in Python, and never a price.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedEntry(f"{name} is missing or not a number ({value!r})")
    if not math.isfinite(value) or value < 0:
        raise MalformedEntry(f"{name} must be a finite number of 0 or more ({value!r})")
    try:
        # str() keeps the decimal the file wrote (2e-06 -> 0.000002, not binary noise).
        per_million = (Decimal(str(value)) * 1_000_000).quantize(_MICRO)
    except InvalidOperation:
        raise MalformedEntry(f"{name} is out of range ({value!r})") from None
    if per_million > _MAX_PRICE_PER_MILLION:
        raise MalformedEntry(f"{name} is out of range ({value!r})")
    return per_million


def _add(
    key: str, entry: dict[str, Any], prices: dict[str, Decimal], *, source: str, as_of: date
) -> None:
    context = entry.get("max_input_tokens")
    valid_context = isinstance(context, int) and not isinstance(context, bool) and context > 0
    ApiModel.objects.create(
        key=key,
        name=key,
        provider=str(entry.get("litellm_provider") or "unknown")[:60],
        tier=Tier.MID,
        context_window_tokens=context if valid_context else None,
        active=False,
        source=source,
        as_of=as_of,
        **prices,
    )


def _describe(prices: dict[str, Decimal]) -> str:
    return (
        f"${prices['input_usd_per_million_tokens'].normalize():f} in / "
        f"${prices['output_usd_per_million_tokens'].normalize():f} out per 1M tokens"
    )


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None
