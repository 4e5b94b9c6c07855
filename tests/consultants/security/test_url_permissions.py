"""Every URL in the URLconf, as anonymous, consultant A, consultant B and staff.

The table is checked against the URLconf itself: a new URL without a row
here fails :func:`test_every_url_has_a_row`. Assessments belong to A.

Who sees what (README, "Access control"):

- buyer pages (wizard, result, PDF): anyone with the link, except a
  signed-in non-staff user who does not own the assessment (404);
- the consultants' workspace: signed-in consultants only (anonymous: the
  sign-in page; staff and other users: 403), and within it only their own
  assessments (404 for anyone else's);
- Django admin (its own permission checks): staff only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from advisor.assessments.models import Assessment

from ..conftest import client_for

ROLES = ("anonymous", "consultant_a", "consultant_b", "staff")


@dataclass(frozen=True)
class Row:
    method: str
    expected: tuple[int, int, int, int]  # anonymous, A, B, staff
    args: str = ""  # "token", "token+step"
    data: dict[str, Any] | None = None


WORKSPACE = (302, 200, 200, 403)
OWN_ONLY = (302, 200, 404, 403)
BUYER_PAGE = (200, 200, 404, 200)

TABLE: dict[str, Row] = {
    "core:landing": Row("GET", (200, 200, 200, 200)),
    "core:healthz": Row("GET", (200, 200, 200, 200)),
    "login": Row("GET", (200, 302, 302, 302)),  # signed in already: on to the dashboard
    "logout": Row("POST", (302, 302, 302, 302)),
    "assessments:start": Row("POST", (303, 303, 303, 303)),
    "assessments:resume": Row("GET", (303, 303, 404, 303), "token"),
    "assessments:step": Row("GET", BUYER_PAGE, "token+step"),
    "assessments:step_live": Row("POST", BUYER_PAGE, "token+step"),
    # No file posted: the workload step again, with the error on the file field.
    "assessments:usage": Row("POST", BUYER_PAGE, "token+step"),
    "assessments:review": Row("GET", BUYER_PAGE, "token"),
    "assessments:result": Row("GET", BUYER_PAGE, "token"),
    "reports:report_pdf": Row("GET", BUYER_PAGE, "token"),
    "consultants:dashboard": Row("GET", WORKSPACE),
    "consultants:export_csv": Row("GET", WORKSPACE),
    "consultants:profile": Row("GET", WORKSPACE),
    "consultants:assessment_new": Row("POST", (302, 302, 302, 403), data={"client_name": "New"}),
    "consultants:assessment": Row("GET", OWN_ONLY, "token"),
    "consultants:assessment_notes": Row("POST", (302, 302, 404, 403), "token", {"notes": "n"}),
    "consultants:assessment_rescore": Row("GET", OWN_ONLY, "token"),
}
# Django admin checks permissions itself; its index stands for all its URLs.
ADMIN_NAMESPACE = "admin"


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    """Qualified names of every URL pattern (``namespace:name``); unnamed ones as ``?route``."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or f'?{pattern.pattern}'}"


def test_every_url_has_a_row():
    names = {name for name in url_names() if not name.startswith(f"{ADMIN_NAMESPACE}:")}
    assert names - set(TABLE) == set(), "URLs without a row in the permission table"
    assert set(TABLE) - names == set(), "rows for URLs that no longer exist"


def _url(name: str, row: Row, assessment: Assessment) -> str:
    if row.args == "token":
        return reverse(name, args=[assessment.token])
    if row.args == "token+step":
        return reverse(name, args=[assessment.token, assessment.saved_steps[0]])
    return reverse(name)


@pytest.mark.parametrize("name", sorted(TABLE))
def test_status_per_role(name, completed_of_a, consultant_a, consultant_b, staff_user):
    row = TABLE[name]
    users: dict[str, User | None] = {
        "anonymous": None,
        "consultant_a": consultant_a,
        "consultant_b": consultant_b,
        "staff": staff_user,
    }
    url = _url(name, row, completed_of_a)
    seen = {}
    for role in ROLES:
        client = client_for(users[role])
        response = client.get(url) if row.method == "GET" else client.post(url, row.data or {})
        seen[role] = response.status_code
    assert seen == dict(zip(ROLES, row.expected, strict=True)), url


def test_admin_is_for_staff_only(consultant_a, consultant_b, staff_user, db):
    url = reverse("admin:index")
    assert client_for(None).get(url).status_code == 302
    assert client_for(consultant_a).get(url).status_code == 302
    assert client_for(consultant_b).get(url).status_code == 302
    assert client_for(staff_user).get(url).status_code == 200


def test_another_consultants_assessment_is_indistinguishable_from_a_missing_one(
    completed_of_a, consultant_b
):
    client = client_for(consultant_b)
    other = client.get(reverse("assessments:result", args=[completed_of_a.token]))
    missing = client.get(reverse("assessments:result", args=["x" * 32]))
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content


def test_anonymous_login_redirect_keeps_the_page_to_return_to(db):
    response = client_for(None).get(reverse("consultants:dashboard"))
    assert response["Location"] == f"{reverse('login')}?next={reverse('consultants:dashboard')}"
