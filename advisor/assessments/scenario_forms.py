"""The "add a scenario" form: a name and up to three changed answers.

The form only collects text; the values go through the wizard's parser in
:func:`advisor.assessments.scenarios.variant_add`, and its messages come
back onto the row of the field they are about (:meth:`ScenarioForm.add_answer_errors`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from advisor.assessments.forms import MAX_TEXT_LENGTH
from advisor.assessments.models import SCENARIO_NAME_MAX_LENGTH
from advisor.rules.answers import AnswerError, QuestionSpec

CHANGE_ROWS = 3
VALUE_HELP = (
    'As the questionnaire takes it ("90M", "yes", a choice or a model\'s name), '
    'or "x3" for three times your answer.'
)


class ScenarioForm(forms.Form):
    name = forms.CharField(
        label="Name of the scenario",
        max_length=SCENARIO_NAME_MAX_LENGTH,
        error_messages={"required": "Give the scenario a name, e.g. “Volume x3”."},
    )

    def __init__(self, *args: Any, specs: Sequence[QuestionSpec], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a question")] + [
            (spec.key, spec.prompt or spec.key) for spec in specs
        ]
        for row in range(1, CHANGE_ROWS + 1):
            self.fields[f"key_{row}"] = forms.ChoiceField(
                label=f"Question {row}",
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"value_{row}"] = forms.CharField(
                label=f"New answer {row}",
                required=False,
                max_length=MAX_TEXT_LENGTH,
                widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
            )
        self.fields["name"].widget.attrs.update({"class": "form-control", "autocomplete": "off"})

    def add_error(self, field: str | None, error: Any) -> None:
        """Also mark the input invalid and point it at its message (the template's ids)."""
        super().add_error(field, error)
        if field in self.fields:
            widget = self.fields[field].widget
            css = widget.attrs.get("class", "")
            widget.attrs.update(
                {
                    "aria-invalid": "true",
                    "aria-describedby": f"{self[field].auto_id}-error",
                    "class": f"{css} is-invalid".strip(),
                }
            )
            # The first field in error takes the focus (after an htmx swap, too).
            if not any("autofocus" in other.widget.attrs for other in self.fields.values()):
                widget.attrs["autofocus"] = True

    @property
    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Each change's question and answer fields, for the template."""
        return [(self[f"key_{row}"], self[f"value_{row}"]) for row in range(1, CHANGE_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: set[str] = set()
        for row in range(1, CHANGE_ROWS + 1):
            key, value = cleaned.get(f"key_{row}"), (cleaned.get(f"value_{row}") or "").strip()
            if key and not value:
                self.add_error(f"value_{row}", "Enter the answer this scenario changes it to.")
            elif value and not key:
                self.add_error(f"key_{row}", "Choose the question this answer is for.")
            elif key in seen:
                self.add_error(f"key_{row}", "This question is changed above already.")
            if key:
                seen.add(key)
        if not seen and not self.errors:
            self.add_error("key_1", "Choose at least one answer to change.")
        return cleaned

    @property
    def overrides(self) -> dict[str, str]:
        """Question key -> the text typed for it (after :meth:`is_valid`)."""
        found = {}
        for row in range(1, CHANGE_ROWS + 1):
            key = self.cleaned_data.get(f"key_{row}")
            if key:
                found[key] = self.cleaned_data[f"value_{row}"].strip()
        return found

    def add_answer_errors(self, errors: Sequence[AnswerError]) -> None:
        """The parser's messages, each on the answer field of its question's row."""
        rows = {key: row for row, key in self._row_keys()}
        for error in errors:
            row = rows.get(error.key)
            if row is None:
                self.add_error(None, str(error))
            else:
                self.add_error(f"value_{row}", error.message)

    def _row_keys(self) -> list[tuple[int, str]]:
        return [
            (row, self.cleaned_data[f"key_{row}"])
            for row in range(1, CHANGE_ROWS + 1)
            if self.cleaned_data.get(f"key_{row}")
        ]
