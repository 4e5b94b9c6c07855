"""The bridge between the price catalog (ORM) and the pure cost model.

Views and other apps call these functions; nothing else maps catalog rows to
``projection`` dataclasses. The catalog is the one source of truth for the
figures (seeded from ``fixtures/10-catalog.json``): when a row the model
needs is missing, :class:`CatalogNotSeeded` says so rather than inventing one.

Every function takes the request's :class:`CatalogSnapshot` as ``catalog``
(read once by :func:`advisor.costs.selectors.catalog_snapshot` and passed
down); without one it reads the snapshot itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.costs import configured
from advisor.costs.assumptions import Assumptions
from advisor.costs.catalog import CATALOG_KINDS, CatalogNotSeeded, CatalogSnapshot
from advisor.costs.configured import ENTERED_IN_ASSESSMENT, NUMERIC_OVERRIDES
from advisor.costs.selectors import catalog_snapshot

__all__ = [
    "CATALOG_KINDS",
    "ENTERED_IN_ASSESSMENT",
    "NUMERIC_OVERRIDES",
    "CatalogNotSeeded",
    "CatalogSnapshot",
    "assumptions_for",
    "catalog_choices",
    "catalog_defaults",
]


def catalog_choices(kind: str, *, catalog: CatalogSnapshot | None = None) -> list[tuple[str, str]]:
    """``(key, label)`` pairs of the active catalog entries of ``kind``."""
    if kind not in CATALOG_KINDS:
        raise ValueError(f"unknown catalog kind {kind!r}; expected one of {CATALOG_KINDS}")
    return list((catalog or catalog_snapshot()).choices[kind])


def catalog_defaults(*, catalog: CatalogSnapshot | None = None) -> dict[str, Any]:
    """``configured.catalog_defaults`` of the request's catalog (read if not given)."""
    return configured.catalog_defaults(catalog=catalog or catalog_snapshot())


def assumptions_for(
    *, answers: Mapping[str, Any], catalog: CatalogSnapshot | None = None
) -> Assumptions:
    """``configured.assumptions_for`` of the request's catalog (read if not given)."""
    return configured.assumptions_for(answers=answers, catalog=catalog or catalog_snapshot())
