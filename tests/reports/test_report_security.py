"""Hostile input: user text stays text, the renderer fetches nothing, embeds nothing."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from advisor.assessments.models import Assessment
from advisor.consultants.models import ConsultantProfile
from advisor.reports import services
from advisor.reports.pdf import PdfResourceRefused, shared_render_process

from .conftest import Listener, embedded_file_names, pdf_text


def hostile(port: int) -> str:
    return (
        "<b>Evil</b><link rel=attachment href=file:///etc/passwd>"
        f"<img src=http://127.0.0.1:{port}/>"
    )


def test_hostile_client_name_and_notes_are_shown_literally(
    make_completed: Callable[..., Assessment], listener: Listener
) -> None:
    name = hostile(listener.port)
    assert len(name) <= 120  # fits the model's field
    notes = (
        f"<style>@import url(http://127.0.0.1:{listener.port}/x.css);</style>"
        f"<svg><image href='http://127.0.0.1:{listener.port}/s.png'/></svg>"
        "<script>alert(1)</script>"
    )
    result = make_completed().result

    pdf = services.render_report_pdf(advice=result, client_name=name, notes=notes)

    text = pdf_text(pdf)
    assert "<b>Evil</b><link rel=attachment href=file:///etc/passwd>" in text
    assert f"@import url(http://127.0.0.1:{listener.port}/x.css);" in text
    assert "<script>alert(1)</script>" in text
    assert "root:" not in text
    assert embedded_file_names(pdf) == []
    assert listener.connections == 0


def test_hostile_client_name_through_the_view(
    client: Client, make_completed: Callable[..., Assessment], listener: Listener
) -> None:
    assessment = make_completed(client_name=hostile(listener.port))
    response = client.get(reverse("reports:report_pdf", args=[assessment.token]))
    assert response.status_code == 200
    assert "llm-deployment-recommendation" in response["Content-Disposition"]
    assert '"' not in response["Content-Disposition"].split('filename="')[1][:-1]
    assert "<b>Evil</b>" in pdf_text(response.content)
    assert embedded_file_names(response.content) == []
    assert listener.connections == 0


@pytest.mark.parametrize(
    "markup",
    [
        "<link rel=attachment href=file:///etc/passwd><p>x</p>",
        "<link rel=stylesheet href=file:///etc/passwd><p>x</p>",
        "<style>@import url(http://127.0.0.1:{port}/x.css);</style><p>x</p>",
        "<img src=http://127.0.0.1:{port}/>",
        "<img src=data:image/png;base64,iVBORw0KGgo=>",
    ],
)
def test_renderer_refuses_raw_markup_that_reaches_out(markup: str, listener: Listener) -> None:
    """Defence in depth: even markup that bypassed the templates fetches nothing."""
    with pytest.raises(PdfResourceRefused):
        shared_render_process().render(
            markup.format(port=listener.port), base_url=None, allowed_roots=services.allowed_roots()
        )
    assert listener.connections == 0


def test_inline_svg_with_external_image_fetches_nothing(listener: Listener) -> None:
    # WeasyPrint 70 does not even ask the fetcher for an inline <svg>'s
    # <image>; whichever way it goes, nothing may reach the listener.
    markup = (
        "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
        f"width='50' height='50'><image xlink:href='http://127.0.0.1:{listener.port}/s.png' "
        "width='5' height='5'/></svg>"
    )
    with contextlib.suppress(PdfResourceRefused):
        shared_render_process().render(markup, base_url=None, allowed_roots=[])
    assert listener.connections == 0


def test_svg_logo_with_external_image_is_never_fetched(
    make_completed: Callable[..., Assessment], consultant, listener: Listener, settings
) -> None:
    """A logo planted in media/ behind the form's back is re-checked and left out."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="40" height="20"><image xlink:href="http://127.0.0.1:'
        f'{listener.port}/x.png" width="40" height="20"/></svg>'
    ).encode()
    profile = ConsultantProfile.objects.create(user=consultant, firm_name="Planted & Co")
    profile.logo.save("logo.svg", ContentFile(svg), save=True)  # bypasses validation
    assessment = make_completed(owner=consultant)

    report = services.prepare_assessment_report(assessment=assessment)
    pdf = services.assessment_report_pdf(report=report)

    assert "Planted & Co" in pdf_text(pdf)
    assert listener.connections == 0
    assert embedded_file_names(pdf) == []


def test_a_valid_png_logo_is_drawn(
    make_completed: Callable[..., Assessment], consultant, settings
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), "#123456").save(buffer, "PNG")
    profile = ConsultantProfile.objects.create(user=consultant, firm_name="Logo Firm")
    # As the branding form stores it: the upload, and the PNG drawn from it.
    profile.logo.save("logo.png", ContentFile(buffer.getvalue()), save=False)
    profile.logo_rendering.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    assessment = make_completed(owner=consultant)
    report = services.prepare_assessment_report(assessment=assessment)
    pdf = services.assessment_report_pdf(report=report)
    from pypdf import PdfReader

    first_page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(first_page.images) == 1
