"""Reading example exports and made-up files in the usage tests."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from advisor.usage import UsageWorkload, read_usage

DATA = Path(__file__).parent / "data"


def read_bytes(data: bytes, **kwargs: Any) -> UsageWorkload:
    return read_usage(io.BytesIO(data), **kwargs)


def read_text(text: str, **kwargs: Any) -> UsageWorkload:
    return read_bytes(text.encode(), **kwargs)


def read_json(value: Any, **kwargs: Any) -> UsageWorkload:
    return read_text(json.dumps(value), **kwargs)
