"""The open_api option's model: the open model self-hosting would run, bought per token.

Pure (catalog snapshot in, price out). Like for like: the hosted offer serves
the same open model as the self-hosted option (``ProfileEntry.model_key``),
else, for catalog rows that name no open model, one of the same capability
tier; among those the cheapest for the default workload.
"""

from __future__ import annotations

from advisor.costs.assumptions import Assumptions
from advisor.costs.catalog import ApiModelEntry, CatalogSnapshot
from advisor.costs.prices import ApiModelPrice


def open_api_offer(catalog: CatalogSnapshot, assumptions: Assumptions) -> ApiModelPrice | None:
    """The cheapest active hosted offer of the self-hosted option's open model (or tier)."""
    profile = catalog.profile(assumptions.self_host_model.key)
    model_key = profile.model_key if profile is not None else ""
    offers = [entry for entry in catalog.api_models if entry.price.open_weights]
    same_model = [entry for entry in offers if _serves(entry, model_key)]
    same_tier = [entry for entry in offers if entry.price.tier == assumptions.self_host_model.tier]
    candidates = same_model or same_tier
    if not candidates:
        return None
    return min(candidates, key=lambda entry: (entry.blended_usd, entry.key)).price


def _serves(entry: ApiModelEntry, model_key: str) -> bool:
    served = getattr(entry, "open_model_key", "")
    return bool(model_key) and served == model_key
