from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from advisor.consultants.models import ConsultantProfile

URL = "/consultants/profile/"


@pytest.fixture
def consultant(db: None) -> User:
    user = User.objects.create_user("casey", password="pw-casey-123")
    user.groups.add(Group.objects.get_or_create(name="Consultants")[0])
    return user


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
