"""Publishing, cloning and archiving rulesets: exactly one current, all audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from advisor.rules.models import ChangeAction, ChangeRecord, Rule, Ruleset, RulesetStatus
from advisor.rules.publishing import (
    PublishingError,
    next_version,
    ruleset_archive,
    ruleset_clone,
    ruleset_publish,
)

pytestmark = pytest.mark.django_db


def test_publish_makes_the_draft_current_and_archives_the_previous(
    published_ruleset, draft_ruleset, admin_user
):
    published = ruleset_publish(ruleset=draft_ruleset, user=admin_user)

    assert published.status == RulesetStatus.PUBLISHED
    assert published.is_current
    assert published.published_by == admin_user
    assert published.published_at is not None
    previous = Ruleset.objects.get(pk=published_ruleset.pk)
    assert previous.status == RulesetStatus.ARCHIVED
    assert not previous.is_current
    assert Ruleset.objects.current() == published
    assert Ruleset.objects.filter(is_current=True).count() == 1


def test_publish_is_audited(published_ruleset, draft_ruleset, admin_user):
    ruleset_publish(ruleset=draft_ruleset, user=admin_user)

    published = ChangeRecord.objects.get(action=ChangeAction.PUBLISHED)
    assert published.ruleset_id == draft_ruleset.pk
    assert published.username == admin_user.username
    assert published.changes["status"] == ["draft", "published"]
    archived = ChangeRecord.objects.get(action=ChangeAction.ARCHIVED)
    assert archived.ruleset_id == published_ruleset.pk
    assert "Replaced by test-rules 2" in archived.note


def test_publish_refuses_a_ruleset_whose_conditions_do_not_compile(
    published_ruleset, draft_ruleset, admin_user
):
    # A question renamed after the rule was saved leaves the rule dangling.
    draft_ruleset.questions.filter(key="regimes").update(key="compliance_regimes")

    with pytest.raises(PublishingError) as refused:
        ruleset_publish(ruleset=draft_ruleset, user=admin_user)

    assert any("hipaa-rules-out-api" in problem for problem in refused.value.problems)
    assert any("regimes" in problem for problem in refused.value.problems)
    draft_ruleset.refresh_from_db()
    assert draft_ruleset.status == RulesetStatus.DRAFT
    assert Ruleset.objects.current() == published_ruleset


def test_publish_refuses_a_ruleset_that_is_not_a_draft(published_ruleset, admin_user):
    with pytest.raises(PublishingError, match="Only drafts"):
        ruleset_publish(ruleset=published_ruleset, user=admin_user)


def test_first_publish_needs_no_previous_current(draft_ruleset, admin_user):
    assert ruleset_publish(ruleset=draft_ruleset, user=admin_user).is_current


def test_database_allows_only_one_current_ruleset(published_ruleset, draft_ruleset):
    with pytest.raises(IntegrityError):
        Ruleset.objects.filter(pk=draft_ruleset.pk).update(is_current=True)


def test_clone_copies_questions_and_rules_into_a_new_draft(published_ruleset, admin_user):
    clone = ruleset_clone(ruleset=published_ruleset, user=admin_user)

    assert clone.status == RulesetStatus.DRAFT
    assert not clone.is_current
    assert (clone.name, clone.version) == ("test-rules", "2")
    assert clone.questions.count() == published_ruleset.questions.count() == 4
    assert clone.rules.count() == published_ruleset.rules.count() == 2
    copied = clone.rules.get(code="hipaa-rules-out-api")
    assert copied.excludes == ["api", "hybrid"]
    assert copied.condition == "'hipaa' in regimes"
    assert Rule.objects.filter(ruleset=published_ruleset).count() == 2


def test_clone_is_editable_and_leaves_the_original_alone(published_ruleset, admin_user):
    clone = ruleset_clone(ruleset=published_ruleset, user=admin_user)
    rule = clone.rules.get(code="low-volume-favours-api")
    rule.condition = "monthly_queries < 1"
    rule.save()

    original = published_ruleset.rules.get(code="low-volume-favours-api")
    assert original.condition == "monthly_queries < 10000000"


def test_clone_is_audited_with_its_origin(published_ruleset, admin_user):
    clone = ruleset_clone(ruleset=published_ruleset, user=admin_user)

    record = ChangeRecord.objects.get(action=ChangeAction.CLONED)
    assert record.ruleset == clone
    assert record.user == admin_user
    assert record.note == "Cloned from test-rules 1: 4 questions, 2 rules."


def test_archive_refuses_the_current_ruleset(published_ruleset, admin_user):
    with pytest.raises(PublishingError, match="current ruleset"):
        ruleset_archive(ruleset=published_ruleset, user=admin_user)


def test_archive_retires_a_draft(draft_ruleset, admin_user):
    archived = ruleset_archive(ruleset=draft_ruleset, user=admin_user)
    assert archived.status == RulesetStatus.ARCHIVED
    assert archived.is_frozen


@pytest.mark.parametrize(
    ("version", "taken", "expected"),
    [
        ("1", [], "2"),
        ("2026.1", [], "2026.2"),
        ("2026.1", ["2026.2", "2026.3"], "2026.4"),
        ("beta", [], "beta.2"),
    ],
)
def test_next_version_is_unused(version, taken, expected):
    for existing in taken:
        Ruleset.objects.create(name="r", version=existing)
    assert next_version(name="r", version=version) == expected


def test_seeding_twice_keeps_the_published_ruleset(brief_ruleset):
    # loaddata writes raw rows, so the immutability guards do not block re-seeding.
    call_command("seed", "--no-demo-users", stdout=StringIO())
    assert Ruleset.objects.current() == brief_ruleset
    assert brief_ruleset.rules.count() == Rule.objects.filter(ruleset=brief_ruleset).count() > 20


def test_seeded_ruleset_clones_and_publishes(brief_ruleset, admin_user):
    clone = ruleset_clone(ruleset=brief_ruleset, user=admin_user)
    assert clone.version == "7"
    assert clone.rules.count() == brief_ruleset.rules.count()
    assert clone.questions.count() == brief_ruleset.questions.count()

    ruleset_publish(ruleset=clone, user=admin_user)

    assert Ruleset.objects.current() == clone
    assert Ruleset.objects.get(pk=brief_ruleset.pk).status == RulesetStatus.ARCHIVED
