"""Usage import: the workload a provider's usage export implies (pure: no Django).

``read_usage(stream, format="auto")`` reads OpenAI's organization Usage API
(completions), Anthropic's Admin usage report (messages), LiteLLM proxy
spend logs, or the generic CSV, and returns a :class:`UsageWorkload` whose
``answers()`` are the design's question keys, with a provenance sentence per
figure and the reason for every figure left out. Each format's module cites
the documentation it follows; ``workload.py`` defines every figure.
"""

from __future__ import annotations

from advisor.usage.errors import UsageFileError
from advisor.usage.limits import DEFAULT_LIMITS, Limits
from advisor.usage.reader import FORMAT_LABELS, FORMATS, read_usage
from advisor.usage.workload import ANSWER_KEYS, Gap, LoadShape, UsageWorkload

__all__ = [
    "ANSWER_KEYS",
    "DEFAULT_LIMITS",
    "FORMATS",
    "FORMAT_LABELS",
    "Gap",
    "Limits",
    "LoadShape",
    "UsageFileError",
    "UsageWorkload",
    "read_usage",
]
