"""Parse the two public price sources into typed records, with no Django import.

- LiteLLM's ``model_prices_and_context_window.json``: an object mapping model
  names to entries priced in USD per token (``input_cost_per_token``,
  ``output_cost_per_token``, ``cache_read_input_token_cost``,
  ``cache_creation_input_token_cost``, ``input_cost_per_token_batches``,
  ``output_cost_per_token_batches``), with ``litellm_provider`` and ``mode``.
- pydantic's genai-prices data (its published ``prices/new_data/v2/data.json``,
  or the same data bundled in the installed package as Python objects): a list
  of providers, each with ``models``; a model's ``prices`` are USD per million
  tokens (``input_mtok``, ``output_mtok``, ``cache_read_mtok``,
  ``cache_write_mtok``), either one set or a list of conditional sets (a start
  date or a time of day), each price a number or tiers by prompt length
  (``{"base": n, "tiers": [{"start": tokens, "price": n}]}``); batch prices
  are a ``price_variants`` entry ``when: {"processing": "batch"}``.

Malformed entries are collected, never raised: one bad entry must not stop the
import of the rest.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, TypedDict

LITELLM_SOURCE = "LiteLLM model price map (model_prices_and_context_window.json)"
LITELLM_URL = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
GENAI_PRICES_URL = "https://github.com/pydantic/genai-prices"
# LiteLLM's documentation entry at the top of the file, not a model.
LITELLM_IGNORED_KEYS = frozenset({"sample_spec"})

_MICRO = Decimal("0.000001")
MAX_USD_PER_MILLION = Decimal("999999.999999")  # the catalog's DecimalField range
MAX_KEY_LENGTH = 200  # ApiModel.key

PRICE_COLUMNS = (
    "input_usd_per_million_tokens",
    "output_usd_per_million_tokens",
    "cached_input_usd_per_million_tokens",
    "cache_write_usd_per_million_tokens",
    "batch_input_usd_per_million_tokens",
    "batch_output_usd_per_million_tokens",
)
# LiteLLM field (USD per token) -> catalog column (USD per 1M tokens).
LITELLM_REQUIRED = {
    "input_cost_per_token": "input_usd_per_million_tokens",
    "output_cost_per_token": "output_usd_per_million_tokens",
}
LITELLM_OPTIONAL = {
    "cache_read_input_token_cost": "cached_input_usd_per_million_tokens",
    "cache_creation_input_token_cost": "cache_write_usd_per_million_tokens",
    "input_cost_per_token_batches": "batch_input_usd_per_million_tokens",
    "output_cost_per_token_batches": "batch_output_usd_per_million_tokens",
}
GENAI_STANDARD = {
    "input_mtok": "input_usd_per_million_tokens",
    "output_mtok": "output_usd_per_million_tokens",
    "cache_read_mtok": "cached_input_usd_per_million_tokens",
    "cache_write_mtok": "cache_write_usd_per_million_tokens",
}
GENAI_BATCH = {
    "input_mtok": "batch_input_usd_per_million_tokens",
    "output_mtok": "batch_output_usd_per_million_tokens",
}
BATCH_CONTEXT = {"processing": "batch"}
# genai-prices has no "mode": models whose name says they are not text chat
# (speech, images, embeddings, moderation) are skipped by name.
_NOT_TEXT_CHAT = re.compile(
    r"tts|image|audio|realtime|transcribe|embed|whisper|guard|moderation|search|rerank",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ProviderMapping:
    """How a genai-prices provider's models are named in LiteLLM (our catalog keys)."""

    litellm_provider: str
    key_prefix: str
    open_weights: bool
    # Only models whose id starts so (Google also resells Anthropic's models).
    own_models: str = ""
    # Aggregators (Bedrock, Hugging Face's providers, ...) list closed and open
    # models alike: only the open models the catalog knows (OPEN_MODELS) are read.
    open_models_only: bool = False


