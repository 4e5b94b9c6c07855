"""Every ruleset, question and rule edit is recorded: who, when, what changed."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from advisor.rules import audit
from advisor.rules.models import ChangeAction, ChangeRecord, Rule, Ruleset

pytestmark = pytest.mark.django_db


def test_field_changes_lists_old_and_new_values():
    before = {"condition": "a < 1", "order": 1, "excludes": []}
    after = {"condition": "a < 2", "order": 1, "excludes": ["api"]}
    assert audit.field_changes(before, after) == {
        "condition": ["a < 1", "a < 2"],
        "excludes": [[], ["api"]],
    }


def test_saving_a_rule_records_the_condition_before_and_after(draft_ruleset, admin_user):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    before = audit.stored_snapshot(rule)
    rule.condition = "monthly_queries < 5000000"
    rule.save()

    record = audit.record_save(user=admin_user, instance=rule, before=before)

    assert record.action == ChangeAction.CHANGED
    assert record.changes == {
        "condition": ["monthly_queries < 10000000", "monthly_queries < 5000000"]
    }
    assert (record.user, record.username) == (admin_user, admin_user.username)
    assert record.ruleset == draft_ruleset
    assert (record.object_type, record.object_id) == ("rule", rule.pk)
    assert record.at is not None


def test_an_unchanged_save_records_nothing(draft_ruleset, admin_user):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    before = audit.stored_snapshot(rule)
    rule.save()
    assert audit.record_save(user=admin_user, instance=rule, before=before) is None


def test_deleting_a_draft_keeps_its_record_readable(draft_ruleset, admin_user):
    audit.record_delete(user=admin_user, instance=draft_ruleset)
    draft_ruleset.delete()

    record = ChangeRecord.objects.get()
    assert record.ruleset is None
    assert record.ruleset_label == "test-rules 2"
    assert record.changes["version"] == ["2", None]


def test_admin_edit_is_recorded_with_user_and_fields(admin_client, admin_user, draft_ruleset):
    rule = draft_ruleset.rules.get(code="hipaa-rules-out-api")
    url = reverse("admin:rules_rule_change", args=[rule.pk])
    data = {
        "ruleset": draft_ruleset.pk, "code": rule.code, "title": rule.title, "order": "20",
        "enabled": "on", "condition": "'hipaa' in regimes and monthly_queries > 1000",
        "self_host_delta": "4", "excludes": ["api", "hybrid"], "rationale": rule.rationale,
    }  # fmt: skip

    response = admin_client.post(url, data)

    assert response.status_code == 302
    record = ChangeRecord.objects.get()
    assert record.username == admin_user.username
    assert record.changes == {
        "condition": ["'hipaa' in regimes", "'hipaa' in regimes and monthly_queries > 1000"],
        "score_deltas": [{"self_host": 3}, {"self_host": 4}],
    }


def test_admin_delete_of_a_draft_rule_is_recorded(admin_client, draft_ruleset):
    rule = draft_ruleset.rules.get(code="hipaa-rules-out-api")

    admin_client.post(reverse("admin:rules_rule_delete", args=[rule.pk]), {"post": "yes"})

    assert not Rule.objects.filter(pk=rule.pk).exists()
    record = ChangeRecord.objects.get()
    assert (record.action, record.object_repr) == (ChangeAction.DELETED, "hipaa-rules-out-api")
    assert record.changes["condition"] == ["'hipaa' in regimes", None]


def test_admin_bulk_delete_records_each_rule(admin_client, draft_ruleset):
    rule_ids = [str(pk) for pk in draft_ruleset.rules.values_list("pk", flat=True)]
    data = {"action": "delete_selected", "_selected_action": rule_ids, "post": "yes"}

    admin_client.post(reverse("admin:rules_rule_changelist"), data)

    assert not draft_ruleset.rules.exists()
    assert ChangeRecord.objects.filter(action=ChangeAction.DELETED).count() == 2


def test_admin_shows_the_change_field_by_field(admin_client, admin_user, draft_ruleset):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    before = audit.stored_snapshot(rule)
    rule.condition = "monthly_queries < 5000000"
    rule.save()
    record = audit.record_save(user=admin_user, instance=rule, before=before)

    detail = admin_client.get(reverse("admin:rules_changerecord_change", args=[record.pk]))
    listing = admin_client.get(
        reverse("admin:rules_changerecord_changelist"),
        {"object_type": "rule", "object_id": rule.pk},
    )

    text = html.unescape(detail.content.decode())
    assert "monthly_queries < 10000000" in text
    assert "monthly_queries < 5000000" in text
    assert admin_user.username in text
    assert list(listing.context["cl"].result_list) == [record]


def test_audit_records_cannot_be_edited_or_deleted_in_admin(admin_client, admin_user):
    ruleset = Ruleset.objects.create(name="r", version="1")
    record = audit.record_save(user=admin_user, instance=ruleset, before=None)
    url = reverse("admin:rules_changerecord_delete", args=[record.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert ChangeRecord.objects.filter(pk=record.pk).exists()
