"""Issue 15, finding 1: one SVG logo must not stall every PDF.

A 500 KB SVG holding one ``<text>`` element passed the upload check and sent
every report of its consultant into the 20 s render deadline. Logos are now
drawn once at upload, by the real renderer under a short deadline; reports
show only the PNG drawn then; renders never queue without bound, and a
failed render is remembered for its cache key.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from advisor.assessments.models import Assessment
from advisor.consultants.models import ConsultantProfile
from advisor.reports.pdf import shared_render_process

PROFILE_URL = "/consultants/profile/"
SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
# The review's reproduction: 500 KB, one element, passes every static check.
SLOW_SVG = (
    f'<svg {SVG_NS} width="200" height="60"><text x="0" y="20">'
    + ("lorem ipsum " * 42_000)[:500_000]
    + "</text></svg>"
).encode()
SMALL_SVG = (
    f'<svg {SVG_NS} width="100" height="40"><rect width="100" height="40" fill="#123456"/></svg>'
).encode()


def upload(client: Client, name: str, data: bytes, content_type: str) -> Any:
    return client.post(
        PROFILE_URL,
        {"firm_name": "Northwind", "logo": SimpleUploadedFile(name, data, content_type)},
    )


def pdf_images(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages[0].images)


def test_a_slow_svg_is_refused_at_upload_by_the_real_renderer(
    client: Client, consultant: User, settings: Any
) -> None:
    settings.LOGO_RENDER_DEADLINE_SECONDS = 1.0
    client.force_login(consultant)
    started = time.monotonic()
    response = upload(client, "logo.svg", SLOW_SVG, "image/svg+xml")
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    message = response.context["form"].errors["logo"][0]
    assert "took longer than 1 s to draw" in message
    assert elapsed < 10  # the drawing was stopped at its deadline
    profile = ConsultantProfile.objects.get(user=consultant)
    assert not profile.logo and not profile.logo_rendering


def test_an_accepted_logo_is_stored_as_a_small_png_that_reports_show(
    client: Client, consultant: User, make_completed: Callable[..., Assessment]
) -> None:
    client.force_login(consultant)
    response = upload(client, "logo.svg", SMALL_SVG, "image/svg+xml")
    assert response.status_code == 302
    profile = ConsultantProfile.objects.get(user=consultant)
    assert profile.logo.name.endswith(".svg")
    rendering = profile.logo_rendering.read()
    with Image.open(io.BytesIO(rendering)) as image:
        assert image.format == "PNG"
        assert image.size[0] <= 600 and image.size[1] <= 240

    assessment = make_completed(owner=consultant)
    pdf = client.get(reverse("reports:report_pdf", args=[assessment.token]))
    assert pdf.status_code == 200
    assert pdf_images(pdf.content) == 1


def test_a_logo_never_measured_is_left_out_and_the_report_is_fast(
    client: Client, consultant: User, make_completed: Callable[..., Assessment]
) -> None:
    """The slow SVG put in place behind the form's back (or uploaded before the fix)."""
    profile = ConsultantProfile.objects.create(user=consultant, firm_name="Planted")
    profile.logo.save("logo.svg", ContentFile(SLOW_SVG), save=True)
    assessment = make_completed(owner=consultant)
    shared_render_process().warm_up()

    started = time.monotonic()
    response = client.get(reverse("reports:report_pdf", args=[assessment.token]))
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert pdf_images(response.content) == 0
    assert elapsed < 10  # it took the whole 20 s deadline (then a 503) before

    client.force_login(consultant)
    page = client.get(PROFILE_URL).content.decode()
    assert "upload it again" in page


def test_a_busy_renderer_answers_503_with_retry_after_at_once(
    client: Client, make_completed: Callable[..., Assessment], monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = make_completed()
    renderer = shared_render_process()
    monkeypatch.setattr(renderer, "queue_wait_seconds", 0.2)
    renderer._lock.acquire()  # another report is rendering, and keeps at it for 5 s
    releaser = threading.Timer(5, renderer._lock.release)
    releaser.start()
    try:
        started = time.monotonic()
        response = client.get(reverse("reports:report_pdf", args=[assessment.token]))
        elapsed = time.monotonic() - started
    finally:
        releaser.join()

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert elapsed < 2
    # Busy is not a failure of this report: the next request renders it.
    assert client.get(reverse("reports:report_pdf", args=[assessment.token])).status_code == 200


def test_one_owner_renders_one_report_at_a_time(
    client: Client, consultant: User, make_completed: Callable[..., Assessment]
) -> None:
    """Eight requests for one consultant's reports hold one renderer, not all of them."""
    from django.core.cache import cache

    from advisor.reports import services

    first, second = make_completed(owner=consultant), make_completed(owner=consultant)
    other = make_completed()  # an unrelated buyer
    cache.add(services._render_slot(first), 1, 30)  # first's report is rendering

    busy = client.get(reverse("reports:report_pdf", args=[second.token]))
    assert busy.status_code == 503
    assert busy["Retry-After"] == "10"
    assert "The PDF report is queued" in busy.content.decode()
    assert client.get(reverse("reports:report_pdf", args=[other.token])).status_code == 200

    cache.delete(services._render_slot(first))  # that render finished
    assert client.get(reverse("reports:report_pdf", args=[second.token])).status_code == 200