# genai-prices provider id -> LiteLLM naming. First-party providers use the
# bare model name (gpt-4.1, claude-sonnet-4-5, gemini-2.5-flash); inference
# providers serving open models use LiteLLM's provider prefix.
GENAI_PROVIDERS: Mapping[str, ProviderMapping] = {
    "openai": ProviderMapping("openai", "", open_weights=False),
    "anthropic": ProviderMapping("anthropic", "", open_weights=False),
    "google": ProviderMapping(
        "vertex_ai-language-models", "", open_weights=False, own_models="gemini"
    ),
    "together": ProviderMapping("together_ai", "together_ai/", open_weights=True),
    "groq": ProviderMapping("groq", "groq/", open_weights=True),
    "fireworks": ProviderMapping(
        "fireworks_ai", "fireworks_ai/accounts/fireworks/models/", open_weights=True
    ),
    "cerebras": ProviderMapping("cerebras", "cerebras/", open_weights=True),
    "aws": ProviderMapping("bedrock", "bedrock/", open_weights=True, open_models_only=True),
    "novita": ProviderMapping("novita", "novita/", open_weights=True, open_models_only=True),
    "databricks": ProviderMapping(
        "databricks", "databricks/", open_weights=True, open_models_only=True
    ),
    "ovhcloud": ProviderMapping("ovhcloud", "ovhcloud/", open_weights=True, open_models_only=True),
    "baseten": ProviderMapping("baseten", "baseten/", open_weights=True, open_models_only=True),
    "cloudflare": ProviderMapping(
        "cloudflare", "cloudflare/", open_weights=True, open_models_only=True
    ),
    **{
        f"huggingface_{name}": ProviderMapping(
            f"huggingface/{name}", f"huggingface/{name}/", open_weights=True, open_models_only=True
        )
        for name in ("together", "nebius", "novita", "nscale", "fireworks-ai", "groq")
    },
}

# The open models the catalog carries (OpenModel keys), by the names providers
# give them (searched in the lower-cased model id). Variants that are a
# different model (vision, "thinking", coder, distilled, guard) do not match.
OPEN_MODELS: Mapping[str, re.Pattern[str]] = {
    "gpt-oss-120b": re.compile(r"(^|[/.-])gpt-oss-120b(-1:0)?$"),
    "gpt-oss-20b": re.compile(r"(^|[/.-])gpt-oss-20b(-1:0)?$"),
    "qwen3-235b-a22b": re.compile(r"(^|[/.])qwen3-235b-a22b(-instruct-2507|-fp8)?$"),
    "deepseek-r1": re.compile(r"(^|[/.])deepseek[-.]r1(-0528|-v1:0)?$"),
    "llama-4-maverick": re.compile(r"llama-?4-maverick"),
    "llama-4-scout": re.compile(r"llama-?4-scout"),
    "llama-3.3-70b": re.compile(r"llama-?3[._-]3-70b|llama3-3-70b|llama-v3p3-70b"),
    "llama-3.1-8b": re.compile(r"llama-?3[.-]1-8b|llama3\.1-8b|llama-v3p1-8b"),
}


def open_model_key(model_id: str) -> str:
    """The catalog's open model a provider's model id serves ("" for none)."""
    ref = model_id.lower()
    if re.search(r"distill|guard|safeguard|vl-|thinking|coder", ref):
        return ""
    return next((key for key, pattern in OPEN_MODELS.items() if pattern.search(ref)), "")


class MalformedEntry(ValueError):
    pass


@dataclass(frozen=True)
class ScheduledRecord:
    """Prices (USD per 1M tokens, by catalog column) that apply from ``starts_on``."""

    starts_on: date
    prices: Mapping[str, Decimal | None]


@dataclass(frozen=True)
class PriceRecord:
    """One model's prices in USD per 1M tokens; ``None`` where the source lists none."""

    key: str
    provider: str
    name: str
    input_usd_per_million_tokens: Decimal
    output_usd_per_million_tokens: Decimal
    cached_input_usd_per_million_tokens: Decimal | None = None
    cache_write_usd_per_million_tokens: Decimal | None = None
    batch_input_usd_per_million_tokens: Decimal | None = None
    batch_output_usd_per_million_tokens: Decimal | None = None
    context_window_tokens: int | None = None
    open_weights: bool = False
    tier: str | None = None
    deprecated: bool = False
    price_since: date | None = None
    notes: tuple[str, ...] = ()
    # genai-prices' match clause: which other names refer to this model.
    match: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
    key_prefix: str = ""
    # The catalog open model an open-weights record serves ("" if none).
    open_model_key: str = ""
    # Announced changes after the import date, in date order.
    scheduled: tuple[ScheduledRecord, ...] = ()

    @property
    def prices(self) -> dict[str, Decimal | None]:
        return {column: getattr(self, column) for column in PRICE_COLUMNS}

    def refers_to(self, key: str) -> bool:
        """Whether a catalog key names this model (its own key, or its match clause)."""
        if key == self.key:
            return True
        if self.match is None or not key.startswith(self.key_prefix):
            return False
        return clause_matches(self.match, key[len(self.key_prefix) :])


