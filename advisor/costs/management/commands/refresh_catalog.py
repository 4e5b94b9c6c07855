"""Re-import API prices from the installed price packages into a new catalog version.

Usage::

    manage.py refresh_catalog                 # genai-prices as installed (offline)
    manage.py refresh_catalog --litellm FILE  # also LiteLLM's map, where genai-prices is silent
    manage.py refresh_catalog --dry-run       # report only

What it does (every write in one transaction; the catalog gets one new version):
- **Price changes.** A catalog row the data lists gets the data's standard,
  cached, cache-write and batch prices and its announced changes
  (:class:`~advisor.costs.models.ApiPriceChange`), with the package and
  version as source.
- **Hand edits win.** Each row stores a digest of the prices the importer
  last wrote (``imported_fingerprint``). A row whose prices no longer match
  it was edited in the admin: the edit is kept and reported as a conflict,
  never overwritten.
- **New models.** A model of OpenAI, Anthropic or Google, or a hosted offer
  of an open model the catalog carries (``OpenModel``), that the catalog
  lacks is added *inactive* for an admin to review.
- **Retirements.** A row the data marks deprecated is made inactive (old
  assessments still read it); a row the data no longer lists is reported.
- When nothing changed it says "No change." and writes nothing.

LiteLLM: the ``litellm`` package is not a dependency (a 44 MB wheel with
openai, tiktoken, tokenizers and aiohttp behind it); where it is installed
its bundled ``model_prices_and_context_window_backup.json`` is read as a
file (the package is not imported: importing it fetches the map from the
network), and ``--litellm FILE`` reads a downloaded copy. LiteLLM only fills
rows genai-prices does not list.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from advisor.costs.models import ApiModel, ApiPriceChange, CatalogVersion, OpenModel, Tier
from advisor.costs.price_sources import (
    GENAI_PRICES_URL,
    LITELLM_SOURCE,
    LITELLM_URL,
    PRICE_COLUMNS,
    PriceRecord,
    SourceFormatError,
    bundled_genai_prices,
    describe,
    parse_genai_prices,
    parse_litellm,
    price_fingerprint,
)

LITELLM_BUNDLED_FILE = "model_prices_and_context_window_backup.json"
FIRST_PARTY = frozenset({"openai", "anthropic", "vertex_ai-language-models"})


@dataclass(frozen=True)
class Origin:
    """Where a batch of records comes from, as the rows will cite it.

    ``adds_new``: whether the batch's models missing from the catalog are
    added (genai-prices, curated by provider) or only fill rows already
    there (LiteLLM's map lists thousands).
    """

    source: str
    url: str
    as_of: date
    adds_new: bool = True


@dataclass
class RefreshReport:
    new_models: list[str] = field(default_factory=list)
    price_changes: list[str] = field(default_factory=list)
    scheduled_changes: list[str] = field(default_factory=list)
    retirements: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    redated: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.new_models,
                self.price_changes,
                self.scheduled_changes,
                self.retirements,
                self.redated,
            )
        )

    def lines(self) -> list[str]:
        sections = (
            ("new model (inactive, review it)", self.new_models),
            ("price change", self.price_changes),
            ("scheduled price change", self.scheduled_changes),
            ("retired", self.retirements),
            ("conflict (hand edit kept)", self.conflicts),
            ("re-dated (same prices, newer data)", self.redated),
            ("no longer listed by the source (kept)", self.unlisted),
        )
        return [f"{heading}: {line}" for heading, lines in sections for line in lines]


class Command(BaseCommand):
    help = (
        "Re-import API prices from the installed genai-prices (and LiteLLM's map, where "
        "available) into a new catalog version, reporting new models, price changes, "
        "retirements and hand-edit conflicts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--litellm",
            type=Path,
            default=None,
            help="A LiteLLM model_prices_and_context_window.json to read besides genai-prices "
            "(default: the copy bundled in an installed litellm package, if any).",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="The date prices are taken at (YYYY-MM-DD; default today).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or date.today()
        batches = [_genai_batch(today)]
        litellm = _litellm_batch(options["litellm"], today)
        if litellm is not None:
            batches.append(litellm)
        with transaction.atomic():
            report = refresh(batches)
            if options["dry_run"]:
                transaction.set_rollback(True)
        for line in report.lines():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Dry run, nothing written.")
        if not report.changed:
            conflicts = f" ({len(report.conflicts)} hand edits kept)" if report.conflicts else ""
            self.stdout.write(f"No change{conflicts}.")
            return
        version = CatalogVersion.objects.first()
        self.stdout.write(
            f"{len(report.new_models)} new, {len(report.price_changes)} price changes, "
            f"{len(report.scheduled_changes)} scheduled changes, "
            f"{len(report.retirements)} retired, {len(report.conflicts)} conflicts"
            + ("" if version is None or options["dry_run"] else f"; now {version}")
            + "."
        )


def _genai_batch(today: date) -> tuple[list[PriceRecord], Origin]:
    try:
        version, data = bundled_genai_prices()
    except ImportError:
        raise CommandError(
            "genai-prices is not installed (pip install genai-prices).", returncode=2
        ) from None
    parsed = parse_genai_prices(data, today=today)
    origin = Origin(f"genai-prices {version} (pydantic/genai-prices, MIT)", GENAI_PRICES_URL, today)
    return parsed.records, origin


def _litellm_batch(path: Path | None, today: date) -> tuple[list[PriceRecord], Origin] | None:
    version = ""
    if path is None:
        path, version = installed_litellm_map()
        if path is None:
            return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        parsed = parse_litellm(data)
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}", returncode=2) from None
    except (UnicodeDecodeError, json.JSONDecodeError, SourceFormatError) as error:
        raise CommandError(f"{path} is not a LiteLLM price map: {error}", returncode=2) from None
    source = f"{LITELLM_SOURCE}, litellm {version}" if version else LITELLM_SOURCE
    return parsed.records, Origin(source, LITELLM_URL, today, adds_new=False)


def installed_litellm_map() -> tuple[Path | None, str]:
    """The price map bundled in an installed ``litellm``, found without importing it."""
    spec = importlib.util.find_spec("litellm")
    if spec is None or spec.origin is None:
        return None, ""
    path = Path(spec.origin).parent / LITELLM_BUNDLED_FILE
    if not path.is_file():
        return None, ""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return path, version("litellm")
    except PackageNotFoundError:
        return path, ""


def refresh(batches: list[tuple[list[PriceRecord], Origin]]) -> RefreshReport:
    """Apply the batches (the first one wins for a key) to the catalog; call in a transaction."""
    report = RefreshReport()
    rows = {row.key: row for row in ApiModel.objects.all()}
    open_models = {model.key: model for model in OpenModel.objects.all()}
    seen: set[str] = set()
    for records, origin in batches:
        for record in records:
            row = rows.get(record.key) or _matched(rows.values(), record)
            if row is not None and row.key in seen:
                continue
            if row is None:
                if record.key in seen or not origin.adds_new:
                    continue
                added = _add_new(record, origin, open_models)
                if added is not None:
                    rows[added.key] = added
                    seen.add(added.key)
                    report.new_models.append(f"{added.key} ({describe(record.prices)})")
                continue
            seen.add(row.key)
            _update(row, record, origin, report)
    for row in rows.values():
        if row.key not in seen and row.active and row.source.startswith("genai-prices"):
            report.unlisted.append(row.key)
    return report


def _matched(rows: Any, record: PriceRecord) -> ApiModel | None:
    # A catalog key may be another name of the record's model (genai-prices' match rules).
    return next(
        (row for row in rows if row.provider == record.provider and record.refers_to(row.key)),
        None,
    )


def _update(row: ApiModel, record: PriceRecord, origin: Origin, report: RefreshReport) -> None:
    current = {column: getattr(row, column) for column in PRICE_COLUMNS}
    if row.imported_fingerprint and price_fingerprint(current) != row.imported_fingerprint:
        if price_fingerprint(record.prices) != price_fingerprint(current):
            report.conflicts.append(
                f"{row.key}: admin's {describe(current)} kept; the source now says "
                f"{describe(record.prices)}"
            )
        return
    fields: list[str] = []
    if price_fingerprint(record.prices) != price_fingerprint(current):
        report.price_changes.append(f"{row.key}: {describe(current)} -> {describe(record.prices)}")
        for column, value in record.prices.items():
            setattr(row, column, value)
        fields += list(PRICE_COLUMNS)
    if fields or row.source != origin.source:
        if not fields:
            report.redated.append(row.key)
        row.source, row.source_url, row.as_of = origin.source, origin.url, origin.as_of
        fields += ["source", "source_url", "as_of"]
    fingerprint = price_fingerprint(record.prices)
    if row.imported_fingerprint != fingerprint:
        row.imported_fingerprint = fingerprint
        fields.append("imported_fingerprint")
    if record.deprecated and row.active:
        row.active = False
        fields.append("active")
        report.retirements.append(
            f"{row.key}: the source marks it deprecated"
            + (" (it was the default API model: choose another)" if row.is_default else "")
        )
        if row.is_default:
            row.is_default = False
            fields.append("is_default")
    if fields:
        row.save(update_fields=fields)
    if _sync_scheduled(row, record, origin):
        report.scheduled_changes.append(
            f"{row.key}: "
            + (
                "; ".join(
                    f"from {change.starts_on.isoformat()} {describe(change.prices)}"
                    for change in record.scheduled
                )
                or "announced change withdrawn"
            )
        )


def _sync_scheduled(row: ApiModel, record: PriceRecord, origin: Origin) -> bool:
    """Make the row's announced changes the record's; True when they differed."""
    stored = list(row.price_changes.order_by("starts_on"))
    have = [
        (change.starts_on, {column: getattr(change, column) for column in PRICE_COLUMNS})
        for change in stored
    ]
    want = [(change.starts_on, dict(change.prices)) for change in record.scheduled]
    if [(d, price_fingerprint(p)) for d, p in have] == [(d, price_fingerprint(p)) for d, p in want]:
        return False
    row.price_changes.all().delete()
    for starts_on, prices in want:
        ApiPriceChange.objects.create(
            api_model=row,
            starts_on=starts_on,
            source=origin.source,
            source_url=origin.url,
            as_of=origin.as_of,
            **{column: value for column, value in prices.items() if column in PRICE_COLUMNS},
        )
    return True


def _add_new(
    record: PriceRecord, origin: Origin, open_models: dict[str, OpenModel]
) -> ApiModel | None:
    """A model worth an admin's review, added inactive; None for one the catalog ignores."""
    if record.deprecated:
        return None
    if record.open_weights:
        model = open_models.get(record.open_model_key)
        if model is None:
            return None
        tier = model.tier
    elif record.provider in FIRST_PARTY:
        tier = record.tier or Tier.MID
    else:
        return None
    row = ApiModel.objects.create(
        key=record.key,
        name=record.name,
        provider=record.provider,
        tier=tier,
        open_weights=record.open_weights,
        open_model_key=record.open_model_key if record.open_weights else "",
        context_window_tokens=record.context_window_tokens,
        active=False,
        source=origin.source,
        source_url=origin.url,
        as_of=origin.as_of,
        imported_fingerprint=price_fingerprint(record.prices),
        **record.prices,
    )
    _sync_scheduled(row, record, origin)
    return row
