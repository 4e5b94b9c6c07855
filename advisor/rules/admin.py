"""Rulesets, questions and rules in Django admin.

Layout: a ruleset's page shows its status, validation problems and two
compact inlines (order and on/off switches, with links); a rule or question
is edited on its own page, reached from those links or from list views
filtered by ruleset, because a ruleset has 20+ rules and full inlines with
conditions would be unreadable. Published and archived rulesets are shown
read-only everywhere (the models refuse the writes too). Every save and
delete goes through the audit trail; publishing, cloning and archiving go
through the services in ``publishing.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict, TypeVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST
from django_stubs_ext import WithAnnotations

from advisor.options import OPERATOR_OPTION_LABELS
from advisor.rules import audit, preview
from advisor.rules.admin_forms import QuestionForm, RuleForm
from advisor.rules.models import ChangeRecord, Question, Rule, Ruleset
from advisor.rules.publishing import (
    PublishingError,
    ruleset_archive,
    ruleset_clone,
    ruleset_problems,
    ruleset_publish,
)
from advisor.scoring.effects import InvalidEffect, describe, parse_effects

ADMIN_CSS = {"all": ("css/admin-rules.css",)}


def history_link(*, object_type: str, object_id: int | None, label: str) -> str:
    """A link to the audit records of one object (or "-" before it exists)."""
    if object_id is None:
        return "-"
    url = reverse("admin:rules_changerecord_changelist")
    params: dict[str, str | int] = {"object_type": object_type, "object_id": object_id}
    query = urlencode(params)
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


def expression_html(expression: str) -> str:
    if not expression.strip():
        return "-"
    return format_html('<pre class="rule-expression">{}</pre>', expression)


def effect_html(rule: Rule) -> str:
    """``API +2 · Self-host -1 · rules out Hybrid``: the effect in one line."""
    parts = [
        f"{OPERATOR_OPTION_LABELS[option]} {delta:+g}"
        if isinstance(delta, (int, float))
        else f"{OPERATOR_OPTION_LABELS[option]} {delta}"  # an expression, shown as written
        for option, delta in rule.score_deltas.items()
    ]
    if rule.excludes:
        excluded = (OPERATOR_OPTION_LABELS[option] for option in rule.excludes)
        parts.append("rules out " + ", ".join(excluded))
    try:
        typed = parse_effects(rule.effects)
    except InvalidEffect as error:
        parts.append(f"invalid effects: {error}")
    else:
        parts.extend(describe(effect, OPERATOR_OPTION_LABELS) for effect in typed)
    return " · ".join(parts) or "-"


_Audited = TypeVar("_Audited", bound=Ruleset | Question | Rule)


class AuditedAdmin(admin.ModelAdmin[_Audited]):
    """Writes a ChangeRecord for every save and delete the admin makes."""

    def save_model(
        self, request: HttpRequest, obj: _Audited, form: ModelForm[_Audited], change: bool
    ) -> None:
        before = audit.stored_snapshot(obj) if change else None
        super().save_model(request, obj, form, change)
        audit.record_save(user=request.user, instance=obj, before=before)

    def delete_model(self, request: HttpRequest, obj: _Audited) -> None:
        audit.record_delete(user=request.user, instance=obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[_Audited]) -> None:
        for obj in queryset:
            audit.record_delete(user=request.user, instance=obj)
        super().delete_queryset(request, queryset)

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[_Audited],
        # The ruleset page's inlines: its questions or its rules.
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit.record_delete(user=request.user, instance=obj)
            obj.delete()
        for obj in instances:
            before = audit.stored_snapshot(obj)
            obj.save()
            audit.record_save(user=request.user, instance=obj, before=before)
        formset.save_m2m()


_Child = TypeVar("_Child", bound=Question | Rule)


class RulesetChildAdmin(AuditedAdmin[_Child]):
    """Questions and rules: editable only while their ruleset is a draft."""

    list_select_related = ["ruleset"]
    save_on_top = True

    class Media:
        css = ADMIN_CSS

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.ruleset.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.ruleset.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="Change history")
    def history(self, obj: _Child) -> str:
        model_name = obj._meta.model_name
        assert model_name is not None  # set for every concrete model
        return history_link(
            object_type=model_name, object_id=obj.pk, label="Every change, field by field"
        )


@admin.register(Rule)
class RuleAdmin(RulesetChildAdmin[Rule]):
    form = RuleForm
    list_display = ["code", "title", "ruleset", "order", "enabled", "effect", "caveat_code"]
    list_display_links = ["code", "title"]
    list_filter = ["ruleset", "enabled", "ruleset__status"]
    search_fields = ["code", "title", "condition", "rationale", "caveat_code", "source"]
    ordering = ["ruleset", "order", "code"]
    readonly_fields = ["history"]

    def get_fieldsets(self, request: HttpRequest, obj: Rule | None = None) -> Any:
        editable = self.has_change_permission(request, obj) if obj else True
        # Read-only pages show the effect in words and the condition as code;
        # the per-option inputs exist only on the form.
        condition = "condition" if editable else "condition_code"
        effect = [("api_delta", "self_host_delta", "hybrid_delta"), "excludes", "effects"]
        return [
            (None, {"fields": ["ruleset", ("code", "order", "enabled"), "title"]}),
            ("When", {"fields": [condition]}),
            ("Effect", {"fields": effect if editable else ["effect"]}),
            ("What users read", {"fields": ["rationale", "caveat_code", "caveat_text", "source"]}),
            ("Audit", {"fields": ["history"]}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Rule | None = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "condition_code", "effect"]

    @admin.display(description="Condition")
    def condition_code(self, obj: Rule) -> str:
        return expression_html(obj.condition)

    @admin.display(description="Effect")
    def effect(self, obj: Rule) -> str:
        return effect_html(obj)


@admin.register(Question)
class QuestionAdmin(RulesetChildAdmin[Question]):
    form = QuestionForm
    list_display = [
        "key", "prompt", "ruleset", "section", "order", "type", "required", "asked_when",
    ]  # fmt: skip
    list_display_links = ["key", "prompt"]
    list_filter = ["ruleset", "section", "type", "required", "advanced"]
    search_fields = ["key", "prompt", "help_text", "show_if"]
    ordering = ["ruleset", "section_order", "order", "key"]
    readonly_fields = ["history", "show_if_code"]

    def get_fieldsets(self, request: HttpRequest, obj: Question | None = None) -> Any:
        editable = self.has_change_permission(request, obj) if obj else True
        answer = ["type", "choices", "catalog", "unit", ("min_value", "max_value"), "default"]
        return [
            (None, {"fields": ["ruleset", "key", "prompt", "help_text"]}),
            ("Placement", {"fields": [("section", "section_order", "order"), "advanced"]}),
            ("Answer", {"fields": [*answer, "required"]}),
            ("Asked when", {"fields": ["show_if" if editable else "show_if_code"]}),
            ("Audit", {"fields": ["history"]}),
        ]

    @admin.display(description="Asked when")
    def asked_when(self, obj: Question) -> str:
        return obj.show_if or "always"

    @admin.display(description="Show if")
    def show_if_code(self, obj: Question) -> str:
        return expression_html(obj.show_if)


class RulesetChildInline(admin.TabularInline[_Child, Ruleset]):
    """Compact rows on the ruleset page: reorder, switch off, follow the link."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Adding needs the full form (condition, rationale): use the add page.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)


