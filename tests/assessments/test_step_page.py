"""The step page's markup: its title in every htmx partial, each field's accessible parts."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.template.loader import render_to_string
from django.test import Client

from advisor.assessments.forms import StepForm
from advisor.assessments.models import Assessment
from advisor.rules.models import Ruleset
from advisor.rules.services import question_specs

pytestmark = pytest.mark.django_db

STEPS = (("workload", "Workload", 1), ("compliance", "Compliance", 2))
OOB_TITLE = re.compile(r'<title hx-swap-oob="innerHTML:head > title">([^<]*)</title>')
HEAD_TITLE = re.compile(r"<head>.*?<title>([^<]*)</title>", re.S)


def step_url(assessment: Assessment, slug: str) -> str:
    return f"/a/{assessment.token}/step/{slug}/"


def every_step_saved(assessment: Assessment) -> None:
    assessment.saved_steps = ["workload", "compliance", "cost-assumptions"]
    assessment.save()


@pytest.mark.parametrize(("slug", "title", "number"), STEPS)
def test_each_step_partial_carries_its_own_title(
    client: Client, assessment: Assessment, slug: str, title: str, number: int
) -> None:
    every_step_saved(assessment)
    expected = f"{title} · Step {number} of 4 · LLM Deployment Advisor"

    partial = client.get(step_url(assessment, slug), headers={"HX-Request": "true"})
    page = client.get(step_url(assessment, slug))

    assert OOB_TITLE.findall(partial.content.decode()) == [expected]
    assert HEAD_TITLE.search(page.content.decode()).group(1) == expected  # type: ignore[union-attr]
    assert "hx-swap-oob" not in page.content.decode().split("</head>")[1].split("<form")[0]


def test_the_review_partial_carries_its_title_too(client: Client, assessment: Assessment) -> None:
    every_step_saved(assessment)

    partial = client.get(f"/a/{assessment.token}/review/", headers={"HX-Request": "true"})

    assert OOB_TITLE.findall(partial.content.decode()) == [
        "Review your answers · Step 4 of 4 · LLM Deployment Advisor"
    ]


def test_the_review_page_has_the_partials_title_in_its_head(
    client: Client, assessment: Assessment
) -> None:
    every_step_saved(assessment)

    page = client.get(f"/a/{assessment.token}/review/").content.decode()

    title = HEAD_TITLE.search(page).group(1)  # type: ignore[union-attr]
    assert title == "Review your answers · Step 4 of 4 · LLM Deployment Advisor"
    assert "hx-swap-oob" not in page  # no out-of-band title on a full load


def test_a_text_field_has_its_label_help_and_required_mark(
    client: Client, assessment: Assessment
) -> None:
    body = client.get(step_url(assessment, "workload")).content.decode()

    assert re.search(
        r'<label for="id_monthly_queries" class="form-label requiredField">'
        r"How many queries per month\? \(queries\)<span class=\"asteriskField\">\*</span></label>",
        body,
    )
    field = re.search(r'<input type="text" name="monthly_queries"[^>]*>', body).group(0)  # type: ignore[union-attr]
    assert 'id="id_monthly_queries"' in field
    assert " required" in field
    assert 'aria-describedby="id_monthly_queries_helptext"' in field
    assert 'hx-post="/a/' in field and 'maxlength="100"' in field
    assert '<div id="id_monthly_queries_helptext" class="form-text">Count every call' in body


def test_a_choice_is_a_fieldset_whose_legend_is_the_question(
    client: Client, assessment: Assessment
) -> None:
    body = client.get(step_url(assessment, "workload")).content.decode()

    assert re.search(
        r'<fieldset id="id_load_pattern" aria-describedby="id_load_pattern_helptext">\s*'
        r'<legend class="form-label fs-6">Load pattern</legend>',
        body,
    )
    # The question's default is preselected.
    assert re.search(r'value="unknown" id="id_load_pattern_2" checked>', body)
    assert '<label for="id_load_pattern_0" class="form-check-label">Steady</label>' in body


def test_errors_are_announced_and_linked_from_the_summary(
    client: Client, assessment: Assessment
) -> None:
    response = client.post(
        step_url(assessment, "workload"),
        {"monthly_queries": "lots", "load_pattern": "sometimes", "nav": "next"},
    )
    body = response.content.decode()

    field = re.search(r'<input type="text" name="monthly_queries"[^>]*>', body).group(0)  # type: ignore[union-attr]
    assert 'value="lots"' in field and "is-invalid" in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="id_monthly_queries_helptext id_monthly_queries_error"' in field
    assert re.search(
        r'<div id="id_monthly_queries_error" class="invalid-feedback">'
        r'<p id="error_1_id_monthly_queries"><strong>&#x27;lots&#x27; is not a number',
        body,
    )
    # Every summary link lands on an element of the page, radio groups included.
    for target in re.findall(r'<a href="#(id_[a-z_]+)">', body):
        assert f'id="{target}"' in body, target
    assert 'aria-describedby="id_load_pattern_helptext id_load_pattern_error"' in body


def test_labels_and_help_text_are_escaped_once(ruleset: Ruleset) -> None:
    spec = replace(
        next(spec for spec in question_specs(ruleset) if spec.key == "monthly_queries"),
        prompt="Queries <per> month",
        help_text="Count calls & retries <b>",
    )
    form = StepForm(specs=[spec], catalog_options={}, catalog_keys={})

    html = render_to_string("assessments/_field.html", {"row": {"field": form["monthly_queries"]}})

    assert "Queries &lt;per&gt; month (queries)" in html
    help_div = '<div id="id_monthly_queries_helptext" class="form-text">'
    assert f"{help_div}Count calls &amp; retries &lt;b&gt;</div>" in html
    assert "<b>" not in html


def test_the_typed_numbers_echo_sits_right_under_its_field(
    client: Client, assessment: Assessment
) -> None:
    page = client.get(step_url(assessment, "workload")).content.decode()
    field = page.index('name="monthly_queries"')
    echo = page.index('id="hint-monthly_queries"')
    help_text = page.index("Count every call to the model.")
    # Joined to the input (before its help text), so it reads as the field's own.
    assert field < echo < help_text
    assert 'class="textinput form-control has-echo"' in page


def test_a_number_written_in_words_is_echoed_as_digits(
    client: Client, assessment: Assessment
) -> None:
    response = client.post(
        f"/a/{assessment.token}/step/workload/live/",
        {"monthly_queries": "1 million"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "monthly_queries"},
    )
    assert "= 1,000,000" in response.content.decode()