@dataclass
class ParsedSource:
    records: list[PriceRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)

    def take(
        self, label: str, read: Callable[[], PriceRecord | None], *, skipped_because: str
    ) -> None:
        """Files one entry under records, skipped (``read`` gave None) or malformed."""
        try:
            record = read()
        except MalformedEntry as error:
            self.malformed.append(f"{label}: {error}")
            return
        if record is None:
            self.skipped.append(f"{label} ({skipped_because})")
        else:
            self.records.append(record)


class SourceFormatError(ValueError):
    """The whole file is not in the expected format (nothing can be imported)."""


# --- LiteLLM -------------------------------------------------------------------


def parse_litellm(data: Any) -> ParsedSource:
    """Records of the chat models of a LiteLLM price map (other modes are skipped)."""
    if not isinstance(data, dict):
        raise SourceFormatError("expected a JSON object of models")
    parsed = ParsedSource()
    for key, entry in data.items():
        if key in LITELLM_IGNORED_KEYS:
            continue
        # An entry that is not an object is malformed: its mode is never shown.
        mode = entry.get("mode") if isinstance(entry, dict) else None
        parsed.take(
            key, partial(_litellm_record, key, entry), skipped_because=f"mode {mode!r}, not chat"
        )
    return parsed


def _litellm_record(key: str, entry: Any) -> PriceRecord | None:
    if not isinstance(entry, dict):
        raise MalformedEntry("entry is not an object")
    if len(key) > MAX_KEY_LENGTH:
        raise MalformedEntry(f"model name longer than {MAX_KEY_LENGTH} characters")
    if entry.get("mode") != "chat":
        return None
    prices: dict[str, Decimal | None] = {
        column: _per_million(entry.get(name), name, scale=1_000_000)
        for name, column in LITELLM_REQUIRED.items()
    }
    for name, column in LITELLM_OPTIONAL.items():
        value = entry.get(name)
        prices[column] = None if value is None else _per_million(value, name, scale=1_000_000)
    context = entry.get("max_input_tokens")
    return PriceRecord(
        key=key,
        provider=str(entry.get("litellm_provider") or "unknown")[:60],
        name=key,
        context_window_tokens=_positive_int(context),
        **_price_fields(prices),
    )


# --- genai-prices ----------------------------------------------------------------


def parse_genai_prices(data: Any, *, today: date) -> ParsedSource:
    """Records of the text models of the mapped providers, at the prices current ``today``.

    Where a price is conditional, the last set whose start date has passed is
    taken (genai-prices' own rule); time-of-day prices (off-peak discounts)
    are ignored for the standard set. Where a price is tiered by prompt
    length, the base tier is taken. Both are noted on the record.
    """
    if not isinstance(data, list) or not all(isinstance(p, dict) for p in data):
        raise SourceFormatError("expected a JSON list of provider objects")
    parsed = ParsedSource()
    for provider in data:
        provider_id = provider.get("id")
        mapping = GENAI_PROVIDERS.get(provider_id) if isinstance(provider_id, str) else None
        models = provider.get("models")
        if mapping is None or not isinstance(models, list):
            parsed.skipped.append(f"provider {provider_id!r} (not mapped to LiteLLM names)")
            continue
        for model in models:
            model_id = model.get("id") if isinstance(model, dict) else None
            label = f"{provider_id}/{model_id if isinstance(model_id, str) else '?'}"
            parsed.take(
                label,
                partial(_genai_record, model, mapping, today=today),
                skipped_because="not a text chat model priced per token",
            )
    return parsed