class RuleInline(RulesetChildInline[Rule]):
    model = Rule
    fields = ["order", "code", "title", "effect", "enabled"]
    readonly_fields = ["code", "title", "effect"]

    @admin.display(description="Effect")
    def effect(self, obj: Rule) -> str:
        return effect_html(obj)


class QuestionInline(RulesetChildInline[Question]):
    model = Question
    fields = ["section", "section_order", "order", "key", "prompt", "type", "required"]
    readonly_fields = ["key", "prompt", "type"]


class _Totals(TypedDict):
    """What RulesetAdmin.get_queryset annotates each ruleset with."""

    question_total: int
    rule_total: int


@admin.register(Ruleset)
class RulesetAdmin(AuditedAdmin[Ruleset]):
    list_display = [
        "name", "version", "status", "is_current", "question_count", "rule_count",
        "published_at", "published_by",
    ]  # fmt: skip
    list_filter = ["status", "is_current", "name"]
    search_fields = ["name", "version", "notes"]
    fields = [
        ("name", "version"), "notes", "decision_model", ("status", "is_current"),
        ("published_at", "published_by"),
        "contents", "problems", "history",
    ]  # fmt: skip
    readonly_fields = [
        "status", "is_current", "published_at", "published_by", "contents", "problems", "history",
    ]  # fmt: skip
    inlines = [RuleInline, QuestionInline]
    actions = ["publish_selected", "clone_selected", "archive_selected"]
    save_on_top = True

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Ruleset]:
        return (
            super()
            .get_queryset(request)
            .select_related("published_by")
            .annotate(
                question_total=Count("questions", distinct=True),
                rule_total=Count("rules", distinct=True),
            )
        )

    def has_change_permission(self, request: HttpRequest, obj: Ruleset | None = None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Ruleset | None = None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    # -- read-only summary ------------------------------------------------

    @admin.display(description="Questions", ordering="question_total")
    def question_count(self, obj: WithAnnotations[Ruleset, _Totals]) -> int:
        return obj.question_total

    @admin.display(description="Rules", ordering="rule_total")
    def rule_count(self, obj: WithAnnotations[Ruleset, _Totals]) -> int:
        return obj.rule_total

    @admin.display(description="Contents")
    def contents(self, obj: Ruleset) -> str:
        if obj.pk is None:
            return "Save the ruleset, then add questions and rules."
        links = [
            (reverse(f"admin:rules_{model}_changelist"), obj.pk, label)
            for model, label in (("rule", "All rules"), ("question", "All questions"))
        ]
        listing = format_html_join(" · ", '<a href="{}?ruleset__id__exact={}">{}</a>', links)
        if obj.is_frozen:
            return listing
        adding = format_html_join(
            " · ",
            '<a href="{}?ruleset={}">{}</a>',
            [
                (reverse(f"admin:rules_{model}_add"), obj.pk, label)
                for model, label in (("rule", "Add a rule"), ("question", "Add a question"))
            ],
        )
        return format_html("{} · {}", listing, adding)

    @admin.display(description="Problems that block publishing")
    def problems(self, obj: Ruleset) -> str:
        if obj.pk is None or obj.is_frozen:
            return "-"
        found = ruleset_problems(ruleset=obj)
        if not found:
            return "None: every condition compiles against this ruleset's questions."
        return format_html(
            '<ul class="ruleset-problems">{}</ul>',
            format_html_join("", "<li>{}</li>", ((problem,) for problem in found)),
        )

    @admin.display(description="Change history")
    def history(self, obj: Ruleset) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:rules_changerecord_changelist")
        return format_html(
            '<a href="{}?ruleset__id__exact={}">Every change to this ruleset, '
            "its questions and its rules</a>",
            url,
            obj.pk,
        )

    # -- publishing: actions on the list, buttons on the page -------------

    @admin.action(description="Publish (make it the current ruleset)")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Ruleset]) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one draft to publish.", messages.ERROR)
            return
        self._publish(request, queryset.get())

    @admin.action(description="Clone to a new draft")
    def clone_selected(self, request: HttpRequest, queryset: QuerySet[Ruleset]) -> None:
        for ruleset in queryset:
            self._clone(request, ruleset)

    @admin.action(description="Archive")
    def archive_selected(self, request: HttpRequest, queryset: QuerySet[Ruleset]) -> None:
        for ruleset in queryset:
            self._archive(request, ruleset)

    def _publish(self, request: HttpRequest, ruleset: Ruleset) -> None:
        try:
            published = ruleset_publish(ruleset=ruleset, user=request.user)
        except PublishingError as error:
            self.message_user(request, error_html(error), messages.ERROR)
            return
        self.message_user(
            request,
            f"Published {published.name} {published.version}: it is now the current ruleset.",
            messages.SUCCESS,
        )

    def _clone(self, request: HttpRequest, ruleset: Ruleset) -> Ruleset:
        clone = ruleset_clone(ruleset=ruleset, user=request.user)
        self.message_user(request, f"Cloned {ruleset} to {clone}.", messages.SUCCESS)
        return clone

    def _archive(self, request: HttpRequest, ruleset: Ruleset) -> None:
        try:
            archived = ruleset_archive(ruleset=ruleset, user=request.user)
        except PublishingError as error:
            self.message_user(request, error_html(error), messages.ERROR)
            return
        self.message_user(request, f"Archived {archived}.", messages.SUCCESS)

    def get_urls(self) -> list[URLPattern]:
        def view(name: str, function: Callable[..., HttpResponse]) -> URLPattern:
            wrapped = self.admin_site.admin_view(function)
            return path(f"<path:object_id>/{name}/", wrapped, name=f"rules_ruleset_{name}")

        return [
            view("preview", self.preview_view),
            view("publish", require_POST(self.publish_view)),
            view("clone", require_POST(self.clone_view)),
            view("archive", require_POST(self.archive_view)),
            *super().get_urls(),
        ]

    def _ruleset_or_404(self, request: HttpRequest, object_id: str) -> Ruleset:
        ruleset = self.get_object(request, object_id)
        if ruleset is None:
            raise Http404("No such ruleset.")
        return ruleset

    def _change_page(self, ruleset: Ruleset) -> HttpResponseRedirect:
        return redirect("admin:rules_ruleset_change", ruleset.pk)

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._change_status(request, object_id, self._publish)

    def clone_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        ruleset = self._ruleset_or_404(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self._change_page(self._clone(request, ruleset))

    def archive_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._change_status(request, object_id, self._archive)

    def _change_status(
        self,
        request: HttpRequest,
        object_id: str,
        change: Callable[[HttpRequest, Ruleset], None],
    ) -> HttpResponse:
        """Publish or archive: the model-wide change permission, then back to the ruleset."""
        ruleset = self._ruleset_or_404(request, object_id)
        if not super().has_change_permission(request):
            raise PermissionDenied
        change(request, ruleset)
        return self._change_page(ruleset)

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The draft and the current ruleset over the scenario library, side by side."""
        ruleset = self._ruleset_or_404(request, object_id)
        if not self.has_view_permission(request, ruleset):
            raise PermissionDenied
        baseline = Ruleset.objects.current()
        comparisons = preview.ruleset_preview(ruleset=ruleset, baseline=baseline)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": ruleset,
            "baseline": baseline,
            "comparisons": comparisons,
            "differing": sum(comparison.differs for comparison in comparisons),
            "title": f"Preview {ruleset.name} {ruleset.version} against the scenario library",
            "media": self.media,
        }
        return TemplateResponse(request, "admin/rules/ruleset/preview.html", context)


def error_html(error: PublishingError) -> SafeString:
    """The refusal and each problem on its own line, escaped."""
    if not error.problems:
        return format_html("{}", error.message)
    items = format_html_join("", "<li>{}</li>", ((problem,) for problem in error.problems))
    return format_html('{}<ul class="ruleset-problems">{}</ul>', error.message, items)


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin[ChangeRecord]):
    """The audit trail: read-only, filterable by ruleset, action and kind."""

    list_display = ["at", "username", "action", "object_type", "object_repr", "ruleset_label"]
    list_filter = ["action", "object_type", "ruleset", "username"]
    search_fields = ["object_repr", "username", "note", "ruleset_label"]
    date_hierarchy = "at"
    fields = [
        ("at", "username"), ("action", "object_type", "object_repr"), "ruleset_label", "note",
        "changed_fields",
    ]  # fmt: skip
    readonly_fields = ["changed_fields"]

    class Media:
        css = ADMIN_CSS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="What changed")
    def changed_fields(self, obj: ChangeRecord) -> str:
        if not obj.changes:
            return "-"
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td><pre class="rule-expression">{}</pre></td>'
            '<td><pre class="rule-expression">{}</pre></td></tr>',
            (
                (field, _display(old), _display(new))
                for field, (old, new) in sorted(obj.changes.items())
            ),
        )
        return format_html(
            '<table class="change-diff"><thead><tr><th scope="col">Field</th>'
            '<th scope="col">Before</th><th scope="col">After</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )


def _display(value: Any) -> str:
    return "-" if value is None or value == "" else str(value)
