"""Which single answers would flip the recommendation ("what would change this answer").

Pure: the caller passes a function that scores a set of answers. The
variations are few and fixed (about 30), so re-scoring each stays fast:
volume x10 and /10, every other value of the answers the brief's reasoning
turns on, each regime added or removed, and the yes/no facts toggled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor import wording
from advisor.rules.answers import QuestionSpec

VOLUME_KEY = "monthly_queries"
# The answers the brief's reasoning turns on, in the order a buyer reads them.
CHOICE_KEYS = (
    "load_pattern",
    "data_residency",
    "provider_region_available",
    "hipaa_baa_sufficient",
    "frontier_capability",
    "domain_finetune",
    "primary_driver",
    "gpu_ops_experience",
)
BOOLEAN_KEYS = ("has_production_data", "soc2_perimeter_required", "customer_facing")
MULTI_KEYS = ("regimes",)
MAX_VARIATIONS = 60


@dataclass(frozen=True)
class Variation:
    key: str
    value: Any
    description: str


@dataclass(frozen=True)
class Flip:
    """One answer changed, and the recommendation it gives (None: every option excluded)."""

    key: str
    description: str
    recommendation: str | None
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "change": self.description, "recommendation": self.recommendation}


def variations(answers: Mapping[str, Any], specs: Sequence[QuestionSpec]) -> list[Variation]:
    """Single-answer changes worth trying, bounded by :data:`MAX_VARIATIONS`."""
    by_key = {spec.key: spec for spec in specs}
    found = list(_volume(answers, by_key.get(VOLUME_KEY)))
    for key in CHOICE_KEYS:
        if key in by_key and key in answers:
            found.extend(_choices(answers[key], by_key[key]))
    for key in BOOLEAN_KEYS:
        if key in by_key and key in answers:
            spec = by_key[key]
            found.append(
                Variation(key, not answers[key], f"{_prompt(spec)}: {_yes_no(not answers[key])}")
            )
    for key in MULTI_KEYS:
        if key in by_key and key in answers:
            found.extend(_ticks(tuple(answers[key]), by_key[key]))
    return found[:MAX_VARIATIONS]


def flips(
    answers: Mapping[str, Any],
    specs: Sequence[QuestionSpec],
    recommend: Callable[[Mapping[str, Any]], str | None],
) -> list[Flip]:
    """The variations whose recommendation differs from that of ``answers``."""
    current = recommend(answers)
    found: list[Flip] = []
    for variation in variations(answers, specs):
        outcome = recommend({**answers, variation.key: variation.value})
        if outcome != current:
            found.append(Flip(variation.key, variation.description, outcome, variation.value))
    return found


def flips_batched(
    answers: Mapping[str, Any],
    specs: Sequence[QuestionSpec],
    recommend_all: Callable[[Sequence[Mapping[str, Any]]], Sequence[str | None]],
) -> list[Flip]:
    """:func:`flips` with every variation scored in one call (``answers`` first)."""
    tried = variations(answers, specs)
    outcomes = recommend_all([answers, *({**answers, v.key: v.value} for v in tried)])
    current = outcomes[0]
    return [
        Flip(variation.key, variation.description, outcome, variation.value)
        for variation, outcome in zip(tried, outcomes[1:], strict=True)
        if outcome != current
    ]


def _volume(answers: Mapping[str, Any], spec: QuestionSpec | None) -> Iterator[Variation]:
    volume = answers.get(VOLUME_KEY)
    if spec is None or not isinstance(volume, (int, float)) or volume <= 0:
        return
    for factor, label in ((10, "ten times"), (0.1, "a tenth of")):
        changed = round(volume * factor)
        if (spec.max is None or changed <= spec.max) and (spec.min is None or changed >= spec.min):
            yield Variation(
                VOLUME_KEY,
                changed,
                # Three significant figures, as volumes read everywhere in prose.
                f"{_prompt(spec)}: about {wording.volume(changed)} "
                f"({label} your {wording.volume(volume)})",
            )


def _choices(value: Any, spec: QuestionSpec) -> Iterator[Variation]:
    for choice, label in spec.choices:
        if choice != value:
            yield Variation(spec.key, choice, f"{_prompt(spec)}: {label}")


def _ticks(ticked: tuple[str, ...], spec: QuestionSpec) -> Iterator[Variation]:
    for choice, label in spec.choices:
        if choice in ticked:
            kept = tuple(item for item in ticked if item != choice)
            yield Variation(spec.key, kept, f"{_prompt(spec)}: without {label}")
        else:
            added = tuple(item for item, _ in spec.choices if item in ticked or item == choice)
            yield Variation(spec.key, added, f"{_prompt(spec)}: with {label}")


def _prompt(spec: QuestionSpec) -> str:
    return (spec.prompt or spec.key).rstrip("?:. ")


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
