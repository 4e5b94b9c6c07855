"""In-process: scoring a comparison of four scenario variants against four completions.

``python -m bench.scenarios [--runs N]`` against the dev database
(``manage.py migrate && manage.py seed``). What is measured:

- one completion's scoring: ``build_snapshot`` as completing runs it (the
  uncertainty analysis and the single-answer flips), and the review POST
  that completes an assessment (scoring, storing, the pre-render queued);
- four variants re-scored together (``variants_rescore``, what completing
  again and re-scoring run): one catalog snapshot for all four, the
  compiled ruleset from the per-process cache, and no flips (a variant
  shows none);
- four variants added one by one through ``variant_add`` (each locks the
  row, parses, scores and stores), as a buyer adds them;
- the result page of the assessment with its four variants (the comparison
  table read from the stored outcomes, nothing re-scored), against
  ``GET /healthz`` in the same process.

The comparison should cost less than four completions; the ratio is printed.
Assessments created here are deleted at the end.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from bench.data import HIGH_VOLUME_ANSWERS as ANSWERS
from bench.snapshot import median_ms

VARIANTS = (
    ("Volume x3", {"monthly_queries": "x3"}),
    ("Spiky load", {"load_pattern": "spiky"}),
    ("Reserved 3 years", {"gpu_pricing": "reserved_3y"}),
    ("Mini API model", {"api_model": "gpt-4o-mini"}),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args(argv).runs

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from advisor.assessments import results
    from advisor.assessments.models import Assessment, AssessmentStatus, ScenarioVariant
    from advisor.assessments.scenarios import variant_add, variants_rescore
    from advisor.assessments.steps import build_steps
    from advisor.costs.selectors import catalog_snapshot
    from advisor.rules.services import current_ruleset, question_specs

    setup_test_environment()
    client = Client()
    ruleset = current_ruleset()
    steps = [step.slug for step in build_steps(question_specs(ruleset))]
    created: list[int] = []

    def completed() -> Assessment:
        assessment = Assessment.objects.create(
            ruleset=ruleset,
            answers=dict(ANSWERS),
            saved_steps=steps,
            status=AssessmentStatus.COMPLETED,
            result=results.result_snapshot(ruleset=ruleset, answers=ANSWERS),
            completed_at=timezone.now(),
        )
        created.append(assessment.pk)
        return assessment

    def in_progress() -> Assessment:
        assessment = Assessment.objects.create(
            ruleset=ruleset, answers=dict(ANSWERS), saved_steps=steps
        )
        created.append(assessment.pk)
        return assessment

    def complete(assessment: Assessment) -> None:
        response = client.post(reverse("assessments:review", args=[assessment.token]))
        assert response.status_code in (302, 303), response.status_code

    def add_four(assessment: Assessment) -> None:
        for name, overrides in VARIANTS:
            variant_add(assessment=assessment, name=name, overrides=overrides)

    try:
        catalog = catalog_snapshot()
        one = median_ms(
            lambda: results.build_snapshot(ruleset=ruleset, answers=ANSWERS, catalog=catalog), runs
        )
        post = median_ms(complete, runs, setup=in_progress)
        with_four = completed()
        add_four(with_four)
        assert ScenarioVariant.objects.filter(assessment=with_four).count() == len(VARIANTS)
        rescore = median_ms(lambda: variants_rescore(assessment=with_four), runs)
        page = f"/a/{with_four.token}/result/"
        assert "data-scenario" in client.get(page).content.decode()  # the comparison is on it
        result_page = median_ms(lambda: _ok(client.get(page)), 10 * runs)
        healthz = median_ms(lambda: _ok(client.get("/healthz")), 10 * runs)
        adding = median_ms(
            add_four,
            runs,
            setup=completed,
        )
    finally:
        Assessment.objects.filter(pk__in=created).delete()

    rows = [
        ("build_snapshot as completing runs it (one)", one),
        ("  x4", 4 * one),
        ("POST review: complete (one)", post),
        ("four variants re-scored together", rescore),
        ("four variants added one by one (variant_add)", adding),
        ("GET /healthz", healthz),
        ("GET result page, four variants", result_page),
    ]
    print(f"In-process medians of {runs} runs (ms)")
    for label, value in rows:
        print(f"  {label:<48} {value:8.1f}")
    print(f"  re-scoring four / four completions' scoring: {rescore / (4 * one):.2f}")
    print(f"  adding four / four completions' scoring:     {adding / (4 * one):.2f}")
    print(f"  result page / GET /healthz:                  {result_page / healthz:.1f}")
    return 0


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code} from {response.request['PATH_INFO']}")
    return response


if __name__ == "__main__":
    raise SystemExit(main())
