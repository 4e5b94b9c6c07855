"""Input bounds: what a usage export may be before it is refused.

A real export is far inside every one of these; they exist so a hostile or
broken file costs bounded time and memory (a 1 GB run of whitespace is
refused after its first MiB, not read to the end; 1,500 nested brackets are
refused with a message, not a ``RecursionError``).
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # The whole file. The command line reads up to 2 GiB (a million LiteLLM
    # rows are about 400 MB); the web upload has its own, smaller limit.
    max_bytes: int = 2048 * MiB
    # One record: an OpenAI page of 168 hourly buckets x 50 models is ~2 MB.
    max_record_bytes: int = 32 * MiB
    # Whitespace (or blank lines) between two records.
    max_blank_bytes: int = 1 * MiB
    # One CSV line.
    max_line_bytes: int = 1 * MiB
    # Records (JSON values or lines, CSV rows): a LiteLLM row is ~400 bytes,
    # so 2 GiB of them is ~5 million; beyond that a file is not an export.
    max_records: int = 10_000_000
    # Containers inside containers in one JSON record. The deepest real
    # export, an OpenAI page, nests 5 (page, data, bucket, results, result);
    # Python's own JSON decoder fails near 1,000 with a RecursionError.
    max_json_depth: int = 32


DEFAULT_LIMITS = Limits()


def mib_text(size: int) -> str:
    """A limit in MiB for a message: "10 MiB", "0.5 MiB"."""
    return f"{size / MiB:g} MiB"
