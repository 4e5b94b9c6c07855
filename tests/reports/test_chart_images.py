"""The cumulative chart as an image: drawn once per result, kept in the cache, ETag by result."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from advisor.reports import chart_images
from advisor.reports.charts import PHONE

SNAPSHOT = SimpleNamespace(fingerprint="ab" * 32)


@pytest.fixture
def drawings(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    drawn: list[Any] = []

    def draw(snapshot: Any, *, title: str | None = None, size: Any = None) -> str:
        drawn.append(snapshot)
        return f"<svg>{len(drawn)}</svg>"

    monkeypatch.setattr(chart_images, "draw_cumulative_chart", draw)
    return drawn


def test_the_etag_names_the_format_and_the_result() -> None:
    assert chart_images.chart_etag(SNAPSHOT) == (  # type: ignore[arg-type]
        f'"cumulative-{chart_images.CHART_FORMAT_VERSION}-{"ab" * 16}"'
    )


def test_a_result_is_drawn_once_then_served_from_the_cache(drawings: list[Any]) -> None:
    first = chart_images.cumulative_chart_svg(SNAPSHOT)  # type: ignore[arg-type]
    second = chart_images.cumulative_chart_svg(SNAPSHOT)  # type: ignore[arg-type]
    assert first == second == "<svg>1</svg>"
    assert len(drawings) == 1


def test_a_cache_outage_costs_a_redraw_never_the_chart(
    drawings: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr(chart_images, "cache", SimpleNamespace(get=down, set=down))
    assert chart_images.cumulative_chart_svg(SNAPSHOT) == "<svg>1</svg>"  # type: ignore[arg-type]
    assert chart_images.cumulative_chart_svg(SNAPSHOT) == "<svg>2</svg>"  # type: ignore[arg-type]


def test_the_phone_drawing_is_cached_and_tagged_apart_from_the_desktop_one(
    drawings: list[Any],
) -> None:
    snapshot: Any = SimpleNamespace(fingerprint="cd" * 32)
    desktop = chart_images.cumulative_chart_svg(snapshot)
    phone = chart_images.cumulative_chart_svg(snapshot, PHONE)
    assert (desktop, phone) == ("<svg>1</svg>", "<svg>2</svg>")
    assert chart_images.cumulative_chart_svg(snapshot, PHONE) == "<svg>2</svg>"
    assert len(drawings) == 2, "each size drawn once, then served from the cache"
    assert chart_images.chart_etag(snapshot, PHONE) != chart_images.chart_etag(snapshot)
