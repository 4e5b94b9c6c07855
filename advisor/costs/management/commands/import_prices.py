"""Import API prices from LiteLLM's price map or from pydantic's genai-prices data.

Usage::

    manage.py import_prices FILE                          # LiteLLM price map
    manage.py import_prices --format litellm FILE         # the same
    manage.py import_prices --format genai-prices         # data bundled in genai-prices
    manage.py import_prices --format genai-prices FILE    # its published data.json (v2)

``--source genai-prices`` is accepted for ``--format genai-prices`` (the
issue's spelling); any other ``--source`` text replaces the source recorded
on the rows.

Parsing is in ``advisor/costs/price_sources.py``. Policy (why: the catalog is
curated, the sources list thousands of models):
- models already in the catalog get their standard, cached-input, cache-write
  and batch prices, source and as-of date updated ("changed" when a price
  moved, "unchanged" otherwise); a price the source does not list is left
  empty, and the cost model then uses its documented fallback (cache reads at
  the input price, batch at half the standard price);
- a catalog key matches a genai-prices model by that model's own match rules
  (``claude-sonnet-4-20250514`` is its ``claude-sonnet-4-0``);
- models not in the catalog are skipped, unless ``--add-new`` adds them
  *inactive* (tier "mid", or for open models served per token "mid" for the
  70B-class and "small" for the 8B-class), for an admin to review;
- malformed entries are reported and skipped; the valid ones are written in
  one transaction, so a crash never leaves the catalog half-imported;
- an unreadable file, or one not in the format, stops with exit status 2 and
  nothing written.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from advisor.costs.models import ApiModel, Tier
from advisor.costs.price_sources import (
    GENAI_PRICES_URL,
    LITELLM_SOURCE,
    LITELLM_URL,
    PRICE_COLUMNS,
    ParsedSource,
    PriceRecord,
    SourceFormatError,
    bundled_genai_prices,
    describe,
    parse_genai_prices,
    parse_litellm,
    price_fingerprint,
)

LITELLM = "litellm"
GENAI_PRICES = "genai-prices"
FORMATS = (LITELLM, GENAI_PRICES)


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Added {len(self.added)}, changed {len(self.changed)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)}, "
            f"malformed {len(self.malformed)}."
        )


@dataclass(frozen=True)
class Provenance:
    source: str
    source_url: str
    as_of: date


class Command(BaseCommand):
    help = (
        "Import or update API model prices (standard, cached input, batch) from a LiteLLM "
        "price-map JSON file or from pydantic's genai-prices data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            type=Path,
            nargs="?",
            help="LiteLLM price-map JSON file; for genai-prices, its data.json "
            "(default: the data bundled in the installed package).",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="Format of the prices (default litellm).",
        )
        parser.add_argument(
            "--add-new",
            action="store_true",
            help="Add models missing from the catalog (inactive, for review).",
        )
        parser.add_argument(
            "--source",
            default=None,
            help="Source recorded on rows (default: the format's title and version). "
            "'--source genai-prices' selects that format.",
        )
        parser.add_argument(
            "--litellm-version",
            default=None,
            help="LiteLLM release the price map comes from, recorded in the source.",
        )
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
        source_text, data_format = options["source"], options["format"]
        if source_text in FORMATS and data_format in (None, source_text):
            source_text, data_format = None, source_text
        data_format = data_format or LITELLM
        as_of = options["as_of"] or date.today()
        if data_format == LITELLM:
            parsed, provenance = self._litellm(options, as_of=as_of)
        else:
            parsed, provenance = self._genai_prices(options["file"], as_of=as_of)
        if source_text:
            provenance = Provenance(source_text, provenance.source_url, as_of)
        with transaction.atomic():
            report = import_records(parsed, provenance=provenance, add_new=options["add_new"])
            if options["dry_run"]:
                transaction.set_rollback(True)
        self._print(report, verbose=options["verbosity"] >= 2, dry_run=options["dry_run"])

    def _litellm(self, options: dict[str, Any], *, as_of: date) -> tuple[ParsedSource, Provenance]:
        path = options["file"]
        if path is None:
            raise CommandError("A LiteLLM price-map FILE is required.", returncode=2)
        data = _read_json(path)
        try:
            parsed = parse_litellm(data)
        except SourceFormatError as error:
            message = f"{path} is not a LiteLLM price map: {error}."
            raise CommandError(message, returncode=2) from None
        version = options["litellm_version"]
        source = f"{LITELLM_SOURCE}, litellm {version}" if version else LITELLM_SOURCE
        return parsed, Provenance(source, LITELLM_URL, as_of)

    def _genai_prices(self, path: Path | None, *, as_of: date) -> tuple[ParsedSource, Provenance]:
        if path is None:
            try:
                version, data = bundled_genai_prices()
            except ImportError:
                raise CommandError(
                    "genai-prices is not installed (pip install genai-prices).", returncode=2
                ) from None
            source = f"genai-prices {version} (pydantic/genai-prices, MIT)"
        else:
            data = _read_json(path)
            source = f"genai-prices data file {path.name} (pydantic/genai-prices, MIT)"
        try:
            parsed = parse_genai_prices(data, today=as_of)
        except SourceFormatError as error:
            raise CommandError(
                f"{path or 'the bundled data'} is not genai-prices data: {error}.", returncode=2
            ) from None
        return parsed, Provenance(source, GENAI_PRICES_URL, as_of)

    def _print(self, report: ImportReport, *, verbose: bool, dry_run: bool) -> None:
        listed = [
            ("added", report.added, self.stdout),
            ("changed", report.changed, self.stdout),
            ("deprecated", report.deprecated, self.stdout),
        ]
        if verbose:
            listed += [
                ("unchanged", report.unchanged, self.stdout),
                ("skipped", report.skipped, self.stdout),
            ]
        listed.append(("malformed", report.malformed, self.stderr))
        for heading, lines, stream in listed:
            for line in lines:
                stream.write(f"{heading}: {line}")
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(prefix + report.summary())


def import_records(parsed: ParsedSource, *, provenance: Provenance, add_new: bool) -> ImportReport:
    """Apply parsed price records to the catalog (call inside a transaction)."""
    report = ImportReport(skipped=list(parsed.skipped), malformed=list(parsed.malformed))
    # The curated catalog is small; the sources are not (an IN of thousands
    # of keys would hit SQLite's parameter limit).
    catalog = list(ApiModel.objects.all())
    used: set[str] = set()
    for row in catalog:
        record = _record_for(row, parsed.records)
        if record is None:
            continue
        used.add(record.key)
        _update(row, record, provenance=provenance, report=report)
    known = {row.key for row in catalog}
    for record in parsed.records:
        if record.key in used or record.key in known:
            continue
        if not add_new:
            report.skipped.append(f"{record.key} (not in the catalog; --add-new adds it)")
            continue
        if record.deprecated:
            report.skipped.append(f"{record.key} (deprecated in the source, not added)")
            continue
        row = _add(record, provenance=provenance)
        known.add(record.key)
        report.added.append(
            f"{record.key} ({_describe_record(record)}; inactive, tier {row.tier}: review it)"
        )
    return report


def _record_for(row: ApiModel, records: list[PriceRecord]) -> PriceRecord | None:
    exact = next((r for r in records if r.key == row.key), None)
    if exact is not None:
        return exact
    return next((r for r in records if r.provider == row.provider and r.refers_to(row.key)), None)


def _update(
    row: ApiModel, record: PriceRecord, *, provenance: Provenance, report: ImportReport
) -> None:
    before = {column: getattr(row, column) for column in PRICE_COLUMNS}
    prices = record.prices
    for column, value in prices.items():
        setattr(row, column, value)
    row.source, row.source_url, row.as_of = (
        provenance.source,
        provenance.source_url,
        provenance.as_of,
    )
    # The importer's own write: refresh_catalog must not take it for a hand edit.
    row.imported_fingerprint = price_fingerprint(prices)
    row.save(
        update_fields=[*PRICE_COLUMNS, "source", "source_url", "as_of", "imported_fingerprint"]
    )
    named = row.key if record.key == row.key else f"{row.key} (as {record.key})"
    if record.deprecated:
        report.deprecated.append(f"{named}: the source marks it deprecated (retired)")
    if before == prices:
        report.unchanged.append(named)
    else:
        report.changed.append(f"{named} ({describe(before)} -> {_describe_record(record)})")


def _add(record: PriceRecord, *, provenance: Provenance) -> ApiModel:
    return ApiModel.objects.create(
        key=record.key,
        name=record.name,
        provider=record.provider,
        tier=record.tier or Tier.MID,
        open_weights=record.open_weights,
        context_window_tokens=record.context_window_tokens,
        active=False,
        source=provenance.source,
        source_url=provenance.source_url,
        as_of=provenance.as_of,
        imported_fingerprint=price_fingerprint(record.prices),
        **record.prices,
    )


def _describe_record(record: PriceRecord) -> str:
    text = describe(record.prices)
    return f"{text}; {'; '.join(record.notes)}" if record.notes else text


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}", returncode=2) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path} is not valid JSON: {error}", returncode=2) from None


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None
