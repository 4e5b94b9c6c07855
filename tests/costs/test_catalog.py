"""The catalog snapshot decides defaults and rankings from its entries alone (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from advisor.costs.catalog import ApiModelEntry, CatalogNotSeeded, CatalogSnapshot
from advisor.costs.prices import ApiModelPrice
from tests.figures import SOURCE


def api(
    key: str, tier: str, blended: str, *, open_model: str = "", default: bool = False
) -> ApiModelEntry:
    price = ApiModelPrice(
        key, key.upper(), "test", tier, 1e-6, 4e-6, SOURCE, open_weights=bool(open_model)
    )
    return ApiModelEntry(
        price, f"{key} label", default, Decimal(blended), open_model_key=open_model
    )


def snapshot(*entries: ApiModelEntry) -> CatalogSnapshot:
    return CatalogSnapshot("v1", tuple(entries), (), (), ())


def test_open_api_offers_are_the_models_hosts_cheapest_first() -> None:
    catalog = snapshot(
        api("host-b", "mid", "3.0", open_model="llama"),
        api("host-a", "mid", "2.0", open_model="llama"),
        api("other", "mid", "1.0", open_model="qwen"),
        api("closed", "mid", "0.5"),
    )
    assert [entry.key for entry in catalog.open_api_offers("llama")] == ["host-a", "host-b"]


def test_the_cheapest_closed_model_of_a_tier_ignores_open_weights() -> None:
    catalog = snapshot(
        api("open", "mid", "0.1", open_model="llama"),
        api("dear", "mid", "5.0"),
        api("cheap", "mid", "1.0"),
        api("mini", "small", "0.2"),
    )
    cheapest = catalog.cheapest_closed_model("mid")
    assert cheapest is not None and cheapest.key == "cheap"
    assert catalog.cheapest_closed_model("frontier") is None


def test_the_default_api_model_is_the_marked_one_else_the_first_closed_mid_tier() -> None:
    marked = snapshot(api("a", "mid", "1"), api("b", "frontier", "9", default=True))
    assert marked.default_api_model().key == "b"
    assert snapshot(api("s", "small", "1"), api("m", "mid", "2")).default_api_model().key == "m"
    with pytest.raises(CatalogNotSeeded, match="seed"):
        snapshot(api("s", "small", "1")).default_api_model()


def test_the_wizard_offers_each_kind_in_catalog_order() -> None:
    catalog = snapshot(api("b", "mid", "1"), api("a", "mid", "2"))
    assert catalog.choices["api_model"] == (("b", "b label"), ("a", "a label"))
    assert catalog.keys["api_model"] == ("b", "a")
    assert catalog.keys["gpu"] == ()
