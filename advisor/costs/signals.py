"""Every save or delete of a catalog row gives the catalog a new version.

Admin edits, ``import_prices`` and ``loaddata`` (``manage.py seed``) all go
through ``save()``/``delete()``; bulk queryset writes are covered by
``models.CatalogQuerySet``. ``loaddata`` sends ``raw=True``: the handler
reads nothing from the instance, so a raw save is handled like any other.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from advisor.costs.models import (
    ApiModel,
    ApiPriceChange,
    CostAssumption,
    GpuOffering,
    OpenModel,
    SelfHostedModelProfile,
    bump_catalog_version,
)

VERSIONED_MODELS = (
    ApiModel,
    ApiPriceChange,
    OpenModel,
    GpuOffering,
    SelfHostedModelProfile,
    CostAssumption,
)


def catalog_changed(sender: type, **kwargs: Any) -> None:
    bump_catalog_version()


def connect() -> None:
    for model in VERSIONED_MODELS:
        post_save.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-save-{model}")
        post_delete.connect(catalog_changed, sender=model, dispatch_uid=f"catalog-delete-{model}")
