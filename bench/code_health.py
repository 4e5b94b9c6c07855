"""Code-health figures for issue 28: ``python -m bench.code_health [--suite]``.

Reads ``advisor/`` and ``tests/`` as text (it imports nothing of the app) and
prints the figures the issue measures, so a before and an after can be taken
the same way:

- upward imports: an import from a lower layer to a higher one. The layers,
  bottom up: the pure core (``PURE``), then the Django apps in ``APP_ORDER``
  (each may import the ones before it), then the web and the commands
  (``TOP_PARTS``: views, urls, admin, template tags, management commands),
  which may import anything. The same layers as ``[tool.importlinter]``.
- circles: groups of modules that import each other round a loop (strongly
  connected components of the module graph), and pairs of Django apps that
  import each other both ways (their web and command modules left out).
- imports of ``advisor`` modules inside a function.
- modules over 500 lines, functions over 50 lines (``advisor/``).
- mirrored test share: modules with logic (a function or a method: a module
  of declarations only, types or choices, has none; not ``__init__``,
  ``apps``, ``urls``, settings, migrations) that have
  ``tests/<package>/test_<module>.py`` (or the nested path of a subpackage).
- ``--suite``: the time of ``pytest -q -x --ignore=tests/browser``.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The pure core: no Django import (tests/test_pure_core.py, [tool.importlinter]).
PURE = (
    "advisor.advice",
    "advisor.options",
    "advisor.snapshot",
    "advisor.wording",
    "advisor.scoring",
    "advisor.usage",
    "advisor.rules.answers",
    "advisor.rules.conditions",
    "advisor.rules.effect_schema",
    "advisor.rules.engine",
    "advisor.rules.reasons",
    "advisor.costs.assumptions",
    "advisor.costs.break_even",
    "advisor.costs.monthly",
    "advisor.costs.prices",
    "advisor.costs.catalog",
    "advisor.costs.projection",
    "advisor.costs.uncertainty",
)
APP_ORDER = ("core", "costs", "rules", "assessments", "consultants", "reports", "api")
TOP_PARTS = {"views", "urls", "admin", "admin_forms", "templatetags", "management"}
TOP_MODULES = {"advisor.urls", "advisor.settings", "advisor.wsgi", "advisor.asgi"}
NOT_LOGIC = {"__init__", "apps", "urls", "settings", "wsgi", "asgi"}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    in_function: str  # the function's name, or "" at module level


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def advisor_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted((ROOT / "advisor").rglob("*.py"))
        if "migrations" not in path.parts
    }


def _resolve(module: str, path: Path, node: ast.ImportFrom, known: set[str]) -> Iterator[str]:
    base = node.module or ""
    if node.level:
        package = module.split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        yield candidate if candidate in known else base


def imports(modules: dict[str, Path]) -> list[Import]:
    known = set(modules)
    found: list[Import] = []

    def visit(module: str, path: Path, node: ast.AST, in_function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inside = in_function or child.name
            if isinstance(child, ast.Import):
                names: list[str] = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                names = list(_resolve(module, path, child, known))
            else:
                visit(module, path, child, inside)
                continue
            for name in names:
                if name.split(".")[0] == "advisor" and name != module:
                    found.append(Import(module, name, child.lineno, in_function))

    for module, path in modules.items():
        visit(module, path, ast.parse(path.read_text()), "")
    return found


def is_pure(module: str) -> bool:
    return any(module == pure or module.startswith(pure + ".") for pure in PURE)


def is_top(module: str) -> bool:
    return module in TOP_MODULES or bool(TOP_PARTS & set(module.split(".")[2:3]))


def rank(module: str) -> int:
    """0 for the pure core, 1.. for the apps in APP_ORDER, 100 for web and commands."""
    if is_pure(module) or module == "advisor":
        return 0
    if is_top(module):
        return 100
    return APP_ORDER.index(module.split(".")[1]) + 1


def upward(found: list[Import]) -> list[Import]:
    return [i for i in found if rank(i.importer) < rank(i.imported) and i.imported != "advisor"]


def circles(found: list[Import]) -> list[list[str]]:
    """Strongly connected components (more than one module) of the module graph."""
    graph: dict[str, set[str]] = {}
    for i in found:
        graph.setdefault(i.importer, set()).add(i.imported)
        graph.setdefault(i.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def two_way_apps(found: list[Import]) -> list[tuple[str, str]]:
    def app(module: str) -> str | None:
        if is_top(module) or is_pure(module) or module.count(".") < 1:
            return None
        return module.split(".")[1]

    edges = {
        (app(i.importer), app(i.imported))
        for i in found
        if app(i.importer) and app(i.imported) and app(i.importer) != app(i.imported)
    }
    return sorted((a, b) for a, b in edges if (b, a) in edges and str(a) < str(b))  # type: ignore[misc]


def long_functions(modules: dict[str, Path], limit: int = 50) -> list[tuple[str, str, int]]:
    found = []
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > limit:
                    found.append((module, node.name, length))
    return found


def has_logic(path: Path) -> bool:
    if path.stem in NOT_LOGIC:
        return False
    tree = ast.parse(path.read_text())
    return any(isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) for node in ast.walk(tree))


def mirror_candidates(path: Path) -> list[Path]:
    relative = path.relative_to(ROOT / "advisor")
    name = f"test_{path.stem}.py"
    candidates = [ROOT / "tests" / relative.parent / name]
    if len(relative.parts) > 2:
        candidates.append(ROOT / "tests" / relative.parts[0] / name)
    return candidates


def mirrored(modules: dict[str, Path]) -> tuple[list[str], list[str]]:
    with_test, without = [], []
    for module, path in modules.items():
        if has_logic(path):
            hit = any(candidate.exists() for candidate in mirror_candidates(path))
            (with_test if hit else without).append(module)
    return with_test, without


def suite_seconds() -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "--ignore=tests/browser", "-p", "no:randomly"],
        cwd=ROOT,
        check=False,
    )
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="store_true", help="also time the test suite")
    parser.add_argument("--verbose", "-v", action="store_true", help="list what is counted")
    args = parser.parse_args(argv)
    modules = advisor_modules()
    found = imports(modules)
    up = upward(found)
    loops = circles(found)
    pairs = two_way_apps(found)
    in_function = [i for i in found if i.in_function]
    # AppConfig.ready() is Django's documented place to import what connects signals.
    in_ready = [i for i in in_function if i.importer.endswith(".apps") and i.in_function == "ready"]
    lengths = {m: len(p.read_text().splitlines()) for m, p in modules.items()}
    big = sorted(((n, m) for m, n in lengths.items() if n > 500), reverse=True)
    long = long_functions(modules)
    with_test, without = mirrored(modules)
    share = len(with_test) / (len(with_test) + len(without))
    print(f"modules (advisor/, no migrations): {len(modules)}")
    print(f"upward imports: {len(up)}")
    print(
        f"import circles (module groups): {len(loops)}; apps importing each other both ways: "
        f"{len(pairs)} {pairs}"
    )
    print(
        f"imports of advisor modules inside a function: {len(in_function)} "
        f"(of which in AppConfig.ready: {len(in_ready)})"
    )
    print(f"modules over 500 lines: {len(big)} " + ", ".join(f"{m} {n}" for n, m in big))
    print(f"functions over 50 lines: {len(long)}")
    print(f"mirrored test share: {len(with_test)}/{len(with_test) + len(without)} = {share:.0%}")
    if args.verbose:
        for i in up:
            print(f"  upward: {i.importer}:{i.line} -> {i.imported}")
        for loop in loops:
            print(f"  circle: {' <-> '.join(loop)}")
        for i in in_function:
            print(f"  in function: {i.importer}:{i.line} ({i.in_function}) -> {i.imported}")
        for module, name, length in long:
            print(f"  long function: {module}.{name} {length}")
        for module in without:
            print(f"  no mirrored test: {module}")
    if args.suite:
        print(f"suite: {suite_seconds():.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
