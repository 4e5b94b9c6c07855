"""The example exports in tests/usage/data/, written from each format's documentation."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.usage import UsageWorkload, read_usage
from tests.usage.files import DATA


@pytest.fixture
def example() -> Any:
    def read(name: str, **kwargs: Any) -> UsageWorkload:
        with (DATA / name).open("rb") as file:
            return read_usage(file, **kwargs)

    return read
