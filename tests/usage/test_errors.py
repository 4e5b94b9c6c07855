"""The importer's one error names the line and the field it is about."""

from __future__ import annotations

from advisor.usage.errors import UsageFileError


def test_the_message_leads_with_the_line_and_the_field() -> None:
    error = UsageFileError("a count cannot be negative (-1)", line=7, field="output_tokens")
    assert str(error) == "line 7, field 'output_tokens': a count cannot be negative (-1)"
    assert (error.message, error.line, error.field) == (
        "a count cannot be negative (-1)",
        7,
        "output_tokens",
    )


def test_without_a_place_the_message_stands_alone() -> None:
    assert str(UsageFileError("the file is empty")) == "the file is empty"
    assert str(UsageFileError("too long", line=2)) == "line 2: too long"
