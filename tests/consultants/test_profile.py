from __future__ import annotations

import io

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from advisor.consultants.models import ConsultantProfile

URL = "/consultants/profile/"


def png_upload(name: str = "logo.png", size: tuple[int, int] = (100, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_url_name() -> None:
    assert reverse("consultants:profile") == URL


def test_login_required(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_non_consultants_are_refused(client: Client, db: None) -> None:
    client.force_login(User.objects.create_user("buyer", password="pw-buyer-123"))
    assert client.get(URL).status_code == 403


def test_consultant_saves_branding(client: Client, consultant: User) -> None:
    client.force_login(consultant)
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {"firm_name": "  Northwind   Advisory ", "accent_colour": "#aa3300", "logo": png_upload()},
    )
    assert response.status_code == 302
    profile = ConsultantProfile.objects.get(user=consultant)
    assert profile.firm_name == "Northwind Advisory"
    assert profile.accent_colour == "#AA3300"
    assert profile.logo.name.startswith("consultant-logos/")
    assert profile.logo.name.endswith(".png")
    assert "logo" not in profile.logo.name.rsplit("/", 1)[1]  # our name, not the uploader's


def test_bad_input_gets_field_errors_and_saves_nothing(client: Client, consultant: User) -> None:
    ConsultantProfile.objects.create(user=consultant, firm_name="Kept LLP", accent_colour="#112233")
    client.force_login(consultant)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post(
        URL,
        {
            "firm_name": "Changed",
            "accent_colour": "red;x{}",
            "logo": SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml"),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "six hex digits" in form.errors["accent_colour"][0]
    assert "<script>" in form.errors["logo"][0]
    assert b"Nothing was saved" in response.content
    profile = ConsultantProfile.objects.get(user=consultant)
    assert (profile.firm_name, profile.accent_colour, profile.logo.name) == (
        "Kept LLP",
        "#112233",
        "",
    )


def test_oversized_logo_is_refused(client: Client, consultant: User) -> None:
    client.force_login(consultant)
    response = client.post(URL, {"firm_name": "F", "logo": png_upload(size=(2500, 10))})
    assert response.status_code == 200
    assert "2000 x 2000" in response.context["form"].errors["logo"][0]


# --- sizes stated as they are, and limits enforced while reading (issue 15) ---------------


def huge_png_header(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims ``width`` x ``height`` pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_50_mb_logo_is_refused_stating_its_real_size(client: Client, consultant: User) -> None:
    client.force_login(consultant)
    big = SimpleUploadedFile("logo.png", b"\0" * (50 * 1024 * 1024), content_type="image/png")
    response = client.post(URL, {"firm_name": "F", "logo": big})
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == ["The logo is 50.0 MB; the limit is 512 KB."]


def test_a_logo_just_over_the_limit_says_by_how_much(client: Client, consultant: User) -> None:
    client.force_login(consultant)
    over = SimpleUploadedFile("logo.png", b"\0" * (512 * 1024 + 1), content_type="image/png")
    response = client.post(URL, {"firm_name": "F", "logo": over})
    assert response.context["form"].errors["logo"] == [
        "The logo is 524,289 bytes; the limit is 524,288 bytes (512 KB)."
    ]


def test_a_png_claiming_a_huge_size_gets_the_size_message(client: Client, consultant: User) -> None:
    client.force_login(consultant)
    bomb = SimpleUploadedFile("logo.png", huge_png_header(100_000, 100_000), "image/png")
    response = client.post(URL, {"firm_name": "F", "logo": bomb})
    assert response.context["form"].errors["logo"] == [
        "The logo is 100000 x 100000 pixels; the limit is 2000 x 2000."
    ]


def test_an_upload_past_the_file_limit_is_not_kept_while_it_is_read(settings) -> None:
    from advisor.core.uploads import OversizedUpload, SizeLimitedUploadHandler

    settings.FILE_UPLOAD_MAX_FILE_BYTES = 1000
    limited = SizeLimitedUploadHandler()
    limited.new_file("logo", "logo.png", "image/png", None)
    passed_on = 0
    for start in range(0, 10_000, 100):
        chunk = limited.receive_data_chunk(b"x" * 100, start)
        if chunk is not None:
            passed_on += len(chunk)
    completed = limited.file_complete(10_000)
    assert passed_on == 1000  # the rest never reached a handler that stores
    assert isinstance(completed, OversizedUpload)
    assert completed.size == 10_000
    assert completed.read() == b""


def test_form_data_over_the_memory_limit_is_refused(client: Client, consultant: User) -> None:
    client.force_login(consultant)
    response = client.post(URL, {"firm_name": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 400