class _PriceFields(TypedDict):
    """A :class:`PriceRecord`'s prices, as its keyword arguments."""

    input_usd_per_million_tokens: Decimal
    output_usd_per_million_tokens: Decimal
    cached_input_usd_per_million_tokens: Decimal | None
    cache_write_usd_per_million_tokens: Decimal | None
    batch_input_usd_per_million_tokens: Decimal | None
    batch_output_usd_per_million_tokens: Decimal | None


def _price_fields(prices: Mapping[str, Decimal | None]) -> _PriceFields:
    """A record's prices from the prices by column; the input and output prices are required."""
    return {
        "input_usd_per_million_tokens": _required(prices, "input_usd_per_million_tokens"),
        "output_usd_per_million_tokens": _required(prices, "output_usd_per_million_tokens"),
        "cached_input_usd_per_million_tokens": prices["cached_input_usd_per_million_tokens"],
        "cache_write_usd_per_million_tokens": prices["cache_write_usd_per_million_tokens"],
        "batch_input_usd_per_million_tokens": prices["batch_input_usd_per_million_tokens"],
        "batch_output_usd_per_million_tokens": prices["batch_output_usd_per_million_tokens"],
    }


def _required(prices: Mapping[str, Decimal | None], column: str) -> Decimal:
    price = prices[column]
    # Never None: _per_million raises on a missing input or output price, and
    # _genai_record returns before pricing a model that lacks one.
    assert price is not None
    return price


def _genai_record(model: Any, mapping: ProviderMapping, *, today: date) -> PriceRecord | None:
    if not isinstance(model, dict) or not isinstance(model.get("id"), str):
        raise MalformedEntry("model is not an object with an id")
    model_id = model["id"]
    if not model_id.startswith(mapping.own_models) or _NOT_TEXT_CHAT.search(model_id):
        return None
    serves = open_model_key(model_id) if mapping.open_weights else ""
    if mapping.open_models_only and not serves:
        return None
    key = mapping.key_prefix + model_id
    if len(key) > MAX_KEY_LENGTH:
        raise MalformedEntry(f"model name longer than {MAX_KEY_LENGTH} characters")
    notes: list[str] = []
    standard, price_since = _current_prices(model.get("prices"), today=today, notes=notes)
    if standard.get("input_mtok") is None or standard.get("output_mtok") is None:
        return None
    prices: dict[str, Decimal | None] = {}
    for name, column in GENAI_STANDARD.items():
        prices[column] = _genai_price(standard.get(name), name, notes)
    batch = _batch_prices(model.get("price_variants"), today=today)
    for name, column in GENAI_BATCH.items():
        prices[column] = _genai_price(batch.get(name), f"batch {name}", notes)
    scheduled = _scheduled(model, prices, today=today, notes=notes)
    match = model.get("match")
    return PriceRecord(
        key=key,
        provider=mapping.litellm_provider,
        name=str(model.get("name") or model_id)[:120],
        context_window_tokens=_positive_int(model.get("context_window")),
        open_weights=mapping.open_weights,
        tier=open_model_tier(model_id) if mapping.open_weights else None,
        deprecated=model.get("deprecated") is True,
        price_since=price_since,
        notes=tuple(notes),
        match=match if isinstance(match, dict) else None,
        key_prefix=mapping.key_prefix,
        open_model_key=serves,
        scheduled=scheduled,
        **_price_fields(prices),
    )


def _scheduled(
    model: dict[str, Any], current: Mapping[str, Decimal | None], *, today: date, notes: list[str]
) -> tuple[ScheduledRecord, ...]:
    """The price sets that start after ``today`` (standard or batch), each with all columns.

    Each start date the source names (a conditional price set or a batch
    variant) is priced as the package would price it on that day; a date on
    which nothing changes is left out.
    """
    starts = sorted(
        {d for d in _start_dates(model.get("prices")) if d > today}
        | {d for d in _start_dates(model.get("price_variants")) if d > today}
    )
    changes: list[ScheduledRecord] = []
    before = dict(current)
    for start in starts:
        standard, _ = _current_prices(model.get("prices"), today=start, notes=[])
        batch = _batch_prices(model.get("price_variants"), today=start)
        prices: dict[str, Decimal | None] = {
            column: _genai_price(standard.get(name), name, notes)
            for name, column in GENAI_STANDARD.items()
        }
        for name, column in GENAI_BATCH.items():
            prices[column] = _genai_price(batch.get(name), f"batch {name}", notes)
        if prices["input_usd_per_million_tokens"] is None:
            continue
        if prices["output_usd_per_million_tokens"] is None or prices == before:
            continue
        changes.append(ScheduledRecord(start, prices))
        before = prices
    return tuple(changes)


