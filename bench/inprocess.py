"""In-process medians of the wizard's requests, each against ``/healthz`` in the same run.

    .venv/bin/python -m bench.inprocess [--database NAME] [--repeat N] [--completions N]

Django's test client drives the real URL conf, middleware and templates in
this process, against a fresh PostgreSQL database (``--database``, migrated
and seeded) with production settings (bench/server.py), so the figures are
the application's own time without a socket or a worker in between. What it
measures (issue 14's targets):

- ``GET /healthz``: the floor, one query and a JSON response;
- a wizard step GET, as a direct load (full page) and as htmx asks for it
  (the partial), target < 10 ms;
- completing an assessment (the review POST: scoring, the cost projection,
  the uncertainty analysis, the snapshot), with its SQL queries counted and
  those on the price catalog's tables told apart (target: the catalog read at
  most once, by one selector), with this worker's kept catalog snapshot and
  right after a catalog edit (the snapshot rebuilt from the rows).

Run by ``make bench`` (bench/run.py) against the bench database as well.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DEFAULT_DATABASE = "advisor_bench_inprocess"
CATALOG_TABLES = (
    "costs_apimodel",
    "costs_gpuoffering",
    "costs_selfhostedmodelprofile",
    "costs_costassumption",
    "costs_catalogversion",
)


@dataclass(frozen=True)
class Timing:
    name: str
    runs: int
    median_ms: float
    p90_ms: float
    queries: float | None = None
    catalog_queries: float | None = None

    def row(self, floor_ms: float) -> str:
        queries = "-" if self.queries is None else f"{self.queries:g}"
        catalog = "-" if self.catalog_queries is None else f"{self.catalog_queries:g}"
        return (
            f"| {self.name} | {self.runs} | {self.median_ms:.2f} | {self.p90_ms:.2f} "
            f"| {self.median_ms / floor_ms:.1f} | {queries} | {catalog} |"
        )


def _timed(name: str, runs: int, request: Callable[[], Any]) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples: list[float] = []
    queries: list[int] = []
    catalog: list[int] = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            request()
            samples.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
        catalog.append(sum(_on_catalog(query["sql"]) for query in captured.captured_queries))
    samples.sort()
    return Timing(
        name=name,
        runs=runs,
        median_ms=statistics.median(samples),
        p90_ms=samples[min(len(samples) - 1, int(len(samples) * 0.9))],
        queries=statistics.median(queries),
        catalog_queries=statistics.median(catalog),
    )


def _on_catalog(sql: str) -> bool:
    return any(f'"{table}"' in sql or f"`{table}`" in sql for table in CATALOG_TABLES)


def _ok(response: Any, *statuses: int) -> Any:
    if response.status_code not in statuses:
        raise RuntimeError(f"{response.status_code} from {response.request['PATH_INFO']}")
    return response


def measure(*, repeat: int, completions: int) -> list[Timing]:
    """The timings, floor first; the database must be migrated and seeded."""
    from django.test import Client

    from advisor.costs.selectors import forget_catalog_snapshot
    from bench.data import prepare_started
    from bench.profile import prepare_answered

    client = Client(HTTP_HOST="127.0.0.1")
    step = f"/a/{prepare_started(1)[0]}/step/workload/"
    answered = prepare_answered(2 * completions + 2)
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": f"http://127.0.0.1{step}"}
    # Warm: imports, compiled ruleset, templates, the catalog snapshot.
    _ok(client.get("/healthz"), 200)
    _ok(client.get(step), 200)
    _ok(client.post(f"/a/{answered.pop()}/review/"), 303)
    timings = [
        _timed("GET /healthz (floor)", repeat, lambda: _ok(client.get("/healthz"), 200)),
        _timed("step GET (full page)", repeat, lambda: _ok(client.get(step), 200)),
        _timed("step GET (htmx partial)", repeat, lambda: _ok(client.get(step, **htmx), 200)),
    ]
    tokens = iter(answered)

    def complete(*, cold: bool = False) -> Any:
        if cold:
            forget_catalog_snapshot()  # as after an admin edit: the version changed
        return _ok(client.post(f"/a/{next(tokens)}/review/"), 303)

    timings.append(_timed("complete (review POST)", completions, complete))
    timings.append(
        _timed(
            "complete, catalog just edited (snapshot rebuilt)",
            completions,
            lambda: complete(cold=True),
        )
    )
    # The result page and the report of an assessment completed above, each
    # seen once before (its fragments drawn, its PDF rendered and stored), as
    # a buyer's second look and their download after the background render.
    completed = next(tokens)
    _ok(client.post(f"/a/{completed}/review/"), 303)
    result, pdf = f"/a/{completed}/result/", f"/a/{completed}/report.pdf"
    _ok(client.get(result), 200)
    _render_in_background(completed)
    _ok(client.get(pdf), 200)
    timings.append(
        _timed("result page (fragments cached)", repeat, lambda: _ok(client.get(result), 200))
    )
    timings.append(_timed("stored PDF download", repeat, lambda: _stored_pdf(client.get(pdf))))
    return timings


def _render_in_background(token: str) -> None:
    """What the ``db_worker`` does with the render queued on completion, here in this process."""
    from advisor.assessments.models import Assessment
    from advisor.reports.tasks import render_assessment_report

    outcome = render_assessment_report.call(Assessment.objects.get(token=token).pk)
    if outcome != "rendered":
        raise RuntimeError(f"the background render said {outcome!r}")


def _stored_pdf(response: Any) -> Any:
    _ok(response, 200)
    if response["X-Report-Cache"] != "hit":
        raise RuntimeError(
            f"the report was not served from the store: {response['X-Report-Cache']}"
        )
    return response


def table(timings: list[Timing]) -> str:
    floor = timings[0].median_ms
    lines = [
        "| Request | Runs | Median ms | p90 ms | x floor | Queries | Catalog queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(timing.row(floor) for timing in timings),
    ]
    return "\n".join(lines)


def production_django(database: str, *, reuse: bool) -> None:
    """Django set up in this process with production settings on PostgreSQL and Redis.

    ``reuse``: the database as it is; otherwise dropped, migrated and seeded.
    """
    from bench import data, server

    server.ensure_postgres()
    url = f"{server.POSTGRES_URL}/{database}"
    if not reuse:
        url = server.create_database(database)
    # The shared cache production runs (deploy/compose.yaml): the result
    # page's fragments and the render slots live there.
    cache_url = server.redis_cache_url()
    environment = server.production_environment(url, cache_url)
    if not reuse:
        for command in (("migrate", "--noinput", "-v", "0"), ("seed", "--no-demo-users")):
            server.manage(environment, *command)
    if not (server.RESULTS / "staticfiles" / "staticfiles.json").exists():
        # Production settings use the manifest storage: pages need its manifest.
        server.manage(environment, "collectstatic", "--noinput", "-v", "0")
    data.setup_django(environment)
    print(f"cache: {'Redis' if cache_url else 'per-process memory (no Redis on loopback)'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="PostgreSQL database to use")
    parser.add_argument("--repeat", type=int, default=200, help="runs of each GET")
    parser.add_argument("--completions", type=int, default=20, help="assessments completed")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database as it is (no drop, migrate, seed)"
    )
    arguments = parser.parse_args(argv)

    production_django(arguments.database, reuse=arguments.reuse)
    print(table(measure(repeat=arguments.repeat, completions=arguments.completions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
