"""Every save or delete of a catalog row gives the catalog a new version."""

from __future__ import annotations

import pytest

from advisor.costs.models import SINGLE_ROW, CatalogVersion, CostAssumption


def version() -> tuple[str, int]:
    row = CatalogVersion.objects.get(pk=SINGLE_ROW)
    return str(row.token), row.number


@pytest.mark.usefixtures("seeded")
def test_a_save_and_a_delete_each_move_the_version_on() -> None:
    before = version()
    figure = CostAssumption.objects.first()
    assert figure is not None
    figure.save()
    after_save = version()
    figure.delete()
    after_delete = version()
    assert len({before[0], after_save[0], after_delete[0]}) == 3
    assert after_delete[1] == after_save[1] + 1 == before[1] + 2
