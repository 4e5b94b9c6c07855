from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_landing_says_what_the_tool_does(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Commercial LLM API, self-hosted open model, or both?" in body
    assert "36-month cost projection" in body


def test_unknown_page_uses_the_site_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
