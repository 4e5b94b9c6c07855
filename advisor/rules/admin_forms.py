"""Admin forms for questions and rules: readable effects, checked conditions.

A rule's effect is stored as JSON (``score_deltas``, ``excludes``) but edited
as one number or expression per option and a checkbox per option, so an admin
cannot type an unknown option. An expression (``-4 * $log(tco_ratio_self_host
?? 1)``) is checked like a condition and must give a number. Conditions and
show-if expressions are compiled against the ruleset's question schema on
save; every message lands on its field.
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

from django import forms

from advisor.options import OPERATOR_OPTION_LABELS, OPTIONS
from advisor.rules.conditions import (
    MAX_SCORE_DELTA,
    validate_effect,
    validate_effect_expression,
    validate_placeholders,
)
from advisor.rules.models import Question, QuestionType, Rule, Ruleset, RulesetStatus
from advisor.rules.publishing import condition_errors
from advisor.rules.services import condition_schema

CHOICE_TYPES = (QuestionType.CHOICE, QuestionType.MULTI_CHOICE)


def expression_widget(rows: int) -> forms.Textarea:
    """A monospace, unspellchecked textarea (styled by css/admin-rules.css)."""
    return forms.Textarea(
        attrs={"class": "rule-expression", "rows": rows, "spellcheck": "false", "cols": 90}
    )


class DeltaField(forms.Field):
    """A score change: a number (bounded like the engine bounds it) or an expression.

    Returns a float, an expression string, or None when empty. Expressions
    are compiled against the ruleset's schema in :meth:`RuleForm.clean`.
    A plain Field, not a CharField, as its value is not always text.
    """

    def to_python(self, value: Any) -> float | str | None:
        text = "" if value in self.empty_values else str(value).strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return text  # an expression
        if not math.isfinite(number) or abs(number) > MAX_SCORE_DELTA:
            raise forms.ValidationError(
                f"Enter a number between {-MAX_SCORE_DELTA:g} and {MAX_SCORE_DELTA:g}, "
                "or an expression."
            )
        return number

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return value


def delta_field(*, label: str) -> DeltaField:
    return DeltaField(
        required=False,
        label=label,
        widget=forms.TextInput(attrs={"class": "rule-expression", "size": 60}),
    )


class ChoiceLinesField(forms.Field):
    """Choices as ``value | label`` lines instead of a JSON list of pairs.

    A plain Field, not a CharField: its value is the list of pairs, not text.
    """

    widget = forms.Textarea(attrs={"class": "rule-expression", "rows": 6, "cols": 60})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(" | ".join(str(part) for part in pair) for pair in value)
        return value

    def to_python(self, value: Any) -> list[list[str]]:
        text = "" if value in self.empty_values else str(value)
        pairs = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            choice_value, _, label = (part.strip() for part in line.partition("|"))
            if not choice_value:
                raise forms.ValidationError(f"Line {number} has no value before the '|'.")
            pairs.append([choice_value, label or choice_value])
        return pairs


_Child = TypeVar("_Child", bound=Question | Rule)


class RulesetChildForm(forms.ModelForm[_Child]):
    """Shared by question and rule forms: only drafts accept new children."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "ruleset" in self.fields:
            field = self.fields["ruleset"]
            assert isinstance(field, forms.ModelChoiceField)  # the ruleset foreign key's field
            field.queryset = Ruleset.objects.filter(status=RulesetStatus.DRAFT)

    def target_ruleset(self) -> Ruleset | None:
        ruleset = self.cleaned_data.get("ruleset")
        if ruleset is None and self.instance.ruleset_id is not None:
            ruleset = self.instance.ruleset
        return ruleset

    def check_expression(self, field: str, *, ruleset: Ruleset | None, outcome: bool) -> None:
        expression = self.cleaned_data.get(field, "")
        if ruleset is None or field in self.errors:
            return
        for message in condition_errors(ruleset=ruleset, expression=expression, outcome=outcome):
            self.add_error(field, message)


