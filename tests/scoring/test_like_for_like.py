"""open_api's model: the self-hosted open model bought per token, else one of its tier."""

from __future__ import annotations

from decimal import Decimal

from advisor.costs.catalog import ApiModelEntry, CatalogSnapshot
from advisor.costs.prices import ApiModelPrice
from advisor.scoring.like_for_like import open_api_offer
from tests.figures import SOURCE, make_assumptions


def offer(key: str, tier: str, blended: str, *, open_weights: bool = True) -> ApiModelEntry:
    price = ApiModelPrice(key, key, "host", tier, 1e-6, 4e-6, SOURCE, open_weights=open_weights)
    return ApiModelEntry(price, key, False, Decimal(blended))


def test_the_cheapest_open_offer_of_the_self_hosted_models_tier() -> None:
    # make_assumptions' self-hosted model "big" is mid tier and not in this catalog's profiles.
    catalog = CatalogSnapshot(
        "v1",
        (
            offer("mid-dear", "mid", "3"),
            offer("mid-cheap", "mid", "2"),
            offer("small-cheapest", "small", "0.1"),
            offer("closed-mid", "mid", "0.5", open_weights=False),
        ),
        (),
        (),
        (),
    )
    chosen = open_api_offer(catalog, make_assumptions())
    assert chosen is not None and chosen.key == "mid-cheap"


def test_no_offer_when_no_open_model_of_the_tier_is_hosted() -> None:
    catalog = CatalogSnapshot("v1", (offer("small", "small", "1"),), (), (), ())
    assert open_api_offer(catalog, make_assumptions()) is None
