"""The OpenAPI document: valid, and describing what the endpoints really answer."""

from __future__ import annotations

import jsonschema
import pytest
from openapi_spec_validator import validate

from advisor.rules.services import build_snapshot
from advisor.scoring.evaluate import advice_json
from tests.conftest import HIGH_VOLUME_ANSWERS

from .conftest import API


@pytest.fixture
def document(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def _validator(document, name):
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(schema)


def test_the_openapi_document_validates(document):
    validate(document)
    paths = set(document["paths"])
    assert {
        "/api/v1/evaluate",
        "/api/v1/questions",
        "/api/v1/usage/derive",
        "/api/v1/assessments",
        "/api/v1/assessments/{token}",
        "/api/v1/assessments/{token}/result",
        "/api/v1/assessments/{token}/answers",
        "/api/v1/assessments/{token}/usage",
        "/api/v1/assessments/{token}/scenarios",
        "/api/v1/assessments/{token}/report.pdf",
        "/api/v1/assessments/{token}/rescore",
    } <= paths


def test_the_result_schema_has_the_snapshots_keys(document, brief_ruleset):
    stored = advice_json(build_snapshot(answers=HIGH_VOLUME_ANSWERS))
    result = document["components"]["schemas"]["Result"]
    # "measured" is there only for a result scored on a usage export's figures.
    assert set(result["properties"]) - set(stored) == {"measured"}
    assert set(stored) <= set(result["properties"])
    assert set(result["required"]) <= set(stored)


def test_a_real_result_and_the_questions_validate_against_the_document(
    document, client, brief_ruleset
):
    result = client.post(f"{API}/evaluate", HIGH_VOLUME_ANSWERS, content_type="application/json")
    _validator(document, "Result").validate(result.json())
    _validator(document, "Questions").validate(client.get(f"{API}/questions").json())
    problem = client.post(f"{API}/evaluate", {"x": 1}, content_type="application/json").json()
    _validator(document, "Problem").validate(problem)


def test_the_evaluate_body_documents_the_fitted_growth_range(document):
    body = document["paths"]["/api/v1/evaluate"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    growth_range = schema["properties"]["monthly_growth_pct_range"]
    assert growth_range["required"] == ["low", "high"]
    assert {name: field["type"] for name, field in growth_range["properties"].items()} == {
        "low": "number",
        "high": "number",
    }
    assert "monthly_growth_pct" in growth_range["description"]
    assert schema["additionalProperties"] is True


def test_a_consultants_assessment_validates(document, api_a, completed_of_a):
    body = api_a.get(f"{API}/assessments/{completed_of_a.token}").json()
    _validator(document, "Assessment").validate(body)
    page = api_a.get(f"{API}/assessments").json()
    _validator(document, "AssessmentPage").validate(page)


def test_the_consultant_endpoints_declare_both_ways_in(document):
    schemes = document["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}
    read = document["paths"]["/api/v1/assessments/{token}"]["get"]
    assert len(read["security"]) == 2
    assert "security" not in document["paths"]["/api/v1/evaluate"]["post"]


def test_the_docs_page_serves_swagger_from_static(client, db):
    page = client.get(f"{API}/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_an_unknown_api_path_is_a_problem_not_the_sites_html_page(client, db):
    response = client.get("/api/v1/no-such-endpoint")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404
    assert "/api/v1/docs" in body["detail"]
    # The site's pages keep their own 404.
    assert b"<html" in client.get("/no-such-page").content.lower()
