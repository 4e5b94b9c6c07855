"""Two consultants (A and B), a staff user, and assessments of consultant A.

The assessments are scored on the seeded brief-2026 ruleset, as the wizard
would store them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.results import result_snapshot
from advisor.rules.models import Ruleset

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ANSWERS: dict[str, Any] = {
    "monthly_queries": 300_000_000,
    "load_pattern": "steady",
    "simple_query_share_pct": 80,
    "has_production_data": True,
    "gpu_ops_experience": "established",
    "planned_serving_stack": "vllm",
    "primary_driver": "cost",
    "frontier_capability": "not_needed",
}
PASSWORD = "a-long-test-password-1"
XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def brief_ruleset(db: None) -> Ruleset:
    call_command("loaddata", str(FIXTURES / "10-catalog.json"), verbosity=0)
    call_command("loaddata", str(FIXTURES / "20-ruleset-brief-2026.json"), verbosity=0)
    return Ruleset.objects.get(is_current=True)


def _consultant(username: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Consultants")[0])
    return user


@pytest.fixture
def consultant_a(db: None) -> User:
    return _consultant("alex")


@pytest.fixture
def consultant_b(db: None) -> User:
    return _consultant("blake")


@pytest.fixture
def staff_user(db: None) -> User:
    return User.objects.create_user("sam-staff", password=PASSWORD, is_staff=True)


@pytest.fixture
def make_completed(brief_ruleset: Ruleset) -> Callable[..., Assessment]:
    def make(
        *,
        owner: User | None = None,
        client_name: str = "Acme Health",
        answers: dict[str, Any] | None = None,
        **fields: Any,
    ) -> Assessment:
        answers = dict(ANSWERS if answers is None else answers)
        return Assessment.objects.create(
            ruleset=brief_ruleset,
            answers=answers,
            saved_steps=_all_steps(brief_ruleset),
            client_name=client_name,
            owner=owner,
            status=AssessmentStatus.COMPLETED,
            result=result_snapshot(ruleset=brief_ruleset, answers=answers),
            completed_at=timezone.now(),
            **fields,
        )

    return make


def _all_steps(ruleset: Ruleset) -> list[str]:
    from advisor.assessments.steps import build_steps
    from advisor.rules.services import question_specs

    return [step.slug for step in build_steps(question_specs(ruleset))]


@pytest.fixture
def completed_of_a(make_completed: Callable[..., Assessment], consultant_a: User) -> Assessment:
    return make_completed(owner=consultant_a)


def client_for(user: User | None, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client
