"""Reading one field of a record: counts, times and flags, each with a clear refusal."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from advisor.usage.errors import UsageFileError

# A token count above this in one record is not a real export (it would be
# a thousand times the largest context window served for a whole month).
MAX_COUNT = 10**15


def count(
    record: Mapping[str, Any], key: str, *, line: int, path: str = "", required: bool = True
) -> int | None:
    """A non-negative integer field (a JSON number, or digits in a CSV cell)."""
    value = record.get(key)
    if type(value) is int and 0 <= value <= MAX_COUNT:  # the usual case, without a call
        return value
    name = f"{path}{key}"
    if value is None or value == "":
        if required:
            raise UsageFileError("this field is missing", line=line, field=name)
        return None
    return to_count(value, line=line, field=name)


def to_count(value: Any, *, line: int, field: str) -> int:
    if isinstance(value, bool):
        raise UsageFileError(f"expected a count, found {value!r}", line=line, field=field)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        digits = value.strip()
        if len(digits) > len(str(MAX_COUNT)) + 1:
            # Before int(): past 4,300 digits it raises ValueError, not a message.
            raise UsageFileError(
                f"{digits[:20]}… ({len(digits):,} digits) is not a plausible count",
                line=line,
                field=field,
            )
        number = int(digits)
    else:
        raise UsageFileError(
            f"expected a whole number, found {value!r:.40}", line=line, field=field
        )
    if number < 0:
        raise UsageFileError(f"a count cannot be negative ({number})", line=line, field=field)
    if number > MAX_COUNT:
        raise UsageFileError(f"{number:,} is not a plausible count", line=line, field=field)
    return number


def epoch_seconds(value: Any, *, line: int, field: str) -> int:
    """A time as Unix seconds: an epoch number, or ISO 8601 text (no offset means UTC)."""
    if isinstance(value, bool):
        raise UsageFileError(f"expected a time, found {value!r}", line=line, field=field)
    if isinstance(value, float) and not math.isfinite(value):
        # Python's JSON decoder reads Infinity and NaN; int() of them raises.
        raise UsageFileError(f"expected a time, found {value!r}", line=line, field=field)
    if isinstance(value, (int, float)):
        seconds = int(value)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise UsageFileError(
                f"expected an ISO 8601 time such as 2026-10-01T00:00:00Z, found {value!r:.40}",
                line=line,
                field=field,
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = int(moment.timestamp())
    else:
        raise UsageFileError(f"expected a time, found {value!r:.40}", line=line, field=field)
    # 2000-01-01 to 2100-01-01: anything else is a unit mix-up (milliseconds) or garbage.
    if not 946_684_800 <= seconds < 4_102_444_800:
        raise UsageFileError(
            f"{value!r:.40} is not a time between 2000 and 2100 (Unix seconds expected)",
            line=line,
            field=field,
        )
    return seconds


def mapping(value: Any, *, line: int, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise UsageFileError(f"expected an object, found {_kind(value)}", line=line, field=field)
    return value


def items(record: Mapping[str, Any], key: str, *, line: int, path: str = "") -> list[Any]:
    value = record.get(key)
    if not isinstance(value, list):
        found = "nothing" if key not in record else _kind(value)
        raise UsageFileError(f"expected a list, found {found}", line=line, field=f"{path}{key}")
    return value


def optional_flag(record: Mapping[str, Any], key: str, *, line: int, path: str = "") -> bool | None:
    value = record.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise UsageFileError(
        f"expected true, false or null, found {value!r:.40}", line=line, field=f"{path}{key}"
    )


def optional_text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) and value else None


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", type(None): "null"}.get(
        type(value), f"{type(value).__name__}"
    )
