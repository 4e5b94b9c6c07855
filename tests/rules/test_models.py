"""A published (or archived) ruleset is immutable: the models refuse the write."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from advisor.rules.models import ImmutableRulesetError, Question, Rule, Ruleset, RulesetStatus

pytestmark = pytest.mark.django_db


def test_published_ruleset_cannot_be_renamed(published_ruleset):
    published_ruleset.notes = "edited"
    with pytest.raises(ImmutableRulesetError, match="cannot be changed"):
        published_ruleset.save()
    assert Ruleset.objects.get(pk=published_ruleset.pk).notes == ""


def test_published_ruleset_cannot_go_back_to_draft(published_ruleset):
    published_ruleset.status = RulesetStatus.DRAFT
    with pytest.raises(ImmutableRulesetError):
        published_ruleset.save()


def test_published_ruleset_may_only_be_archived(published_ruleset):
    published_ruleset.status = RulesetStatus.ARCHIVED
    published_ruleset.is_current = False
    published_ruleset.save()
    assert Ruleset.objects.get(pk=published_ruleset.pk).status == RulesetStatus.ARCHIVED


def test_archived_ruleset_cannot_be_republished(published_ruleset):
    Ruleset.objects.filter(pk=published_ruleset.pk).update(status=RulesetStatus.ARCHIVED)
    published_ruleset.refresh_from_db()
    published_ruleset.status = RulesetStatus.PUBLISHED
    with pytest.raises(ImmutableRulesetError):
        published_ruleset.save()


def test_published_ruleset_cannot_be_deleted(published_ruleset):
    with pytest.raises(ImmutableRulesetError):
        published_ruleset.delete()
    with pytest.raises(ImmutableRulesetError):
        Ruleset.objects.filter(pk=published_ruleset.pk).delete()
    assert Ruleset.objects.filter(pk=published_ruleset.pk).exists()


def test_rule_of_published_ruleset_cannot_be_edited(published_ruleset):
    rule = published_ruleset.rules.get(code="low-volume-favours-api")
    rule.condition = "monthly_queries < 1"
    with pytest.raises(ImmutableRulesetError, match="Clone the ruleset"):
        rule.save()
    assert Rule.objects.get(pk=rule.pk).condition == "monthly_queries < 10000000"


def test_rule_cannot_be_added_to_published_ruleset(published_ruleset):
    with pytest.raises(ImmutableRulesetError):
        Rule.objects.create(
            ruleset=published_ruleset, code="new", title="New", condition="true", rationale="x"
        )


def test_rule_cannot_be_moved_out_of_published_ruleset(published_ruleset, draft_ruleset):
    rule = published_ruleset.rules.get(code="low-volume-favours-api")
    rule.ruleset = draft_ruleset
    rule.code = "moved"
    with pytest.raises(ImmutableRulesetError):
        rule.save()


def test_question_of_published_ruleset_cannot_be_edited_or_deleted(published_ruleset):
    question = published_ruleset.questions.get(key="regimes")
    question.prompt = "Changed?"
    with pytest.raises(ImmutableRulesetError):
        question.save()
    with pytest.raises(ImmutableRulesetError):
        question.delete()
    assert Question.objects.get(pk=question.pk).prompt == "Which regimes apply?"


def test_bulk_writes_to_published_ruleset_are_refused(published_ruleset):
    with pytest.raises(ImmutableRulesetError):
        Rule.objects.filter(ruleset=published_ruleset).update(enabled=False)
    with pytest.raises(ImmutableRulesetError):
        Question.objects.filter(ruleset=published_ruleset).delete()
    assert Rule.objects.filter(ruleset=published_ruleset, enabled=True).count() == 2


def test_draft_ruleset_is_freely_editable(draft_ruleset):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    rule.condition = "monthly_queries < 5000000"
    rule.save()
    draft_ruleset.notes = "work in progress"
    draft_ruleset.save()
    Question.objects.filter(ruleset=draft_ruleset, key="load_pattern").delete()
    draft_ruleset.delete()
    assert not Ruleset.objects.filter(pk=draft_ruleset.pk).exists()


def test_loading_a_published_fixture_twice_still_works(published_ruleset, tmp_path):
    # loaddata saves raw (save_base), so re-seeding updates frozen rows in place.
    fixture = tmp_path / "rulesets.json"
    call_command("dumpdata", "rules.ruleset", "rules.question", "rules.rule", output=str(fixture))
    call_command("loaddata", str(fixture), verbosity=0)
    call_command("loaddata", str(fixture), verbosity=0)
    assert Ruleset.objects.get().is_current
    assert Rule.objects.count() == 2
