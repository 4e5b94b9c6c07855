"""In-process medians of completing an assessment and of its result page.

``python -m bench.snapshot [--runs N]`` against the dev database (``manage.py
migrate && manage.py seed``). Each figure is printed beside a trivial
baseline measured in the same run (``/healthz`` through the same test
client for requests, an empty call for the builder), so a slow or busy
machine shows as a slow baseline, not as a regression:

- completion: the review POST that scores and stores the result (with the
  uncertainty analysis, as the wizard runs it), and ``build_snapshot``
  with and without the uncertainty analysis (the POST too, with the
  builder's ``uncertainty`` default switched off for the run);
- the result page GET, and its chart image (first draw and cached);
- the flips alone (the batched re-scoring of about 30 single-answer changes).

Assessments created here are deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.data import HIGH_VOLUME_ANSWERS as ANSWERS


def median_ms(
    action: Callable[[], Any], runs: int, *, setup: Callable[[], Any] | None = None
) -> float:
    """The median wall time of ``action`` in milliseconds (``setup`` runs untimed before each)."""
    samples = []
    for _ in range(runs + 1):
        argument = setup() if setup else None
        start = time.perf_counter()
        action() if argument is None else action(argument)  # type: ignore[call-arg]
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[1:])  # the first warms caches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args(argv).runs

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from advisor.assessments import results
    from advisor.assessments.models import Assessment, AssessmentStatus
    from advisor.assessments.steps import build_steps
    from advisor.costs.selectors import catalog_snapshot
    from advisor.costs.services import assumptions_for
    from advisor.rules.services import compiled_ruleset, current_ruleset, question_specs
    from advisor.scoring import score
    from advisor.scoring.like_for_like import open_api_offer

    setup_test_environment()
    client = Client()
    ruleset = current_ruleset()
    steps = [step.slug for step in build_steps(question_specs(ruleset))]
    created: list[int] = []

    def in_progress() -> Assessment:
        assessment = Assessment.objects.create(
            ruleset=ruleset, answers=dict(ANSWERS), saved_steps=steps
        )
        created.append(assessment.pk)
        return assessment

    def complete(assessment: Assessment) -> None:
        response = client.post(reverse("assessments:review", args=[assessment.token]))
        assert response.status_code in (302, 303), response.status_code

    try:
        healthz = median_ms(lambda: client.get(reverse("core:healthz")), runs)
        completion = median_ms(complete, runs, setup=in_progress)
        # The same POST with the uncertainty analysis off (the builder's default, for now).
        defaults = results.build_snapshot.__kwdefaults__
        assert defaults is not None
        defaults["uncertainty"] = False
        try:
            completion_without = median_ms(complete, runs, setup=in_progress)
        finally:
            defaults["uncertainty"] = True
        done = Assessment.objects.get(pk=created[-1])
        assert done.status == AssessmentStatus.COMPLETED
        result_url = reverse("assessments:result", args=[done.token])
        chart_url = reverse("assessments:cumulative_chart", args=[done.token])
        page = median_ms(lambda: client.get(result_url), runs)
        chart_first = median_ms(lambda: client.get(chart_url), max(3, runs // 4), setup=cache.clear)
        chart_cached = median_ms(lambda: client.get(chart_url), runs)
        empty = median_ms(lambda: None, runs)
        with_uncertainty = median_ms(
            lambda: results.build_snapshot(ruleset=ruleset, answers=ANSWERS), runs
        )
        without = median_ms(
            lambda: results.build_snapshot(ruleset=ruleset, answers=ANSWERS, uncertainty=False),
            runs,
        )
        typed = dict(done.result["answers"])
        compiled = compiled_ruleset(ruleset)
        assumptions = assumptions_for(answers=typed)
        offer = open_api_offer(catalog_snapshot(), assumptions)
        flips = median_ms(lambda: score.flips(compiled, typed, assumptions, offer), runs)
    finally:
        Assessment.objects.filter(pk__in=created).delete()

    rows = [
        ("GET /healthz (baseline)", healthz),
        ("POST review: complete (with uncertainty)", completion),
        ("POST review: complete (without uncertainty)", completion_without),
        ("GET result page", page),
        ("GET chart image, first draw", chart_first),
        ("GET chart image, cached", chart_cached),
        ("empty call (baseline)", empty),
        ("build_snapshot, with uncertainty", with_uncertainty),
        ("build_snapshot, without uncertainty", without),
        ("flips (batched re-scoring)", flips),
    ]
    print(f"In-process medians of {runs} runs (ms)")
    for label, value in rows:
        print(f"  {label:<45} {value:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
