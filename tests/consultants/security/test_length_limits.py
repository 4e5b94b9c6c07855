"""Every text input on every form page declares a length limit, and the server enforces it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from advisor.assessments.models import Assessment

from ..conftest import client_for

TEXT_INPUT = re.compile(
    r"<(?:input(?![^>]*type=\"(?:hidden|radio|checkbox|submit|file)\")[^>]*|textarea[^>]*)>"
)


def unbounded_inputs(html: str) -> list[str]:
    return [
        tag for tag in TEXT_INPUT.findall(html) if "maxlength=" not in tag and "readonly" not in tag
    ]


@pytest.mark.parametrize(
    "page",
    ["login", "dashboard", "assessment", "profile", "step"],
)
def test_every_text_input_has_a_maxlength(page, completed_of_a, consultant_a):
    client = client_for(None if page in ("login", "step") else consultant_a)
    url = {
        "login": reverse("login"),
        "dashboard": reverse("consultants:dashboard"),
        "assessment": reverse("consultants:assessment", args=[completed_of_a.token]),
        "profile": reverse("consultants:profile"),
        "step": reverse(
            "assessments:step", args=[completed_of_a.token, completed_of_a.saved_steps[0]]
        ),
    }[page]
    html = client.get(url).content.decode()
    assert TEXT_INPUT.findall(html), "no text inputs found: is the pattern still right?"
    assert unbounded_inputs(html) == []


def test_model_fields_are_bounded_too():
    assert Assessment._meta.get_field("client_name").max_length == 120
    assert Assessment._meta.get_field("notes").max_length == 5000
