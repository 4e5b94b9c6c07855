"""catalog_check lists stale or unsourced catalog figures and exits 1 when there are any."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from advisor.costs.models import ApiModel, CostAssumption, GpuOffering, SelfHostedModelProfile
from advisor.costs.selectors import stale_catalog_entries

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"
PUBLIC = "Anthropic pricing page"
pytestmark = pytest.mark.usefixtures("catalog")


def make_fresh(as_of: date) -> None:
    """Every catalog figure publicly sourced and dated ``as_of``."""
    for model in (ApiModel, GpuOffering, SelfHostedModelProfile, CostAssumption):
        model.objects.update(source=PUBLIC, as_of=as_of)
    GpuOffering.objects.update(owned_source=PUBLIC, owned_as_of=as_of)


def check(*args: str) -> str:
    out = StringIO()
    call_command("catalog_check", *args, stdout=out)
    return out.getvalue()


def test_old_entries_citing_design_md_fail_the_check() -> None:
    make_fresh(date(2026, 11, 1))
    ApiModel.objects.filter(key="gpt-4.1").update(
        as_of=date(2025, 9, 1), source="Price map, design.md figures"
    )
    out = StringIO()
    with (
        time_machine.travel("2026-12-01 09:00 +0000", tick=False),
        pytest.raises(CommandError, match="older than 180 days") as error,
    ):
        call_command("catalog_check", stdout=out)

    assert error.value.returncode == 1
    assert out.getvalue() == (
        "API model gpt-4.1: as of 2025-09-01, 456 days old; "
        "cites an internal document (design.md)\n"
    )


def test_fresh_public_catalog_passes() -> None:
    make_fresh(date(2026, 11, 1))

    with time_machine.travel("2026-12-01 09:00 +0000", tick=False):
        out = check()

    assert "Every catalog figure in use is at most 180 days old" in out


def test_an_entry_turns_stale_when_it_passes_the_age() -> None:
    make_fresh(date(2026, 11, 1))

    with time_machine.travel("2027-05-01 09:00 +0000", tick=False):  # 181 days later
        with pytest.raises(CommandError) as error:
            check()
        assert check("--max-age-days", "200")

    assert error.value.returncode == 1


def test_empty_or_internal_source_is_unsourced_whatever_its_age() -> None:
    make_fresh(date.today())
    ApiModel.objects.filter(key="gpt-4.1").update(source="")
    CostAssumption.objects.filter(key="engineer_monthly_cost_usd").update(
        source="Internal salary survey"
    )

    entries = {entry.key: entry.reasons for entry in stale_catalog_entries()}

    assert entries == {
        "gpt-4.1": ("no source",),
        "engineer_monthly_cost_usd": ("cites an internal document (internal)",),
    }


def test_a_working_note_or_a_cut_off_source_is_flagged() -> None:
    make_fresh(date.today())
    CostAssumption.objects.filter(key="datacenter_pue").update(
        source="PUE 1.5 recalled, not read from a source this session"
    )
    GpuOffering.objects.filter(key="b200").update(owned_source="x" * 300)

    entries = {entry.key: entry.reasons for entry in stale_catalog_entries()}

    assert entries["datacenter_pue"] == (
        "reads as a working note, not a citation (this session, recalled)",
    )
    assert entries[str(GpuOffering.objects.get(key="b200"))] == (
        "owned hardware: fills all 300 characters, so it is probably cut off",
    )


def test_the_seeded_catalog_has_no_working_notes_or_cut_off_sources() -> None:
    reasons = [reason for entry in stale_catalog_entries() for reason in entry.reasons]
    assert not [reason for reason in reasons if "working note" in reason or "cut off" in reason]


def test_inactive_entries_and_owned_hardware_figures() -> None:
    make_fresh(date.today())
    ApiModel.objects.filter(key="gpt-4o").update(active=False, as_of=date(2020, 1, 1))
    gpu = GpuOffering.objects.order_by("pk").first()
    GpuOffering.objects.filter(pk=gpu.pk).update(owned_usd_per_gpu=30000, owned_source="")

    entries = stale_catalog_entries()

    assert [str(entry) for entry in entries] == [
        f"GPU offering {gpu.name}: owned hardware: no source"
    ]


def test_command_line_bad_argument_exits_2_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, str(MANAGE_PY), "catalog_check", "--max-age-days", "-1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 2
    assert "--max-age-days must be 0 or more" in result.stderr
    assert "Traceback" not in result.stderr
