"""A consultant's branding on their client's pages, the branding page's preview, the totals."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client

from advisor.assessments.comparison import outcome_of
from advisor.assessments.models import Assessment
from advisor.consultants.models import ConsultantProfile
from advisor.reports.services import branding_for_owner
from advisor.snapshot import ResultSnapshot
from advisor.wording import usd_short
from tests.consultants.conftest import client_for

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def branded(consultant: User) -> ConsultantProfile:
    profile = ConsultantProfile.objects.create(
        user=consultant, firm_name="Jordan Advisory", accent_colour="#7A1F5C"
    )
    profile.logo_rendering.save("logo.png", ContentFile(PNG))
    return profile


def test_a_clients_result_page_carries_the_consultants_branding_and_no_sign_in(
    client: Client, consultant: User, make_completed: Callable[..., Assessment]
) -> None:
    profile = branded(consultant)
    assessment = make_completed(owner=consultant)
    page = client.get(f"/a/{assessment.token}/result/").content.decode()
    assert "Jordan Advisory" in page
    assert f'src="/consultants/logo/{profile.pk}.png"' in page
    assert "--advisor-accent: #7A1F5C" in page
    assert "Consultant sign-in" not in page
    logo = client.get(f"/consultants/logo/{profile.pk}.png")
    assert (logo.status_code, logo["Content-Type"], logo.content) == (200, "image/png", PNG)


def test_an_anonymous_buyers_page_keeps_the_site_brand_and_the_sign_in(
    client: Client, make_completed: Callable[..., Assessment]
) -> None:
    page = client.get(f"/a/{make_completed().token}/result/").content.decode()
    assert "Consultant sign-in" in page
    assert "--advisor-accent:" not in page


def test_the_branding_page_previews_the_logo_the_colour_and_the_full_name(
    consultant: User,
) -> None:
    profile = branded(consultant)
    profile.full_name = "Casey M. Jordan"
    profile.save()
    page = client_for(consultant).get("/consultants/profile/").content.decode()
    assert f'class="logo-thumbnail d-block mb-2" src="/consultants/logo/{profile.pk}.png"' in page
    assert 'fill="#7A1F5C"' in page  # the swatch
    assert "Prepared by Casey M. Jordan, Jordan Advisory" in page
    assert branding_for_owner(consultant).prepared_by == "Casey M. Jordan"


def test_the_full_name_is_saved_from_the_branding_form(consultant: User) -> None:
    response = client_for(consultant).post(
        "/consultants/profile/",
        {"full_name": "  Casey   Jordan ", "firm_name": "Jordan Advisory", "accent_colour": ""},
    )
    assert response.status_code == 302
    assert ConsultantProfile.objects.get(user=consultant).full_name == "Casey Jordan"


def test_the_assessment_page_shows_the_totals_and_the_answers(
    consultant: User, make_completed: Callable[..., Assessment]
) -> None:
    assessment = make_completed(owner=consultant)
    page = client_for(consultant).get(f"/consultants/assessments/{assessment.token}/")
    text = page.content.decode()
    # The API's cost as the decision compared it, at three significant figures, as elsewhere.
    api_total = outcome_of(ResultSnapshot.from_dict(assessment.result)).tco_usd["api"]
    assert 'id="totals"' in text and usd_short(api_total) in text
    assert 'data-answer="monthly_queries"' in text
    assert "300,000,000" in text
