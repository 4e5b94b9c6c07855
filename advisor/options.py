"""The three ways to run the buyer's LLM workload, and the words for them.

Pure (no Django): the rules, the cost model, the snapshot and every surface
import the option keys and their wording from here, so they cannot drift.
Two surfaces word the options differently today (tests pin each wording);
both spellings live here, each with the surfaces that use it.
"""

from __future__ import annotations

OPTIONS: tuple[str, ...] = ("api", "self_host", "hybrid")
# Decision model v3 adds the open-weights model bought per token from a
# managed provider (design.md, "Decision model v3"); results scored before
# it, and v2 rulesets, have the three above only.
OPEN_API = "open_api"
V3_OPTIONS: tuple[str, ...] = ("api", OPEN_API, "self_host", "hybrid")
# The options that run a model of the buyer's own (they have a break-even).
SELF_HOSTED_OPTIONS: tuple[str, ...] = ("self_host", "hybrid")

# Labels on the buyer's and the consultant's screens: the result page, the
# PDF report and its chart, the snapshot's text, the re-scoring diff and the
# consultant's filters.
OPTION_LABELS: dict[str, str] = {
    "api": "Commercial API",
    "self_host": "Self-hosted",
    "hybrid": "Hybrid",
    OPEN_API: "Hosted open model",
}
# Labels on the operator's surfaces: the rule admin (its form and effect
# summaries) and ``manage.py evaluate``'s text output.
OPERATOR_OPTION_LABELS: dict[str, str] = {**OPTION_LABELS, "self_host": "Self-host"}

# The options inside a sentence of the report's summaries (reports.report_sections).
OPTION_PHRASES: dict[str, str] = {
    "api": "the commercial API",
    "self_host": "self-hosting",
    "hybrid": "the hybrid",
    OPEN_API: "a hosted open model",
}
# The same, shorter, in the reasons summary (rules.reasons) and the
# confidence sentences (costs.uncertainty).
SHORT_OPTION_PHRASES: dict[str, str] = {**OPTION_PHRASES, "api": "the API"}
