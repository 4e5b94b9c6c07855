"""A consultant's branding is on their own clients' reports, and on no one else's."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from advisor.assessments.models import Assessment
from advisor.consultants.models import ConsultantProfile

from .conftest import pdf_text


def report_text(client: Client, assessment: Assessment) -> str:
    response = client.get(reverse("reports:report_pdf", args=[assessment.token]))
    assert response.status_code == 200
    return pdf_text(response.content)


def test_branding_shows_on_own_clients_reports_only(
    client: Client,
    make_completed: Callable[..., Assessment],
    consultant: User,
    other_consultant: User,
) -> None:
    ConsultantProfile.objects.create(
        user=consultant, firm_name="Northwind Advisory", accent_colour="#AA3300"
    )
    own = make_completed(client_name="Own Client", owner=consultant)
    others = make_completed(client_name="Other Client", owner=other_consultant)
    anonymous = make_completed(client_name="Walk-in Buyer")

    own_text = report_text(client, own)
    assert "Northwind Advisory" in own_text
    assert "Casey Jordan, Northwind Advisory" in own_text  # prepared by

    for text in (report_text(client, others), report_text(client, anonymous)):
        assert "Northwind Advisory" not in text
        assert "Casey Jordan" not in text


def test_branding_change_invalidates_the_cached_report(
    client: Client, make_completed: Callable[..., Assessment], consultant: User
) -> None:
    profile = ConsultantProfile.objects.create(user=consultant, firm_name="Old Name LLP")
    assessment = make_completed(owner=consultant)
    url = reverse("reports:report_pdf", args=[assessment.token])
    first = client.get(url)
    profile.firm_name = "New Name LLP"
    profile.save()
    second = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert "New Name LLP" in pdf_text(second.content)
