"""requirements.lock (what `make install` installs) agrees with pyproject.toml.

A dependency added to or raised in pyproject.toml without `make lock` would
otherwise install from the lock at a version pyproject.toml refuses, or not
at all.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PINNED = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
PYTHON_311 = {"python_version": "3.11", "python_full_version": "3.11.9"}


def locked_versions(name: str = "requirements.lock") -> dict[str, Version]:
    versions: dict[str, Version] = {}
    for line in (ROOT / name).read_text().splitlines():
        match = PINNED.match(line)
        if not match:
            continue
        name, version, marker = match.groups()
        if marker and not Marker(marker).evaluate(PYTHON_311):
            continue  # e.g. the numpy pinned for Python 3.12+
        versions[canonicalize_name(name)] = Version(version)
    return versions


def test_every_direct_dependency_is_locked_at_a_version_pyproject_allows():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    locked = locked_versions()
    assert len(locked) > 50
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        version = locked.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name}: not in requirements.lock")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}: locked {version}, pyproject wants {text}")
    assert problems == [], "run `make lock`: " + "; ".join(problems)


def test_the_production_lock_is_the_runtime_subset_at_the_same_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    production, full = locked_versions("requirements.prod.lock"), locked_versions()
    for text in project["dependencies"]:
        assert canonicalize_name(Requirement(text).name) in production, text
    for test_tool in ("pytest", "playwright", "mypy", "ruff"):
        assert test_tool not in production
    different = {
        name: (version, full.get(name))
        for name, version in production.items()
        if full.get(name) != version
    }
    assert different == {}, "run `make lock`"


def test_every_pin_carries_a_hash():
    for name in ("requirements.lock", "requirements.prod.lock"):
        text = (ROOT / name).read_text()
        for block in re.split(r"\n(?=\S)", text):
            if PINNED.match(block.splitlines()[0]):
                assert "--hash=sha256:" in block, (name, block.splitlines()[0])
