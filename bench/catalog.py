"""Measure the price catalog (issue 25): sources, and self-hosting's break-even volumes.

    .venv/bin/python -m bench.catalog [--before COMMIT]

Seeds throw-away SQLite databases with the seeded catalog (fixtures/10-catalog.json)
and, for ``--before``, the catalog of an earlier commit, then prints:

1. the share of the "assumptions used" rows (default answers, owned GPUs so
   that every figure shows) that are public figures rather than judgements,
   and the share that cite a URL or a package version;
2. self-hosting's break-even volume (queries a month, steady load, defaults)
   against (a) the default closed API model, (b) the cheapest hosted
   open-weights offer of the same open model, (c) the cheapest
   mixture-of-experts model of the same tier, self-hosted, against the
   default closed API and against its own cheapest hosted offer; with the
   prices and profiles each figure rests on.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import replace
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSWERS: dict[str, Any] = {"monthly_queries": 10_000_000, "load_pattern": "steady"}
SOURCE_ANSWERS: dict[str, Any] = {**ANSWERS, "gpu_pricing": "owned"}
PACKAGE_VERSION = re.compile(r"genai-prices \d+\.\d+\.\d+")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=None, help="A commit whose catalog to compare.")
    before = parser.parse_args().before
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'catalog.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if before:
        old = Path(tempfile.mkdtemp()) / "10-catalog.json"
        old.write_bytes(
            subprocess.run(
                ["git", "show", f"{before}:fixtures/10-catalog.json"],
                cwd=ROOT,
                check=True,
                capture_output=True,
            ).stdout
        )
        call_command("loaddata", str(old), verbosity=0)
        print(f"catalog at {before}:")
        print_sources()
        call_command("flush", "--noinput", verbosity=0)
    call_command("seed", "--no-demo-users", stdout=StringIO())
    print("catalog now:")
    print_sources()
    print_break_even()
    return 0


def print_sources() -> None:
    from advisor.costs.selectors import forget_catalog_snapshot
    from advisor.costs.services import assumptions_for

    forget_catalog_snapshot()
    rows = assumptions_for(answers=SOURCE_ANSWERS).rows()
    judged = [row for row in rows if row.judgement or "advisor judgement" in row.source.lower()]
    cited = [row for row in rows if row.source_url or PACKAGE_VERSION.search(row.source)]
    in_text = [row for row in rows if "http" in row.source or PACKAGE_VERSION.search(row.source)]
    print(
        f"  {len(rows) - len(judged)} of {len(rows)} assumptions are public figures "
        f"(judgement flag or 'Advisor judgement' in the source counts as judgement); "
        f"{len(cited)} of {len(rows)} carry a source URL or a package version "
        f"({len(in_text)} name one in their source text, all evaluate's JSON showed before "
        "it carried source_url)"
    )
    for row in judged:
        print(f"    judgement: {row.label}: {row.source[:150]}")
    for row in rows:
        if row not in cited and row not in judged:
            print(f"    public, no URL: {row.label}: {row.source[:100]}")


def print_break_even() -> None:
    from advisor.costs.assumptions import workload_from_answers
    from advisor.costs.break_even import break_even_volume_multiplier
    from advisor.costs.monthly import planned
    from advisor.costs.selectors import catalog_snapshot
    from advisor.costs.services import assumptions_for

    catalog = catalog_snapshot()
    workload = workload_from_answers(ANSWERS)
    base = assumptions_for(answers=ANSWERS)
    default_profile = planned(workload, base).self_host_model
    model_key = next(e.model_key for e in catalog.profiles if e.key == default_profile.key)

    def break_even(assumptions: Any) -> str:
        multiplier = break_even_volume_multiplier("self_host", workload, assumptions)
        if multiplier is None:
            return "never (dearer at every volume up to 10,000x)"
        return f"{multiplier * ANSWERS['monthly_queries'] / 1e6:,.1f}M queries/month"

    def describe_api(price: Any) -> str:
        return (
            f"{price.key} ${price.usd_per_input_token * 1e6:g} in / "
            f"${price.usd_per_output_token * 1e6:g} out per 1M"
        )

    def describe_profile(profile: Any) -> str:
        return (
            f"{profile.key}: {profile.output_tokens_per_second:,.0f} out / "
            f"{profile.input_tokens_per_second:,.0f} in tok/s per {profile.gpus_per_replica} x "
            f"{profile.gpu.name} at ${profile.gpu.usd_per_hour:.2f}/h"
        )

    print(
        f"break-even volumes (steady, 1,500 in / 400 out tokens, 36 months, defaults; "
        f"self-hosting {model_key}, planner's choice {describe_profile(default_profile)}):"
    )
    print(f"  (a) against {describe_api(base.api_model)}: {break_even(base)}")
    offers = catalog.open_api_offers(model_key)
    for rank, offer in enumerate(offers):
        against_offer = replace(base, api_model=offer.price, router_model=None)
        what = "the cheapest hosted" if rank == 0 else "hosted"
        print(
            f"  (b) against {what} {model_key}, {describe_api(offer.price)}: "
            f"{break_even(against_offer)}"
        )
    tier = next(m.tier for m in catalog.open_models if m.key == model_key)
    for model in catalog.open_models:
        if model.tier != tier or not model.mixture_of_experts:
            continue
        candidates = tuple(entry.profile for entry in catalog.profiles_of(model.key))
        moe = planned(
            workload,
            replace(base, self_host_model=candidates[0], self_host_candidates=candidates),
        )
        moe_offers = catalog.open_api_offers(model.key)
        line = (
            f"  (c) self-hosting {model.key} ({model.total_parameters_billions:g}B, "
            f"{model.active_parameters_billions:g}B active; quality "
            f"{'not rated' if model.quality is None else model.quality.score}), "
            f"{describe_profile(moe.self_host_model)}: against {base.api_model.key} "
            f"{break_even(moe)}"
        )
        if moe_offers:
            own = replace(moe, api_model=moe_offers[0].price, router_model=None)
            line += f"; against {describe_api(moe_offers[0].price)} {break_even(own)}"
        print(line)


if __name__ == "__main__":
    raise SystemExit(main())