def _start_dates(entries: Any) -> list[date]:
    if not isinstance(entries, list):
        return []
    dates = []
    for entry in entries:
        constraint = entry.get("constraint") if isinstance(entry, dict) else None
        if isinstance(constraint, dict) and "start_date" in constraint:
            dates.append(_as_date(constraint["start_date"]))
    return dates


def _current_prices(
    prices: Any, *, today: date, notes: list[str]
) -> tuple[dict[str, Any], date | None]:
    if isinstance(prices, dict):
        return prices, None
    if not isinstance(prices, list) or not prices:
        raise MalformedEntry("prices is neither an object nor a non-empty list")
    chosen, since = None, None
    for conditional in prices:
        if not isinstance(conditional, dict) or not isinstance(conditional.get("prices"), dict):
            raise MalformedEntry("a conditional price has no prices object")
        constraint = conditional.get("constraint")
        if constraint is None:
            chosen, since = conditional["prices"], None
        elif "start_date" in constraint:
            start = _as_date(constraint["start_date"])
            if start <= today:
                chosen, since = conditional["prices"], start
        else:
            note = "time-of-day (off-peak) price not used: standard price taken"
            if note not in notes:
                notes.append(note)
    if chosen is None:
        # No set is active yet: genai-prices then uses the first one.
        first = prices[0]["prices"]
        return first, None
    return chosen, since


def _batch_prices(variants: Any, *, today: date) -> dict[str, Any]:
    """The batch variant in force ``today``: the latest one started, else one with no date."""
    if not isinstance(variants, list):
        return {}
    chosen: tuple[date, dict[str, Any]] | None = None
    for variant in variants:
        if not isinstance(variant, dict) or variant.get("when") != BATCH_CONTEXT:
            continue
        constraint = variant.get("constraint")
        prices = variant.get("prices")
        prices = prices if isinstance(prices, dict) else {}
        if isinstance(constraint, dict) and "start_date" in constraint:
            start = _as_date(constraint["start_date"])
            if start > today:
                continue
        elif constraint is not None:
            continue
        else:
            start = date.min
        if chosen is None or start >= chosen[0]:
            chosen = (start, prices)
    return {} if chosen is None else chosen[1]


def _genai_price(value: Any, name: str, notes: list[str]) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, dict):
        tiers = value.get("tiers")
        if "base" not in value or not isinstance(tiers, list):
            raise MalformedEntry(f"{name} is an object without base and tiers")
        starts = sorted(t["start"] for t in tiers if isinstance(t, dict) and "start" in t)
        if starts:
            note = f"tiered by prompt length: base tier taken (prompts below {starts[0]:,} tokens)"
            if note not in notes:
                notes.append(note)
        value = value["base"]
    return _per_million(value, name, scale=1)


def open_model_tier(model_id: str) -> str:
    """An open model's tier by its size: up to 15B parameters "small" (8B-class), else "mid".

    Sizes are read from the name (``llama-3.1-8b-instant`` is 8B); a name
    without one is "mid", for an admin to review.
    """
    size = _MODEL_SIZE.search(model_id)
    return "small" if size and Decimal(size.group(1)) <= 15 else "mid"


_MODEL_SIZE = re.compile(r"(?:^|[-_/.])(\d+(?:\.\d+)?)b(?=$|[-_.:/])", re.IGNORECASE)


# --- match clauses (genai-prices' MatchLogic) -----------------------------------


def clause_matches(clause: Mapping[str, Any], ref: str) -> bool:
    """Evaluate a genai-prices match clause against a model name, as the package does.

    Comparisons ignore case; a regex is searched as written.
    """
    ref = ref.lower()
    if "or" in clause:
        return any(clause_matches(part, ref) for part in clause["or"])
    if "and" in clause:
        return all(clause_matches(part, ref) for part in clause["and"])
    if "regex" in clause:
        # The data's own patterns, on short model names.
        return re.search(clause["regex"], ref) is not None
    for name, test in _TEXT_CLAUSES.items():
        if name in clause:
            return test(ref, str(clause[name]).lower())
    return False


