"""The catalog is read once per request, and kept per process until its version changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor.costs.catalog import CatalogSnapshot
from advisor.costs.models import (
    ApiModel,
    CatalogVersion,
    CostAssumption,
    GpuOffering,
    SelfHostedModelProfile,
    bump_catalog_version,
)
from advisor.costs.selectors import catalog_snapshot, catalog_version, forget_catalog_snapshot
from advisor.costs.services import assumptions_for, catalog_choices, catalog_defaults
from tests.conftest import HIGH_VOLUME_ANSWERS

pytestmark = pytest.mark.usefixtures("catalog")

CATALOG_ROW_TABLES = (
    "costs_apimodel",
    "costs_apipricechange",
    "costs_openmodel",
    "costs_gpuoffering",
    "costs_selfhostedmodelprofile",
    "costs_costassumption",
)


def tables_read(captured: CaptureQueriesContext) -> list[str]:
    """Every catalog table each captured query names, in query order."""
    read = []
    for query in captured.captured_queries:
        sql = query["sql"]
        read += [table for table in (*CATALOG_ROW_TABLES, "costs_catalogversion") if table in sql]
    return read


@pytest.fixture(autouse=True)
def _cold() -> None:
    forget_catalog_snapshot()


def test_a_kept_snapshot_costs_one_query_for_its_version() -> None:
    first = catalog_snapshot()

    with CaptureQueriesContext(connection) as captured:
        again = catalog_snapshot()

    assert again is first
    assert tables_read(captured) == ["costs_catalogversion"]


def test_a_cold_snapshot_reads_each_catalog_table_once() -> None:
    with CaptureQueriesContext(connection) as captured:
        catalog_snapshot()

    # select_related: profiles and their GPUs in one query.
    assert sorted(tables_read(captured)) == sorted(
        [
            "costs_catalogversion",
            "costs_apipricechange",
            "costs_apimodel",
            "costs_gpuoffering",
            "costs_selfhostedmodelprofile",
            "costs_gpuoffering",
            "costs_costassumption",
            "costs_openmodel",
        ]
    )
    assert len(captured) == 7


def test_services_given_the_snapshot_read_nothing(django_assert_num_queries) -> None:
    catalog = catalog_snapshot()

    with django_assert_num_queries(0):
        assumptions = assumptions_for(answers=HIGH_VOLUME_ANSWERS, catalog=catalog)
        defaults = catalog_defaults(catalog=catalog)
        choices = catalog_choices("gpu", catalog=catalog)

    assert assumptions.api_model.key == defaults["api_model"] == "gpt-6.2-sol"
    assert ("h100-80gb", "NVIDIA H100 80GB ($2.95/h)") in choices


def test_the_snapshot_gives_what_the_rows_give_without_one() -> None:
    catalog = catalog_snapshot()
    for answers in (
        HIGH_VOLUME_ANSWERS,
        {"monthly_queries": 5_000_000, "api_model": "gpt-4.1-mini", "gpu": "l40s-48gb"},
        {"monthly_queries": 40_000_000, "self_host_model": "no-such-model", "gpu_pricing": "owned"},
    ):
        assert assumptions_for(answers=answers, catalog=catalog) == assumptions_for(answers=answers)


def test_snapshot_is_pure_frozen_data() -> None:
    catalog = catalog_snapshot()

    assert isinstance(catalog, CatalogSnapshot)
    with pytest.raises(AttributeError):
        catalog.version = "other"  # type: ignore[misc]
    assert catalog.version == catalog_version() != ""


def test_an_admin_edit_is_never_served_stale(admin_client: Client) -> None:
    kept = catalog_snapshot()
    gpu = GpuOffering.objects.get(key="h100-80gb")
    fields = [
        "key", "name", "memory_gb", "active", "usd_per_hour", "source", "source_url", "as_of",
        "gpus_per_server", "owned_usd_per_gpu", "power_kw_per_gpu", "owned_source",
        "owned_source_url", "owned_as_of",
    ]  # fmt: skip
    data = {k: ("" if v is None else v) for k, v in model_to_dict(gpu, fields=fields).items()}
    data["usd_per_hour"] = "5.2500"
    data["active"] = "on"

    response = admin_client.post(reverse("admin:costs_gpuoffering_change", args=[gpu.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = catalog_snapshot()
    assert fresh.version != kept.version
    assert kept.gpu("h100-80gb").price.usd_per_hour == pytest.approx(2.95)  # type: ignore[union-attr]
    assert fresh.gpu("h100-80gb").price.usd_per_hour == pytest.approx(5.25)  # type: ignore[union-attr]
    assert ("h100-80gb", "NVIDIA H100 80GB ($5.25/h)") in catalog_choices("gpu")
    profile = assumptions_for(answers={**HIGH_VOLUME_ANSWERS, "gpu": "h100-80gb"}).self_host_model
    assert profile.gpu.usd_per_hour == pytest.approx(5.25)


def test_a_save_elsewhere_reaches_this_process_through_the_database_version() -> None:
    kept = catalog_snapshot()
    # As another worker's admin request would: the row and the version change in
    # the database; this process has only its kept snapshot.
    model = ApiModel.objects.get(key="gpt-4.1")
    model.input_usd_per_million_tokens = Decimal("7")
    model.save()

    fresh = catalog_snapshot()

    assert fresh is not kept
    assert fresh.api_model("gpt-4.1").price.usd_per_input_token == pytest.approx(7e-6)  # type: ignore[union-attr]


def _update() -> None:
    ApiModel.objects.filter(key="gpt-4o").update(active=False)


def _delete() -> None:
    CostAssumption.objects.filter(key="build_out_months").delete()


def _bulk_create() -> None:
    new = GpuOffering(
        key="test-gpu", name="Test GPU", memory_gb=192, usd_per_hour=6,
        source="A GPU cloud's price page", as_of=date(2026, 1, 1),
    )  # fmt: skip
    GpuOffering.objects.bulk_create([new])


def _bulk_update() -> None:
    SelfHostedModelProfile.objects.bulk_update([SelfHostedModelProfile.objects.first()], ["name"])


def _seed_again() -> None:
    # loaddata saves with raw=True.
    call_command("seed", "--no-demo-users", stdout=StringIO())


@pytest.mark.parametrize(
    "write", [_update, _delete, _bulk_create, _bulk_update, _seed_again, bump_catalog_version]
)
def test_every_kind_of_catalog_write_moves_the_version(write) -> None:
    before = CatalogVersion.objects.get()

    write()

    after = CatalogVersion.objects.get()
    assert after.token != before.token
    assert after.number > before.number


def test_a_missing_version_row_means_no_keeping_and_the_next_write_recreates_it() -> None:
    CatalogVersion.objects.all().delete()

    first, second = catalog_snapshot(), catalog_snapshot()
    ApiModel.objects.filter(key="gpt-4o").update(active=False)

    assert first.version == "" and second is not first  # read afresh every time
    assert catalog_version() != ""
    assert catalog_snapshot().api_model("gpt-4o") is None


def test_a_rolled_back_write_never_aliases_a_later_one() -> None:
    # Counters alone would: roll back to n, and a different write reaches n + 1 again.
    from django.db import transaction

    start = catalog_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        ApiModel.objects.filter(key="gpt-4o").update(active=False)
        rolled_back = catalog_snapshot()
        raise RuntimeError
    assert catalog_version() == start
    ApiModel.objects.filter(key="gpt-4.1-mini").update(active=False)

    later = catalog_snapshot()

    assert later.version not in (start, rolled_back.version)
    assert later.api_model("gpt-4o") is not None
    assert later.api_model("gpt-4.1-mini") is None
