"""The one error the importer raises: a bad file, named by line and field."""

from __future__ import annotations


class UsageFileError(ValueError):
    """The file cannot be read as a usage export; ``str()`` names the line and field.

    ``line`` is 1-based (the line the offending record starts on) when known;
    ``field`` is the field's name in the file's own vocabulary.
    """

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None) -> None:
        self.message = message
        self.line = line
        self.field = field
        super().__init__(self.located())

    def located(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message
