"""The JSON API under ``/api/v1/``: its docs at ``docs``, its schema at ``openapi.json``."""

from __future__ import annotations

from ninja import NinjaAPI

from advisor.api import assessments, errors, evaluate, results, revisions, usage

api = NinjaAPI(
    title="LLM Deployment Advisor API",
    version="1",
    description=(
        "Score answers, read the questions, derive answers from a usage export "
        "(anonymous, rate-limited); consultants manage their assessments with a "
        "personal API token (Authorization: Bearer adv_…). Errors are RFC 9457 "
        "problem details."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.register(api)
api.add_router("", evaluate.router)
api.add_router("", usage.router)
api.add_router("", assessments.router)
api.add_router("", results.router)
api.add_router("", revisions.router)
