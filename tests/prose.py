"""What a sentence a reader sees must never do: the checks of the wording test.

Each check returns the offending fragments of a text (empty when clean), so a
failure names the words to fix rather than a page to reread.
"""

from __future__ import annotations

import re

from advisor import wording

# "n/a" as a word: a figure that was missing, printed as if it were prose.
_NOT_AVAILABLE = re.compile(r"\bn/a\b", re.IGNORECASE)
# "If yes, self-hosting; if no, self-hosting." and "either X or X".
_BRANCHES = re.compile(r"[Ii]f yes, ([^;.]+); if no, ([^;.]+)[.;]")
# "were above 0% per month (today 0% per month)": a change that is no change.
_CHANGE_FROM_TODAY = re.compile(r"were (?:above|below) ([^(,]+?) \(today ([^)]+)\)")
# "1 tokens": a count of one with a plural noun (not "1.5 tokens", "$1 ...", "21 tokens").
_ONE_PLURAL = re.compile(r"(?<![\d.,$\w-])1 ([a-z]+s)\b")
# ".:" or ";." or ",.": two marks where one was meant ("..." is an ellipsis).
_DOUBLED = re.compile(r"(?<![.])[.;:,] ?[.;:,](?![.\d])")
# "breaks even not within the horizon": a negation dropped into the verb phrase.
_BREAKS_EVEN_NOT = re.compile(r"\bbreak(?:s|ing)? even not\b")
# An option named as where to start, or where to move later ("start on the API",
# "switching to self-hosting later"), in any of the surfaces' spellings.
_OPTION_WORDS = {
    "api": r"(?:the )?(?:commercial )?API",
    "open_api": r"(?:a |the )?hosted open(?:-weights)? model",
    "self_host": r"self-host(?:ing|ed)?",
    "hybrid": r"the hybrid",
}
_NAMED_START = {
    option: re.compile(rf"\b[Ss]tart(?:s|ing)? (?:on|with) {words}\b")
    for option, words in _OPTION_WORDS.items()
}
_NAMED_DESTINATION = {
    option: re.compile(rf"\b(?:[Ss]witch(?:es|ing)?|[Mm]ov(?:e|es|ing)) to {words}\b")
    for option, words in _OPTION_WORDS.items()
}
# Words ending in "s" that are not plurals (after "1 ").
_NOT_PLURALS = frozenset({"is", "has", "was", "plus", "minus", "as", "us", "this", "its"})


def prose_defects(text: str) -> list[str]:
    """Every defect in ``text``: each as a short quote of the words at fault."""
    found = [f"n/a in prose: {_around(text, m.start())}" for m in _NOT_AVAILABLE.finditer(text)]
    for match in _BRANCHES.finditer(text):
        if match[1].strip() == match[2].strip():
            found.append(f"identical branches: {match[0]}")
    for match in _CHANGE_FROM_TODAY.finditer(text):
        if match[1].strip() == match[2].strip():
            found.append(f"today's value as a change: {match[0]}")
    for match in _ONE_PLURAL.finditer(text):
        word = match[1]
        if word not in _NOT_PLURALS and wording.singularise(word) != word:
            found.append(f"plural after 1: {_around(text, match.start())}")
    found += [f"broken negation: {m[0]}" for m in _BREAKS_EVEN_NOT.finditer(text)]
    found += [f"doubled punctuation: {_around(text, m.start())}" for m in _DOUBLED.finditer(text)]
    return found


def _around(text: str, index: int, width: int = 50) -> str:
    return text[max(0, index - width) : index + width].replace("\n", " ")


def misnamed_options(text: str, *, start: str | None, then: str | None) -> list[str]:
    """The options ``text`` names as where to start or where to move that the result does not
    recommend: ``start`` is what to do now, ``then`` a recommended plan's destination (None
    without one)."""
    found = [
        f"starts on {option}, not {start}: {_around(text, match.start())}"
        for option, pattern in _NAMED_START.items()
        if option != start
        for match in pattern.finditer(text)
    ]
    found += [
        f"moves to {option}, not {then}: {_around(text, match.start())}"
        for option, pattern in _NAMED_DESTINATION.items()
        if option != then
        for match in pattern.finditer(text)
    ]
    return found