class QuestionForm(RulesetChildForm[Question]):
    choices = ChoiceLinesField(
        required=False,
        help_text="One choice per line: <code>value | label</code>. Rules compare the value.",
    )

    class Meta:
        model = Question
        fields = [
            "ruleset", "key", "prompt", "help_text", "section", "section_order", "order",
            "advanced", "type", "choices", "catalog", "unit", "min_value", "max_value",
            "default", "required", "show_if",
        ]  # fmt: skip
        widgets = {
            "show_if": expression_widget(rows=3),
            "help_text": forms.Textarea(attrs={"rows": 3, "cols": 90}),
        }
        help_texts = {
            "show_if": "A condition over other answers; empty means always asked. "
            "Example: <code>'hipaa' in regimes</code>.",
            "default": 'JSON: 1500, 12.5, true, "unknown" or ["gdpr"].',
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns
        if cleaned.get("type") in CHOICE_TYPES and not cleaned.get("choices"):
            self.add_error("choices", "A choice question needs at least one choice.")
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", "The maximum is below the minimum.")
        if cleaned.get("show_if", "").strip():
            self.check_expression("show_if", ruleset=self.target_ruleset(), outcome=False)
        return cleaned


# What a rule's texts may quote; money and volumes in prose as the rest of the advice reads them.
PLACEHOLDER_HELP = (
    "May quote figures: <code>{tco_ratio_self_host:.1f}</code> gives 0.3, "
    "<code>{tco_api_usd:usd}</code> gives $4.46M, <code>{average_monthly_queries:volume}</code> "
    "gives 13.6M (money and volumes at three significant figures, as on the result page). "
    "Write <code>{{</code> for a literal brace."
)


class RuleForm(RulesetChildForm[Rule]):
    api_delta = delta_field(label="Score change: commercial API")
    self_host_delta = delta_field(label="Score change: self-host")
    hybrid_delta = delta_field(label="Score change: hybrid")
    excludes = forms.MultipleChoiceField(
        required=False,
        choices=list(OPERATOR_OPTION_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        label="Rules out",
        help_text="Options this rule excludes whatever their scores.",
    )

    class Meta:
        model = Rule
        # score_deltas is edited through the three per-option number fields.
        fields = [
            "ruleset", "code", "title", "order", "enabled", "condition", "excludes",
            "effects", "rationale", "caveat_code", "caveat_text", "source",
        ]  # fmt: skip
        widgets = {
            "condition": expression_widget(rows=5),
            "rationale": forms.Textarea(attrs={"rows": 3, "cols": 90}),
            "caveat_text": forms.Textarea(attrs={"rows": 2, "cols": 90}),
        }
        help_texts = {
            "condition": "A rule-engine expression over answers and cost figures, e.g. "
            "<code>monthly_queries &lt; 10000000 and not has_production_data</code>.",
            "caveat_code": "A slug such as <code>first_year_overhead</code>; scenario "
            "files and reports refer to it.",
            "rationale": PLACEHOLDER_HELP,
            "caveat_text": PLACEHOLDER_HELP,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for option in OPTIONS:
            self.fields[f"{option}_delta"].initial = self.instance.score_deltas.get(option)
            self.fields[f"{option}_delta"].help_text = (
                "A number (negative favours the other options) or an expression that gives "
                "one, e.g. <code>-4 * $log($max([tco_ratio_self_host ?? 1, 0.01]))</code>."
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns
        ruleset = self.target_ruleset()
        schema = condition_schema(ruleset) if ruleset is not None else None
        deltas: dict[str, float | int | str] = {}
        for option in OPTIONS:
            delta = cleaned.get(f"{option}_delta")
            if delta in (None, 0):
                continue
            if isinstance(delta, str):
                messages = validate_effect_expression(delta, schema) if schema else []
                for message in messages:
                    self.add_error(f"{option}_delta", message)
                if not messages and schema is not None:  # refused ones stay on their field
                    deltas[option] = delta
            else:
                # Store integers as integers: "api": 2 reads better than "api": 2.0.
                deltas[option] = int(delta) if float(delta).is_integer() else delta
        self.instance.score_deltas = deltas
        for field_name in ("caveat_text", "rationale"):
            if schema is not None and cleaned.get(field_name):
                for message in validate_placeholders(cleaned[field_name], schema):
                    self.add_error(field_name, message)
        self.check_expression("condition", ruleset=ruleset, outcome=True)
        if "condition" not in self.errors and schema is not None:
            # What is left once options are checked: a rule reading the outcome
            # (known only after scoring) may add a caveat but not change scores.
            for message in validate_effect(
                cleaned.get("condition", ""),
                {o: d for o, d in deltas.items() if not isinstance(d, str)},  # checked above
                cleaned.get("excludes", []),
            ):
                self.add_error("condition", message)
            if any(isinstance(d, str) for d in deltas.values()) and "condition" not in self.errors:
                # An outcome-reading condition may not change scores, expressions included.
                for message in validate_effect(cleaned.get("condition", ""), {}, [], schema):
                    self.add_error("condition", message)
        return cleaned
