"""Test settings overrides live here, in one place."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.results import result_snapshot
from advisor.assessments.services import assessment_complete, assessment_save_step
from advisor.assessments.steps import build_steps
from advisor.rules.models import Ruleset
from advisor.rules.services import clear_compiled_cache, question_specs

# No per-example deadline: speed is measured by the benchmark scripts (bench/),
# not asserted by tests, and a loaded CI machine must not fail a correct example.
hypothesis_settings.register_profile("advisor", deadline=None)
hypothesis_settings.load_profile("advisor")

ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "artifacts"

# Every test user's password (long enough for the password validators).
PASSWORD = "a-long-test-password-1"

# A high-volume workload (300M steady queries a month, 80 % simple): self-hosting wins.
HIGH_VOLUME_ANSWERS: dict[str, Any] = {
    "monthly_queries": 300_000_000,
    "load_pattern": "steady",
    "simple_query_share_pct": 80,
    "has_production_data": True,
    "gpu_ops_experience": "established",
    "planned_serving_stack": "vllm",
    "primary_driver": "cost",
    "frontier_capability": "not_needed",
}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """SQLite tests use a database file, as `make run` does, not shared-cache memory.

    In shared-cache memory SQLite locks tables, not the database, and a
    waiting writer fails at once ("database table is locked") instead of
    waiting for the busy timeout: the concurrent-submission tests
    (tests/faults/test_concurrent_submissions.py) need the real behaviour.
    """
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Django fills in TEST["NAME"] = None (memory) when it is not set.
        test = database.setdefault("TEST", {})
        if not test.get("NAME"):
            test["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path) -> None:
    settings.STATIC_URL = "/static/"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Off except in their own tests (tests/consultants/security/test_login.py,
    # tests/consultants/security/test_rate_limits.py): the locmem cache and the
    # axes tables would otherwise carry counts from one test into the next.
    settings.AXES_ENABLED = False
    settings.RATELIMIT_ENABLE = False


def make_consultant(username: str, **fields: Any) -> User:
    """A user in the Consultants group, which is what the workspace and reports check."""
    user = User.objects.create_user(username, password=PASSWORD, **fields)
    user.groups.add(Group.objects.get_or_create(name="Consultants")[0])
    return user


@pytest.fixture
def consultant(db: None) -> User:
    """A consultant with a full name (the report's "prepared by")."""
    return make_consultant("casey", first_name="Casey", last_name="Jordan")


@pytest.fixture
def artifacts_dir() -> Path:
    """Screenshots and rendered pages kept after the run (git-ignored)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def seeded(db: None) -> None:
    """The price catalog and the published brief-2026 ruleset, as `seed` loads them."""
    call_command("seed", "--no-demo-users", stdout=StringIO())
    # Compiled rulesets are cached per process by primary key; a new test
    # database may reuse a key for different rows.
    clear_compiled_cache()


@pytest.fixture
def brief_ruleset(seeded: None) -> Ruleset:
    """The current seeded version (v1 stays, archived, for results scored with it)."""
    return Ruleset.objects.get(name="brief-2026", is_current=True)


@pytest.fixture
def v2_current(seeded: None) -> Ruleset:
    """The last score-point ruleset made current: for tests of decision model v2's mechanics
    (two questions, reasons by score, confidence from re-scored draws), which still run for
    results scored with it and re-scores against it."""
    Ruleset.objects.filter(is_current=True).update(is_current=False)
    Ruleset.objects.filter(name="brief-2026", version="5").update(is_current=True)
    clear_compiled_cache()
    return Ruleset.objects.get(name="brief-2026", version="5")


@pytest.fixture
def v2_ruleset(seeded: None) -> Ruleset:
    """The last seeded version decided by score points (decision model v2), still published:
    its results and re-scores with it run the v2 engine, which these tests keep honest."""
    return Ruleset.objects.get(name="brief-2026", version="5")


@pytest.fixture
def make_completed(brief_ruleset: Ruleset) -> Callable[..., Assessment]:
    """A completed assessment with a real result snapshot, as the wizard stores it."""
    every_step = [step.slug for step in build_steps(question_specs(brief_ruleset))]

    def make(
        answers: dict[str, Any] | None = None,
        *,
        owner: User | None = None,
        client_name: str = "Acme Health",
        **fields: Any,
    ) -> Assessment:
        answers = dict(HIGH_VOLUME_ANSWERS if answers is None else answers)
        return Assessment.objects.create(
            ruleset=brief_ruleset,
            answers=answers,
            saved_steps=every_step,
            client_name=client_name,
            owner=owner,
            status=AssessmentStatus.COMPLETED,
            result=result_snapshot(ruleset=brief_ruleset, answers=answers),
            completed_at=timezone.now(),
            **fields,
        )

    return make


@pytest.fixture
def complete_again() -> Callable[..., Assessment]:
    """Change a completed assessment's answers and complete it again, as the wizard does.

    Through the services, as a buyer's edit and "Complete" are: every cache
    keyed by the stored result's version sees the new result.
    """

    def again(assessment: Assessment, **answers: Any) -> Assessment:
        steps = build_steps(question_specs(assessment.ruleset))
        for step in steps:
            mine = {key: value for key, value in answers.items() if key in step.keys}
            if mine:
                assessment_save_step(
                    assessment=assessment, steps=steps, step=step, answers=mine, mark_saved=True
                )
        return assessment_complete(assessment=assessment, steps=steps)

    return again


# Two consultants (A owns the assessments) and a staff user: the access tests of
# the workspace (tests/consultants) and of the API (tests/api).
@pytest.fixture
def consultant_a(db: None) -> User:
    return make_consultant("alex")


@pytest.fixture
def consultant_b(db: None) -> User:
    return make_consultant("blake")


@pytest.fixture
def staff_user(db: None) -> User:
    return User.objects.create_user("sam-staff", password=PASSWORD, is_staff=True)


@pytest.fixture
def completed_of_a(make_completed: Callable[..., Assessment], consultant_a: User) -> Assessment:
    return make_completed(owner=consultant_a)
