"""The result's charts as images, drawn once per snapshot and kept in the cache.

A chart depends on nothing but the snapshot's numbers, so the snapshot's
fingerprint is its cache key and its ETag: the result page's ``<img>`` and
the PDF get the same bytes, drawn at most once per result (per cache).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.template.loader import render_to_string

from advisor.reports.charts import DESKTOP, ChartSize, cumulative_chart
from advisor.snapshot import ResultSnapshot

logger = logging.getLogger(__name__)

CHART_CACHE_SECONDS = 7 * 24 * 3600
CHART_FORMAT_VERSION = "3"  # bump when the drawing changes
CUMULATIVE_CHART_TEMPLATE = "reports/_cumulative_chart_svg.html"


def chart_etag(snapshot: ResultSnapshot, size: ChartSize = DESKTOP) -> str:
    return f'"cumulative-{CHART_FORMAT_VERSION}-{_size_key(size)}{snapshot.fingerprint[:32]}"'


def _size_key(size: ChartSize) -> str:
    return "" if size == DESKTOP else f"{size.width}w-"


def cumulative_chart_svg(snapshot: ResultSnapshot, size: ChartSize = DESKTOP) -> str:
    """The cumulative-cost chart of ``snapshot`` as an SVG document (cached per size)."""
    key = f"chart:cumulative:{CHART_FORMAT_VERSION}:{_size_key(size)}{snapshot.fingerprint}"
    try:
        cached = cache.get(key)
    except Exception:  # a cache outage costs a redraw, never the chart
        logger.warning("Chart cache unavailable", exc_info=True)
        cached = None
    if cached is not None:
        return str(cached)
    svg = draw_cumulative_chart(snapshot, size=size)
    try:
        cache.set(key, svg, CHART_CACHE_SECONDS)
    except Exception:
        logger.warning("Chart cache unavailable", exc_info=True)
    return svg


def draw_cumulative_chart(
    snapshot: ResultSnapshot, *, title: str | None = None, size: ChartSize = DESKTOP
) -> str:
    """The chart drawn afresh; ``title`` is drawn above the plot (the surfaces head it already)."""
    # Autoescaped: a title or label can never become markup.
    return render_to_string(
        CUMULATIVE_CHART_TEMPLATE, {"chart": cumulative_chart(snapshot, title=title, size=size)}
    ).strip()
