"""In-process medians of the JSON API's calls, each against ``/healthz`` in the same run.

    .venv/bin/python -m bench.api [--database NAME] [--repeat N] [--evaluations N]

As ``bench/inprocess.py`` does (Django's test client through the real URL
conf and middleware, production settings, a fresh PostgreSQL database,
migrated and seeded): ``GET /healthz`` is the floor, then the anonymous
``GET /api/v1/questions`` and ``POST /api/v1/evaluate`` (a full scoring:
the cost projection, the uncertainty analysis, the single-answer flips),
and a consultant's stored result read with an API token, in full and as a
304 revalidation (``If-None-Match``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bench.inprocess import DEFAULT_DATABASE, Timing, _ok, _timed, production_django, table

ANSWERS = {
    "monthly_queries": 30_000_000,
    "load_pattern": "business_hours",
    "simple_query_share_pct": 70,
    "has_production_data": True,
    "regimes": ["soc2"],
}


def measure(*, repeat: int, evaluations: int) -> list[Timing]:
    """The timings, floor first; the database must be migrated and seeded."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from advisor.api.tokens import token_create

    user, _ = User.objects.get_or_create(username="bench-api-consultant")
    user.groups.add(Group.objects.get_or_create(name="Consultants")[0])
    secret = token_create(user=user, name="bench")[1]
    client = Client(HTTP_HOST="127.0.0.1")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def evaluate() -> Any:
        return _ok(client.post("/api/v1/evaluate", ANSWERS, content_type="application/json"), 200)

    created = _ok(
        client.post(
            "/api/v1/assessments",
            {"client_name": "Bench", "answers": ANSWERS},
            content_type="application/json",
            **auth,
        ),
        201,
    ).json()
    result = f"/api/v1/assessments/{created['token']}/result"
    # Warm: imports, compiled ruleset, the catalog snapshot, the OpenAPI models.
    _ok(client.get("/healthz"), 200)
    _ok(client.get("/api/v1/questions"), 200)
    evaluate()
    etag = _ok(client.get(result, **auth), 200)["ETag"]
    return [
        _timed("GET /healthz (floor)", repeat, lambda: _ok(client.get("/healthz"), 200)),
        _timed("GET /api/v1/questions", repeat, lambda: _ok(client.get("/api/v1/questions"), 200)),
        _timed("POST /api/v1/evaluate", evaluations, evaluate),
        _timed("GET stored result (token)", repeat, lambda: _ok(client.get(result, **auth), 200)),
        _timed(
            "GET stored result, If-None-Match (304)",
            repeat,
            lambda: _ok(client.get(result, HTTP_IF_NONE_MATCH=etag, **auth), 304),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=f"{DEFAULT_DATABASE}_api", help="PostgreSQL database")
    parser.add_argument("--repeat", type=int, default=200, help="runs of each GET")
    parser.add_argument("--evaluations", type=int, default=20, help="runs of POST /evaluate")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database as it is (no drop, migrate, seed)"
    )
    arguments = parser.parse_args(argv)

    production_django(arguments.database, reuse=arguments.reuse)
    print(table(measure(repeat=arguments.repeat, evaluations=arguments.evaluations)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
