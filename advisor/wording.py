"""Numbers and nouns as a reader reads them: three significant figures, one engineer.

Pure (no Django): the cost model's notes, the report's sections
(``advisor/reports/report_sections.py``) and the template filters
(``advisor/assessments/templatetags/assessments.py``) all call these,
so "1 engineer" and "$4.46M" are spelled one way everywhere.
Prose and summaries round to three significant figures; only the report's
appendix tables print money to the dollar.
"""

from __future__ import annotations

import math
import re

SIGNIFICANT_FIGURES = 3
# Largest first: a value takes the first suffix it reaches after rounding.
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
# Words whose plural is not the singular plus "s" (or "y" -> "ies").
_IRREGULAR_PLURALS = {"person": "people", "query": "queries", "this": "these"}
_IRREGULAR_SINGULARS = {plural: singular for singular, plural in _IRREGULAR_PLURALS.items()}
_WORD = re.compile(r"^[A-Za-z]+")


def round_significant(value: float, figures: int = SIGNIFICANT_FIGURES) -> float:
    """``value`` rounded to ``figures`` significant figures (4_461_234 -> 4_460_000)."""
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.{figures}g}")


def short_number(
    value: float, figures: int = SIGNIFICANT_FIGURES, *, trailing_zeros: bool = True
) -> str:
    """A number at three significant figures with K/M/B/T: "13.6M", "3.20M", "850K", "980".

    Below a thousand, trailing zeros are dropped ("0.5", "12"): such
    values are counts and small prices, not columns of millions.
    """
    rounded = round_significant(float(value), figures)
    if not math.isfinite(rounded):
        return str(rounded)
    sign = "-" if rounded < 0 else ""
    magnitude = abs(rounded)
    for size, suffix in _SUFFIXES:
        if magnitude >= size:
            # Trailing zeros kept: "$3.20M" beside "$2.73M" in a column, "$1.00M" not "$1M".
            scaled = magnitude / size
            shown = _figures(scaled, figures) if trailing_zeros else _plain(scaled, figures)
            return f"{sign}{shown}{suffix}"
    return f"{sign}{_plain(magnitude, figures)}"


def _figures(value: float, figures: int) -> str:
    """Exactly ``figures`` significant figures for 1 <= value < 1000: "3.20", "850", "12.3"."""
    return f"{value:#.{figures}g}".rstrip(".")


def _plain(value: float, figures: int) -> str:
    """At most ``figures`` significant figures, never in exponent notation."""
    text = f"{round_significant(value, figures):.{figures}g}"
    if "e" in text:
        text = f"{value:.{figures + 6}f}".rstrip("0").rstrip(".")
    return text


def share(value: float) -> str:
    """A probability as a whole percentage that never overstates certainty.

    A chance between 99.5 % and 100 % reads "over 99%", not "100%", and one
    above 0 but under 0.5 % reads "under 1%": only a certainty (a sole option
    left by the gates) reads 100 %, only an impossibility 0 %.
    """
    if 0.995 <= value < 1:
        return "over 99%"
    if 0 < value < 0.005:
        return "under 1%"
    return f"{value:.0%}"


def usd_short(value: float) -> str:
    """Money at three significant figures: "$4.46M", "$850K", "$12.3K", "$980"."""
    text = short_number(value)
    return f"-${text[1:]}" if text.startswith("-") else f"${text}"


def usd_precise(value: float) -> str:
    """A price per 1,000 queries: cents from $1 ("$4.56"), three significant figures below.

    "$0.895" and "$0.00123", not "$0.8951" beside "$1.28": a mini model's
    fraction of a cent still shows, and no figure claims more precision than
    the others in its column.
    """
    amount = round_significant(value) if value > 0 else value
    if amount >= 1 or amount <= 0:
        return f"${amount:,.2f}"
    return f"${amount:.{2 - math.floor(math.log10(amount))}f}"


def volume(value: float) -> str:
    """A count at three significant figures, for prose: "13.6M", "5M" (queries, tokens)."""
    return short_number(value, trailing_zeros=False)


def break_even_month(month: float | None) -> str:
    """When an option breaks even, as prose: "in month 12", or "at no point within the horizon".

    A rule's text says ``breaks even {break_even_month_self_host:month}``;
    a null month (no break-even) reads as words, never "month n/a".
    """
    if month is None or not math.isfinite(float(month)):
        # It follows "breaks even" in a rule's text: "breaks even not within" is not English.
        return "at no point within the horizon"
    return f"in month {float(month):.0f}"


def plural_noun(count: float, singular: str, plural: str | None = None) -> str:
    """The noun for ``count``: singular for exactly one, else the plural."""
    if _is_one(count):
        return singular
    return plural or pluralise(singular)


def plural(count: float, singular: str, plural: str | None = None) -> str:
    """``count`` and its noun: "1 engineer", "2 engineers", "0.5 engineers", "1,500 queries"."""
    return f"{count_text(count)} {plural_noun(count, singular, plural)}"


def pluralise(word: str) -> str:
    """English plural of a singular noun: "replica" -> "replicas", "query" -> "queries"."""
    if word.lower() in _IRREGULAR_PLURALS:
        return _same_case(word, _IRREGULAR_PLURALS[word.lower()])
    if word.endswith("y") and len(word) > 1 and word[-2].lower() not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def singularise(word: str) -> str:
    """The singular of a plural noun: "engineers" -> "engineer", "GPUs" -> "GPU"."""
    if word.lower() in _IRREGULAR_SINGULARS:
        return _same_case(word, _IRREGULAR_SINGULARS[word.lower()])
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 1:
        return word[:-1]
    return word


def unit_for(value: float | str, unit: str) -> str:
    """``unit`` as it reads after ``value``: its first word singular when the value is one.

    Units are stored in the plural ("engineers", "replicas", "months",
    "queries/month"); "1 engineers" is what this prevents. Symbols and
    currency units ("%", "x", "USD/month") are left as they are.
    """
    if not unit or not _is_one(value):
        return unit
    match = _WORD.match(unit)
    if match is None or match.group(0).isupper():
        return unit
    word = match.group(0)
    return singularise(word) + unit[len(word) :]


def quantity(value: float | str, unit: str) -> str:
    """A value and its unit: "1 engineer", "2 replicas", "50 %" (value as given)."""
    shown = value if isinstance(value, str) else count_text(value)
    return f"{shown} {unit_for(value, unit)}".strip()


def _is_one(value: float | str) -> bool:
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "").strip())
        except ValueError:
            return False
    return float(value) == 1


def count_text(count: float) -> str:
    """A count or a figure as prose writes it: "1,000", "0.5", "2.25" (two decimals at most)."""
    number = float(count)
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _same_case(original: str, replacement: str) -> str:
    return replacement.capitalize() if original[:1].isupper() else replacement


def no_widow(text: str) -> str:
    """``text`` with its last two words bound by a no-break space: no line ends on a lone word."""
    head, space, last = text.rstrip().rpartition(" ")
    return f"{head}\u00a0{last}" if space and head else text