_TEXT_CLAUSES: Mapping[str, Callable[[str, str], bool]] = {
    "equals": str.__eq__,
    "starts_with": str.startswith,
    "ends_with": str.endswith,
    "contains": lambda ref, part: part in ref,
}


# --- the bundled data ------------------------------------------------------------


def bundled_genai_prices() -> tuple[str, list[dict[str, Any]]]:
    """The installed genai-prices' version and its bundled data, in the JSON shape.

    Raises ``ImportError`` when the package is not installed. Never starts its
    live updater: the data is the one shipped in the wheel.
    """
    from importlib.metadata import version

    from genai_prices.data import providers

    return version("genai-prices"), [
        {
            "id": provider.id,
            "name": provider.name,
            "pricing_urls": provider.pricing_urls,
            "models": _plain(provider.models),
        }
        for provider in providers
    ]


def _plain(value: Any) -> Any:
    """genai-prices' dataclasses as the JSON its data file holds."""
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Decimal | str | int | float | bool) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    attributes = {
        key.rstrip("_"): item
        for key, item in vars(value).items()
        if not key.startswith("_") and item is not None
    }
    return {key: _plain(item) for key, item in attributes.items()}


# --- numbers ---------------------------------------------------------------------


def _per_million(value: Any, name: str, *, scale: int) -> Decimal:
    # bool is an int in Python, and never a price.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise MalformedEntry(f"{name} is missing or not a number ({value!r})")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise MalformedEntry(f"{name} must be a finite number of 0 or more ({value!r})")
    if value < 0:
        raise MalformedEntry(f"{name} must be a finite number of 0 or more ({value!r})")
    try:
        # str() keeps the decimal the file wrote (2e-06 -> 0.000002, not binary noise).
        per_million = (Decimal(str(value)) * scale).quantize(_MICRO)
    except InvalidOperation:
        raise MalformedEntry(f"{name} is out of range ({value!r})") from None
    if per_million > MAX_USD_PER_MILLION:
        raise MalformedEntry(f"{name} is out of range ({value!r})")
    return per_million


def _positive_int(value: Any) -> int | None:
    valid = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return value if valid else None


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise MalformedEntry(f"start_date {value!r} is not a date") from None


def price_fingerprint(prices: Mapping[str, Decimal | None]) -> str:
    """A digest of a row's six prices, as the importer wrote them (normalised decimals)."""
    text = "|".join(_fingerprint_part(prices.get(column)) for column in PRICE_COLUMNS)
    return hashlib.sha256(text.encode()).hexdigest()


def _fingerprint_part(value: Decimal | None) -> str:
    return "-" if value is None else f"{Decimal(value).normalize():f}"


def describe(prices: Mapping[str, Decimal | None]) -> str:
    """``$2 in / $8 out per 1M tokens`` and, where listed, cached and batch prices."""
    text = (
        f"${_money(prices['input_usd_per_million_tokens'])} in / "
        f"${_money(prices['output_usd_per_million_tokens'])} out per 1M tokens"
    )
    cached = prices.get("cached_input_usd_per_million_tokens")
    if cached is not None:
        text += f", cached ${_money(cached)}"
    batch_in = prices.get("batch_input_usd_per_million_tokens")
    batch_out = prices.get("batch_output_usd_per_million_tokens")
    if batch_in is not None or batch_out is not None:
        text += f", batch ${_money(batch_in)} / ${_money(batch_out)}"
    return text


def _money(value: Decimal | None) -> str:
    return "-" if value is None else f"{value.normalize():f}"


__all__: Sequence[str] = (
    "GENAI_PRICES_URL",
    "LITELLM_SOURCE",
    "LITELLM_URL",
    "OPEN_MODELS",
    "ParsedSource",
    "PriceRecord",
    "SourceFormatError",
    "bundled_genai_prices",
    "parse_genai_prices",
    "parse_litellm",
    "price_fingerprint",
)
