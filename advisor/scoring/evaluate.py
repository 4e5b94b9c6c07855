"""``manage.py evaluate``'s logic, pure: an answers file in, the result's JSON out.

The command (``advisor.rules.management.commands.evaluate``) is a shell: it
loads the ruleset and the catalog, scores through
:func:`advisor.scoring.score.score`, and prints what this module (JSON) or
``advisor.reports.evaluate_text`` (a terminal summary) makes of the result.
The API's ``POST /evaluate`` answers with the same :func:`advice_json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from advisor.snapshot import ResultSnapshot

MAX_FILE_BYTES = 1_000_000  # an answers file is a few hundred bytes


class AnswersFileError(Exception):
    """Input the command refuses; the message goes to stderr."""


def advice_json(snapshot: ResultSnapshot) -> dict[str, Any]:
    """The JSON object of ``manage.py evaluate --format json`` and of the API's results.

    One definition for both (design.md, "Contract: command line"): the
    command prints it, the API answers with it, so they cannot drift apart.
    """
    return snapshot.to_dict()


def advice_json_text(snapshot: ResultSnapshot) -> str:
    """:func:`advice_json` as the text both print (UTF-8, not ASCII-escaped)."""
    return json.dumps(advice_json(snapshot), ensure_ascii=False)


def read_answers(path: str) -> dict[str, Any]:
    """The answers in the JSON file at ``path`` (``-``: standard input), or a scenario file's.

    :class:`AnswersFileError` says in a sentence what is wrong with the input.
    """
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            text = sys.stdin.read(MAX_FILE_BYTES + 1)
        else:
            with Path(path).open(encoding="utf-8") as handle:
                text = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise AnswersFileError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise AnswersFileError(f"{name} is not UTF-8 text") from None
    if len(text) > MAX_FILE_BYTES:
        raise AnswersFileError(f"{name} is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise AnswersFileError(
            f"{name} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise AnswersFileError(f"{name} is nested too deeply") from None
    except ValueError:
        # Python refuses to convert integers of more than 4,300 digits
        # (sys.get_int_max_str_digits); no answer is anywhere near that long.
        raise AnswersFileError(f"{name} holds a number of more than 4,300 digits") from None
    if not isinstance(data, dict):
        raise AnswersFileError(
            f"{name} must hold a JSON object of answers, e.g. "
            f'{{"monthly_queries": 20000000}}, not {_json_type(data)}'
        )
    if isinstance(data.get("answers"), dict) and "expect" in data:
        answers: dict[str, Any] = data["answers"]  # a scenario file
        return answers
    return data


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"
