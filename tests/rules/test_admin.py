"""The rules admin, driven through real POSTs of its change forms and actions."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from advisor.rules.models import ChangeAction, ChangeRecord, Question, Rule, Ruleset, RulesetStatus

pytestmark = pytest.mark.django_db


def form_data(response: Any) -> dict[str, Any]:
    """What the browser would post back unchanged: every form, inline and management form."""
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms_on_page:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(item) for item in value]
            elif value is not None:
                data[form.add_prefix(name)] = str(value)
    return data


def change_url(obj: Any) -> str:
    return reverse(f"admin:rules_{obj._meta.model_name}_change", args=[obj.pk])


def rule_change_data(admin_client: Any, rule: Rule, **changes: Any) -> dict[str, Any]:
    data = form_data(admin_client.get(change_url(rule)))
    return {**data, **changes}


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


# -- validation on save -------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("monthly_querys < 1", "Unknown name 'monthly_querys'. Did you mean 'monthly_queries'?"),
        ("monthly_queries <", "Syntax error"),
        ("monthly_queries > 'many'", "Type mismatch"),
        ("load_pattern == 'stedy'", "'stedy' is not a value of load_pattern"),
        ("load_pattern =~ '(a+)+$'", "Regular-expression operators"),
        (" and ".join(["monthly_queries > 1"] * 400), "the limit is 2,000"),
    ],
)  # fmt: skip
def test_bad_condition_is_refused_with_its_message(admin_client, draft_ruleset, condition, message):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    data = rule_change_data(admin_client, rule, condition=condition)

    response = admin_client.post(change_url(rule), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["condition"]
    assert any(message in error for error in errors), errors
    assert message in page_text(response)
    assert Rule.objects.get(pk=rule.pk).condition == "monthly_queries < 10000000"
    assert not ChangeRecord.objects.exists()


def test_bad_show_if_is_refused_on_its_field(admin_client, draft_ruleset):
    question = draft_ruleset.questions.get(key="has_production_data")
    data = {**form_data(admin_client.get(change_url(question))), "show_if": "'hipa' in regime"}

    response = admin_client.post(change_url(question), data)

    assert response.status_code == 200
    assert "Unknown name 'regime'" in " ".join(response.context["adminform"].form.errors["show_if"])
    assert Question.objects.get(pk=question.pk).show_if == ""


def test_score_change_out_of_bounds_is_refused(admin_client, draft_ruleset):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    data = rule_change_data(admin_client, rule, api_delta="1e9")

    response = admin_client.post(change_url(rule), data)

    assert "api_delta" in response.context["adminform"].form.errors
    assert Rule.objects.get(pk=rule.pk).score_deltas == {"api": 2}


def test_caveat_code_must_be_a_slug(admin_client, draft_ruleset):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    data = rule_change_data(admin_client, rule, caveat_code="not a slug", caveat_text="Text.")

    response = admin_client.post(change_url(rule), data)

    assert "caveat_code" in response.context["adminform"].form.errors


def test_good_edit_saves_the_effect_as_json(admin_client, draft_ruleset):
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    data = rule_change_data(
        admin_client,
        rule,
        condition="monthly_queries < 5000000 and load_pattern == 'spiky'",
        api_delta="3",
        hybrid_delta="-1.5",
        excludes=["self_host"],
    )

    response = admin_client.post(change_url(rule), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    rule.refresh_from_db()
    assert rule.condition == "monthly_queries < 5000000 and load_pattern == 'spiky'"
    assert rule.score_deltas == {"api": 3, "hybrid": -1.5}
    assert rule.excludes == ["self_host"]


def test_rule_can_be_added_to_a_draft(admin_client, draft_ruleset):
    data = {
        "ruleset": draft_ruleset.pk, "code": "spiky-load-favours-api", "title": "Spiky load",
        "order": "30", "enabled": "on", "condition": "load_pattern == 'spiky'",
        "api_delta": "1", "rationale": "Spiky load favours per-token pricing.",
        "caveat_code": "", "caveat_text": "", "source": "Brief, volume paragraph",
    }  # fmt: skip

    response = admin_client.post(reverse("admin:rules_rule_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert draft_ruleset.rules.filter(code="spiky-load-favours-api").exists()
    assert ChangeRecord.objects.get().action == ChangeAction.ADDED


def test_rules_cannot_be_added_to_a_published_ruleset(admin_client, published_ruleset):
    data = {
        "ruleset": published_ruleset.pk, "code": "sneaky", "title": "Sneaky", "order": "1",
        "condition": "true", "rationale": "x",
    }  # fmt: skip

    response = admin_client.post(reverse("admin:rules_rule_add"), data)

    assert "ruleset" in response.context["adminform"].form.errors
    assert not published_ruleset.rules.filter(code="sneaky").exists()


# -- published rulesets are read-only -----------------------------------------


def test_published_rule_page_is_read_only(admin_client, published_ruleset):
    rule = published_ruleset.rules.get(code="low-volume-favours-api")

    response = admin_client.get(change_url(rule))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert 'name="_save"' not in response.content.decode()
    assert "monthly_queries &lt; 10000000" in response.content.decode()


def test_published_rule_cannot_be_edited_through_admin(admin_client, published_ruleset):
    rule = published_ruleset.rules.get(code="low-volume-favours-api")
    draft_twin = Ruleset.objects.create(name="other", version="1")
    data = {
        "ruleset": draft_twin.pk, "code": rule.code, "title": "Edited", "order": "1",
        "enabled": "on", "condition": "monthly_queries < 1", "rationale": "Edited.",
    }  # fmt: skip

    response = admin_client.post(change_url(rule), data)

    assert response.status_code == 403
    rule.refresh_from_db()
    assert (rule.title, rule.condition) == (
        "Low volume favours the API",
        "monthly_queries < 10000000",
    )


def test_published_ruleset_page_refuses_posts(admin_client, published_ruleset):
    response = admin_client.get(change_url(published_ruleset))
    data = {**form_data(response), "notes": "Edited after publishing"}

    assert not response.context["has_change_permission"]
    assert admin_client.post(change_url(published_ruleset), data).status_code == 403
    assert Ruleset.objects.get(pk=published_ruleset.pk).notes == ""


def test_published_ruleset_cannot_be_deleted_through_admin(admin_client, published_ruleset):
    url = reverse("admin:rules_ruleset_delete", args=[published_ruleset.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Ruleset.objects.filter(pk=published_ruleset.pk).exists()


def test_bulk_delete_action_refuses_published_rules(admin_client, published_ruleset):
    rule_ids = [str(pk) for pk in published_ruleset.rules.values_list("pk", flat=True)]
    data = {"action": "delete_selected", "_selected_action": rule_ids, "post": "yes"}

    admin_client.post(reverse("admin:rules_rule_changelist"), data)

    assert published_ruleset.rules.count() == 2


# -- the ruleset page and its inlines ------------------------------------------


def test_inline_edits_on_a_draft_are_saved_and_audited(admin_client, admin_user, draft_ruleset):
    response = admin_client.get(change_url(draft_ruleset))
    data = form_data(response)
    rule_index = next(
        index
        for index in range(int(data["rules-TOTAL_FORMS"]))
        if Rule.objects.get(pk=data[f"rules-{index}-id"]).code == "hipaa-rules-out-api"
    )
    del data[f"rules-{rule_index}-enabled"]
    data[f"rules-{rule_index}-order"] = "5"
    data["notes"] = "Trying a softer HIPAA rule."

    response = admin_client.post(change_url(draft_ruleset), data)

    assert response.status_code == 302
    rule = draft_ruleset.rules.get(code="hipaa-rules-out-api")
    assert (rule.enabled, rule.order) == (False, 5)
    record = ChangeRecord.objects.get(object_type="rule")
    assert record.changes == {"order": [20, 5], "enabled": [True, False]}
    assert record.username == admin_user.username
    assert ChangeRecord.objects.get(object_type="ruleset").changes["notes"][1] == (
        "Trying a softer HIPAA rule."
    )


def test_ruleset_page_lists_problems_that_block_publishing(admin_client, draft_ruleset):
    draft_ruleset.questions.filter(key="regimes").update(key="compliance_regimes")

    response = admin_client.get(change_url(draft_ruleset))

    assert "Rule hipaa-rules-out-api: Unknown name 'regimes'" in page_text(response)


def test_ruleset_changelist_shows_counts_and_status(admin_client, published_ruleset):
    response = admin_client.get(reverse("admin:rules_ruleset_changelist"))
    assert response.status_code == 200
    assert "test-rules" in response.content.decode()


def test_rule_changelist_filters_and_searches(admin_client, published_ruleset, draft_ruleset):
    url = reverse("admin:rules_rule_changelist")
    response = admin_client.get(url, {"ruleset__id__exact": draft_ruleset.pk, "q": "hipaa"})
    rules = list(response.context["cl"].result_list)
    assert [(rule.ruleset_id, rule.code) for rule in rules] == [
        (draft_ruleset.pk, "hipaa-rules-out-api")
    ]


# -- publish and clone from the admin ---------------------------------------------


def test_publish_action_makes_the_draft_current(admin_client, published_ruleset, draft_ruleset):
    data = {"action": "publish_selected", "_selected_action": [str(draft_ruleset.pk)]}

    response = admin_client.post(reverse("admin:rules_ruleset_changelist"), data, follow=True)

    assert "Published test-rules 2: it is now the current ruleset." in page_text(response)
    assert Ruleset.objects.current() == draft_ruleset
    assert Ruleset.objects.get(pk=published_ruleset.pk).status == RulesetStatus.ARCHIVED


def test_publish_button_refuses_an_invalid_draft(admin_client, published_ruleset, draft_ruleset):
    Rule.objects.filter(pk=draft_ruleset.rules.get(code="hipaa-rules-out-api").pk).update(
        condition="'hipaa' in regimez"
    )
    url = reverse("admin:rules_ruleset_publish", args=[draft_ruleset.pk])

    response = admin_client.post(url, follow=True)

    text = page_text(response)
    assert "has problems and was not published" in text
    assert "Unknown name 'regimez'" in text
    assert Ruleset.objects.current() == published_ruleset


def test_publish_button_needs_post(admin_client, draft_ruleset):
    url = reverse("admin:rules_ruleset_publish", args=[draft_ruleset.pk])
    assert admin_client.get(url).status_code == 405
    assert Ruleset.objects.get(pk=draft_ruleset.pk).status == RulesetStatus.DRAFT


def test_clone_button_opens_the_new_draft(admin_client, published_ruleset):
    url = reverse("admin:rules_ruleset_clone", args=[published_ruleset.pk])

    response = admin_client.post(url)

    clone = Ruleset.objects.get(name="test-rules", version="2")
    assert response.status_code == 302
    assert response.url == change_url(clone)
    assert (clone.questions.count(), clone.rules.count()) == (4, 2)


def test_clone_action_copies_each_selected_ruleset(admin_client, published_ruleset):
    data = {"action": "clone_selected", "_selected_action": [str(published_ruleset.pk)]}
    admin_client.post(reverse("admin:rules_ruleset_changelist"), data)
    assert Ruleset.objects.filter(status=RulesetStatus.DRAFT).count() == 1


def test_lifecycle_views_are_staff_only(client, draft_ruleset):
    url = reverse("admin:rules_ruleset_publish", args=[draft_ruleset.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
    assert Ruleset.objects.get(pk=draft_ruleset.pk).status == RulesetStatus.DRAFT


# -- pages render ------------------------------------------------------------------


@pytest.mark.parametrize("model", ["rule", "question", "ruleset"])
def test_add_pages_render_with_the_rules_stylesheet(admin_client, draft_ruleset, model):
    response = admin_client.get(reverse(f"admin:rules_{model}_add"), {"ruleset": draft_ruleset.pk})
    assert response.status_code == 200
    assert "css/admin-rules.css" in response.content.decode()


def test_rule_page_shows_condition_in_a_monospace_field(admin_client, draft_ruleset):
    rule = draft_ruleset.rules.get(code="hipaa-rules-out-api")
    response = admin_client.get(change_url(rule))
    body = response.content.decode()
    assert 'class="rule-expression"' in body
    assert 'name="self_host_delta"' in body
    assert "Every change, field by field" in body


def test_ruleset_can_be_added_through_admin(admin_client):
    data = form_data(admin_client.get(reverse("admin:rules_ruleset_add")))
    data.update({"name": "brief-2027", "version": "0.1", "notes": "Next year's rules."})

    response = admin_client.post(reverse("admin:rules_ruleset_add"), data)

    assert response.status_code == 302
    ruleset = Ruleset.objects.get(name="brief-2027")
    assert ruleset.status == RulesetStatus.DRAFT
    assert ChangeRecord.objects.get().action == ChangeAction.ADDED


def test_question_choices_are_edited_as_lines(admin_client, draft_ruleset):
    question = draft_ruleset.questions.get(key="load_pattern")
    data = form_data(admin_client.get(change_url(question)))
    assert data["choices"] == "steady | Steady\nspiky | Spiky"
    data["choices"] = "steady | Steady\nspiky | Spiky\nunknown"

    response = admin_client.post(change_url(question), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    question.refresh_from_db()
    assert question.choices == [["steady", "Steady"], ["spiky", "Spiky"], ["unknown", "unknown"]]
