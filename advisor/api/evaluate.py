"""Anonymous endpoints: score answers, and the questions a client builds its form from."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Router

from advisor.api.responses import json_response
from advisor.api.schemas import Problem, Questions, Result
from advisor.api.services import evaluated, questions_of
from advisor.assessments.usage import GROWTH_RANGE_KEY
from advisor.core.rate_limits import API_EVALUATE, API_READ, api_evaluate_rate, api_read_rate
from advisor.core.rate_limits import enforce as count_request
from advisor.rules.services import current_ruleset
from advisor.scoring.evaluate import advice_json

router = Router(tags=["scoring"])

ANSWERS_EXAMPLE = {"monthly_queries": 20_000_000, "load_pattern": "steady"}

# Not a question (GET /questions does not list it): the one key beside the answers.
GROWTH_RANGE_SCHEMA = {
    "type": "object",
    "properties": {"low": {"type": "number"}, "high": {"type": "number"}},
    "required": ["low", "high"],
    "description": (
        "Optional: the range of a growth rate fitted from a short usage history (% a month), "
        "as `manage.py usage_to_answers` prints it beside the answers. The Monte Carlo draws "
        "the growth over it, centred on monthly_growth_pct, which must then be given as a "
        "number. A malformed range is a 422 naming this field."
    ),
}


@router.post(
    "/evaluate",
    url_name="evaluate",
    response={200: Result, 422: Problem, 429: Problem},
    summary="Score answers with the published ruleset",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {GROWTH_RANGE_KEY: GROWTH_RANGE_SCHEMA},
                        "additionalProperties": True,
                    },
                    "example": ANSWERS_EXAMPLE,
                }
            },
        }
    },
)
def evaluate(
    request: HttpRequest,
    answers: Body[dict[str, Any]],
) -> HttpResponse:
    """Answers in (keys from ``GET /questions``; missing ones take their default), result out.

    The result is the object ``manage.py evaluate --format json`` prints for
    the same answers. ``monthly_growth_pct_range`` (``{"low", "high"}``, % a month)
    beside them, as ``usage_to_answers`` prints it, is drawn as the fitted growth's
    range, as ``evaluate`` draws it. Bad answers: 422, one error per field, with the
    message the questionnaire shows on that field (the range's: the command's message).
    """
    count_request(request, group=API_EVALUATE, rate=api_evaluate_rate)
    return json_response(advice_json(evaluated(answers)))


@router.get(
    "/questions",
    url_name="questions",
    response={200: Questions, 429: Problem},
    summary="The published ruleset's questions",
)
def questions(request: HttpRequest) -> HttpResponse:
    """Every question with its type, choices, default and help, in the questionnaire's order."""
    count_request(request, group=API_READ, rate=api_read_rate)
    # Built to the schema's shape (tests/api/test_schema.py validates it), not
    # passed through ninja's model again: that halved this call's time.
    return json_response(questions_of(current_ruleset()))
