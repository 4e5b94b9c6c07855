"""The wizard's step form, built from the ruleset's question specs.

Django form fields only render the inputs and collect the raw strings; the
rules package's :func:`parse_answers` converts and checks them, so the web
form and the command line accept and refuse the same input with the same
message (one place per concept).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString

from advisor.costs.catalog import PLANNED_CATALOG_KINDS
from advisor.rules.answers import QuestionSpec, parse_answers

NUMBER_TYPES = frozenset({"integer", "number"})
MAX_TEXT_LENGTH = 100  # no number or choice value is longer: anything more is refused
RADIO_LIMIT = 6  # more choices than this render as a select
BOOLEAN_CHOICES = (("true", "Yes"), ("false", "No"))
REQUIRED_MESSAGE = "This question needs an answer."

CatalogOptions = Mapping[str, Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class Option:
    """One radio button, checkbox or select option, as the step template renders it."""

    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True)
class FieldView:
    """Everything the step template needs to render one question's input, computed once.

    The step page renders its inputs from this in one template (no widget
    templates, no crispy layout): ids, classes and ARIA attributes follow
    Bootstrap 5's form markup, as crispy-bootstrap5 rendered it before.
    ``attrs`` are the widget's own attributes (htmx, autocomplete,
    maxlength), already escaped.
    """

    key: str
    id: str
    kind: str  # "text", "select", "radio" or "checkbox"
    label: str
    help_text: str
    required: bool
    errors: tuple[str, ...]
    value: str
    options: tuple[Option, ...]
    attrs: SafeString

    @property
    def help_id(self) -> str:
        return f"{self.id}_helptext"

    @property
    def error_id(self) -> str:
        return f"{self.id}_error"

    @property
    def described_by(self) -> str:
        """The help text's and the errors' ids, for ``aria-describedby``."""
        ids = [self.help_id] if self.help_text else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def grouped(self) -> bool:
        """Radios and checkboxes: a fieldset whose legend is the question."""
        return self.kind in ("radio", "checkbox")


class AnswerBoundField(forms.BoundField):
    @cached_property
    def view(self) -> FieldView:
        return field_view(self)


def field_view(bound: forms.BoundField) -> FieldView:
    widget = bound.field.widget
    kind = (
        "checkbox"
        if isinstance(widget, forms.CheckboxSelectMultiple)
        else "radio"
        if isinstance(widget, forms.RadioSelect)
        else "select"
        if isinstance(widget, forms.Select)
        else "text"
    )
    value = bound.value()
    options: tuple[Option, ...] = ()
    if kind != "text":
        # As Django's ChoiceWidget.format_value: a single None selects the "" option.
        values = value if isinstance(value, (list, tuple)) else [value]
        chosen = {"" if item is None else str(item) for item in values}
        if kind == "checkbox":
            chosen.discard("")
        options = tuple(
            Option(str(option), str(label), f"id_{bound.html_name}_{index}", str(option) in chosen)
            for index, (option, label) in enumerate(widget.choices)
        )
    text = "" if kind != "text" or value in (None, "") else str(value)
    return FieldView(
        key=bound.html_name,
        id=f"id_{bound.html_name}",
        kind=kind,
        label=str(bound.label),
        help_text=str(bound.help_text),
        required=bound.field.required,
        errors=tuple(str(error) for error in bound.errors),
        value=text,
        options=options,
        attrs=SafeString(flatatt(widget.attrs)),
    )


class _ViewedField(forms.Field):
    def get_bound_field(self, form: forms.BaseForm, field_name: str) -> forms.BoundField:
        return AnswerBoundField(form, self, field_name)


class TickedChoicesField(_ViewedField, forms.MultipleChoiceField):
    """Checkboxes whose values :func:`parse_answers` checks (not Django: one message source)."""

    def validate(self, value: Any) -> None:
        assert isinstance(self.choices, list)  # the spec's (value, label) pairs, normalized
        if len(value) > len(self.choices):
            raise ValidationError("Tick each option at most once.")
        if any(len(item) > MAX_TEXT_LENGTH for item in value):
            raise ValidationError("That is not one of the options.")


class AnswerField(_ViewedField, forms.CharField):
    """One raw answer string; only a text input advertises ``maxlength``."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if not isinstance(widget, forms.TextInput):
            attrs.pop("maxlength", None)
            attrs.pop("minlength", None)
        return attrs


