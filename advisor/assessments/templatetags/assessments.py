"""Filters for the result page and the PDF: money, volumes, plurals, confidence, the sentence.

The arithmetic lives in :mod:`advisor.wording` (pure), so Python code and
templates spell figures the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from advisor import wording
from advisor.reports import report_sections
from advisor.rules.reasons import buyer_reasons, reasons_summary
from advisor.scoring.effects import Effect, InvalidEffect, describe, parse_effects
from advisor.snapshot import ResultSnapshot

register = template.Library()

SENTENCES = {
    "api": "Use a commercial LLM API.",
    "self_host": "Self-host an open model.",
    "hybrid": (
        "Run the hybrid: a small self-hosted model for the simple, high-volume queries "
        "and the API for the long tail."
    ),
    "open_api": "Use a hosted open model, paid per token.",
}


@register.filter
def option_sentence(option: str, labels: Mapping[str, str] | None = None) -> str:
    return SENTENCES.get(option, f"{(labels or {}).get(option, option)}.")


@register.filter
def get_item(mapping: Mapping[str, Any], key: str) -> Any:
    return mapping.get(key, key) if isinstance(mapping, Mapping) else key


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else wording.share(float(value))


@register.filter
def confidence_words(value: float | None) -> str:
    """Words beside the number: the meter's colour is never the only signal."""
    return report_sections.confidence_words(value)


@register.filter
def confidence_label(result: ResultSnapshot) -> str:
    """A result's confidence words: "high", or "depends on an open check"."""
    return report_sections.confidence_label(result)


@register.filter
def usd(value: float | None) -> str:
    return "—" if value is None else f"${float(value):,.0f}"


@register.filter
def usd_short(value: float | None) -> str:
    """Money at three significant figures, for prose and summaries: "$4.46M", "$873K"."""
    return "—" if value is None else wording.usd_short(float(value))


@register.filter
def volume(value: float | None) -> str:
    """A count at three significant figures, for prose: "13.6M" (write "about" before it)."""
    return "—" if value is None else wording.volume(float(value))


@register.filter
def plural(count: float | None, nouns: str) -> str:
    """``{{ n|plural:"engineer" }}`` -> "1 engineer" / "2 engineers"; ``"query,queries"``."""
    if count is None:
        return ""
    singular, _, plural_form = nouns.partition(",")
    return wording.plural(float(count), singular, plural_form or None)


@register.filter
def with_unit(value: float | str | None, unit: str) -> str:
    """``{{ row.value|with_unit:row.unit }}``: "1 engineer", "2 replicas", "70 %"."""
    return "" if value is None else wording.quantity(value, unit or "")


@register.filter
def nowidow(text: str | None) -> str:
    """Headlines and callouts: the last line never holds a single word ("the")."""
    return wording.no_widow(str(text or ""))


@register.filter
def usd_precise(value: float | None) -> str:
    """Cost per 1,000 queries (``wording.usd_precise``): "$4.56", "$0.895"."""
    return "—" if value is None else wording.usd_precise(float(value))


@register.simple_tag
def effect_badges(effect: Mapping[str, Any], labels: Mapping[str, str]) -> SafeString:
    """The rule's effect in words ("+2 Commercial API", "rules out Hybrid")."""
    parts: list[tuple[str, str]] = []
    for option, delta in (effect.get("score_deltas") or {}).items():
        if delta:
            # Expression effects give any float: two decimals are enough to read.
            parts.append(
                ("effect-score", f"{round(float(delta), 2):+g} {labels.get(option, option)}")
            )
    for option in effect.get("excludes") or ():
        parts.append(("effect-exclude", f"rules out {labels.get(option, option)}"))
    for typed in typed_effects(effect.get("effects")):
        parts.append(("effect-money", describe(typed, labels)))
    if not parts:
        return SafeString("")
    return format_html(
        '<span class="effect">{}</span>',
        format_html_join(" ", '<span class="badge {}">{}</span>', parts),
    )


@register.filter
def has_effect(effect: Mapping[str, Any]) -> bool:
    """Whether a fired rule did more than explain: scores, exclusions or typed effects."""
    deltas = effect.get("score_deltas") or {}
    return bool(
        any(deltas.values()) or effect.get("excludes") or typed_effects(effect.get("effects"))
    )


def typed_effects(raw: Any) -> tuple[Effect, ...]:
    try:
        return parse_effects(raw)
    except InvalidEffect:
        return ()  # a stored effect that no longer reads is shown as none


@register.simple_tag
def reasons_for_against(result: ResultSnapshot) -> Any:
    """``{% reasons_for_against result as reasons %}``: advisor.rules.reasons.reasons_summary."""
    return reasons_summary(result)


@register.simple_tag
def key_figures_of(result: ResultSnapshot) -> Any:
    """``{% key_figures_of result as key_figures %}``: report_sections.key_figures."""
    return report_sections.key_figures(result)


@register.simple_tag
def what_would_change_of(result: ResultSnapshot) -> Any:
    """``{% what_would_change_of result as change %}``: report_sections.what_would_change."""
    return report_sections.what_would_change(result)


@register.simple_tag
def buyer_reasons_of(result: ResultSnapshot) -> Any:
    """``{% buyer_reasons_of result as why %}``: advisor.rules.reasons.buyer_reasons."""
    return buyer_reasons(result)
