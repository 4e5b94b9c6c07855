from tests.conftest import HIGH_VOLUME_ANSWERS

from .conftest import API


def test_smoke(api_a, completed_of_a, brief_ruleset, client):
    r = client.post(f"{API}/evaluate", HIGH_VOLUME_ANSWERS, content_type="application/json")
    print(r.status_code, r.content[:300])
    r = client.post(
        f"{API}/evaluate", {"monthly_queries": "lots", "bogus": 1}, content_type="application/json"
    )
    print(r.status_code, r.content[:600])
    r = client.get(f"{API}/questions")
    print(r.status_code, r.content[:600])
    r = api_a.get(f"{API}/assessments")
    print(r.status_code, r.content[:600])
    r = api_a.post(
        f"{API}/assessments",
        {"client_name": "X", "answers": HIGH_VOLUME_ANSWERS},
        content_type="application/json",
    )
    print(r.status_code, r.content[:400])
    r = api_a.get(f"{API}/assessments/{completed_of_a.token}/result")
    print(r.status_code, r.headers.get("ETag"), r.content[:100])
    r = client.get(f"{API}/openapi.json")
    print(r.status_code, r.content[:200])
    r = client.get(f"{API}/docs")
    print(r.status_code, r.content[:200])
    assert 0