def format_answer(value: Any) -> Any:
    """A stored answer as the form shows it: 20000000 -> "20,000,000", True -> "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


PLANNER_CHOICE = "Let the planner choose the cheapest for my load"


def build_field(spec: QuestionSpec, *, catalog_options: CatalogOptions) -> forms.Field:
    label = spec.prompt or spec.key
    if spec.unit and spec.type in NUMBER_TYPES:
        label = f"{label} ({spec.unit})"
    common: dict[str, Any] = {
        "label": label,
        # Escaped once here (admins write plain text): Django marks help_text safe.
        "help_text": escape(spec.help_text),
        "required": spec.required,
        "error_messages": {"required": REQUIRED_MESSAGE},
    }
    if spec.type == "multi_choice":
        return TickedChoicesField(
            choices=list(spec.choices), widget=forms.CheckboxSelectMultiple, **common
        )
    widget: forms.Widget
    if spec.type in NUMBER_TYPES:
        # type=text, not number: buyers type "20M" and "300,000,000".
        widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    elif spec.type == "boolean":
        widget = forms.RadioSelect(choices=BOOLEAN_CHOICES)
    elif spec.type == "choice" and len(spec.choices) <= RADIO_LIMIT:
        widget = forms.RadioSelect(choices=list(spec.choices))
    elif spec.type == "choice":
        widget = forms.Select(choices=list(spec.choices))
    else:
        options = list(catalog_options.get(spec.catalog, ()))
        if spec.catalog in PLANNED_CATALOG_KINDS:
            # No default GPU or open model: left blank, the capacity planner picks the
            # cheapest for the load (and the result says which), so the step never
            # shows a configuration the result was not costed on.
            options.insert(0, ("", PLANNER_CHOICE))
        widget = forms.Select(choices=options)
    return AnswerField(max_length=MAX_TEXT_LENGTH, widget=widget, strip=True, **common)


class StepForm(forms.Form):
    """One wizard step: a field per visible question, named by its key.

    After :meth:`is_valid`, :attr:`answers` holds the typed values that
    parsed (also when other fields have errors, so Back can keep them) and
    :attr:`blank_keys` the questions left empty (their default applies).
    """

    # Set by BaseForm.__init__ and read by drop_questions; django-stubs does not
    # declare this private cache, so it is declared (not assigned) here.
    _bound_fields_cache: dict[str, forms.BoundField]

    def __init__(
        self,
        *,
        specs: Sequence[QuestionSpec],
        catalog_options: CatalogOptions,
        catalog_keys: Mapping[str, Collection[str]],
        live_keys: Collection[str] = (),
        live_url: str = "",
        data: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data=data, initial=None if initial is None else dict(initial))
        self.specs = tuple(specs)
        self.catalog_keys = catalog_keys
        self.answers: dict[str, Any] = {}
        self.blank_keys: set[str] = set()
        for spec in self.specs:
            field = build_field(spec, catalog_options=catalog_options)
            if live_url and (spec.key in live_keys or spec.type in NUMBER_TYPES):
                # Show-if triggers and numbers ask the server for follow-ups and the
                # parsed value; a Next/Back submit aborts this small request.
                field.widget.attrs.update(
                    {
                        "hx-post": live_url,
                        "hx-trigger": "change",
                        "hx-swap": "none",
                        "hx-sync": "closest form:abort",
                        # The form's hx-push-url is inherited: this request is no page.
                        "hx-push-url": "false",
                    }
                )
            self.fields[spec.key] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw: dict[str, Any] = {}
        for spec in self.specs:
            if spec.key not in cleaned:
                continue  # refused by the field already (too long, too many)
            value = cleaned[spec.key]
            if value in ("", None):
                self.blank_keys.add(spec.key)
            else:
                raw[spec.key] = value
        parsed = parse_answers(raw, self.specs, partial=True, catalog_choices=self.catalog_keys)
        for error in parsed.errors:
            self.add_error(error.key, error.message)
        self.answers = {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in parsed.answers.items()
        }
        return cleaned

    def drop_questions(self, keys: Collection[str]) -> None:
        """Forget the questions ``keys`` after validation: follow-ups the typed answers hide.

        Their fields, errors and answers go, so the form validates, saves and
        renders as one built for the other questions alone would (answers are
        parsed one key at a time), without parsing the post a second time.
        """
        self.errors  # noqa: B018 (validate first: which questions show depends on the answers)
        for key in keys:
            self.fields.pop(key, None)
            self._bound_fields_cache.pop(key, None)
            self.errors.pop(key, None)
            if self.is_bound:
                self.cleaned_data.pop(key, None)
            self.answers.pop(key, None)
            self.blank_keys.discard(key)
        self.specs = tuple(spec for spec in self.specs if spec.key not in keys)

    def parsed_hint(self, key: str) -> str:
        """'= 20,000,000' when the buyer typed a shorthand that parsed to something else."""
        if key not in self.answers or not self.is_bound:
            return ""
        typed = str(self.data.get(key, "")).strip()
        shown = format_answer(self.answers[key])
        return "" if typed == shown else f"= {shown}"
