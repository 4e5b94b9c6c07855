"""The pure core imports no Django: every pure module, listed here by name.

The rules engine, the cost model, the usage importer, the decision model and
the modules every app shares run in a fresh interpreter without Django (the
CLI's core, and what a newcomer reads first). A new module under a pure
package must be added here before its tests pass, and it is then imported to
show that nothing it pulls in is Django. ``[tool.importlinter]``'s
``pure-core`` contract checks the same list statically in ``make lint``.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PURE_MODULES = (
    "advisor.advice",
    "advisor.options",
    "advisor.snapshot",
    "advisor.wording",
    "advisor.costs.assumptions",
    "advisor.costs.break_even",
    "advisor.costs.catalog",
    "advisor.costs.configured",
    "advisor.costs.monthly",
    "advisor.costs.prices",
    "advisor.costs.projection",
    "advisor.costs.uncertainty",
    "advisor.rules.answers",
    "advisor.rules.conditions",
    "advisor.rules.effect_schema",
    "advisor.rules.engine",
    "advisor.rules.reasons",
    "advisor.scoring",
    "advisor.scoring.chooser",
    "advisor.scoring.conditional",
    "advisor.scoring.crossings",
    "advisor.scoring.decision",
    "advisor.scoring.effects",
    "advisor.scoring.evaluate",
    "advisor.scoring.flips",
    "advisor.scoring.like_for_like",
    "advisor.scoring.score",
    "advisor.scoring.shown",
    "advisor.scoring.simulation",
    "advisor.scoring.tornado",
    "advisor.usage",
    "advisor.usage.accumulate",
    "advisor.usage.derive",
    "advisor.usage.errors",
    "advisor.usage.fields",
    "advisor.usage.formats",
    "advisor.usage.formats.anthropic",
    "advisor.usage.formats.buckets",
    "advisor.usage.formats.generic_csv",
    "advisor.usage.formats.litellm",
    "advisor.usage.formats.openai",
    "advisor.usage.limits",
    "advisor.usage.reader",
    "advisor.usage.streams",
    "advisor.usage.workload",
)
# Packages pure as a whole: every module in them is pure.
PURE_PACKAGES = ("advisor/scoring", "advisor/usage")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_of_a_pure_package_is_listed() -> None:
    found = {
        module_name(path) for package in PURE_PACKAGES for path in (ROOT / package).rglob("*.py")
    }
    assert sorted(found - set(PURE_MODULES)) == []


def test_every_listed_module_exists() -> None:
    missing = [
        name
        for name in PURE_MODULES
        if not (ROOT / Path(*name.split("."))).with_suffix(".py").exists()
        and not (ROOT / Path(*name.split(".")) / "__init__.py").exists()
    ]
    assert missing == []


def test_the_pure_modules_import_no_django() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {PURE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'django' in sys.modules:\n"
        "        print(name)\n"
        "        break\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert completed.stdout.strip() == "", f"{completed.stdout.strip()} pulls in Django"


def test_the_import_contract_covers_the_same_modules() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["id"] == "pure-core")
    sources = contract["source_modules"]
    uncovered = [
        name
        for name in PURE_MODULES
        if not any(name == source or name.startswith(source + ".") for source in sources)
    ]
    assert uncovered == []
    assert "django" in contract["forbidden_modules"]
