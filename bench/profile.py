"""Where the time goes on the slowest paths, with pyinstrument.

Three paths, profiled in this process against the bench database:

- a report's first render: the web worker only waits on its render process,
  so the render itself (``render_pdf_here``: WeasyPrint) is profiled here,
  with the HTML and chart the view would send;
- a wizard step GET (the request a buyer makes most, far below the floor);
- completing an assessment (the review POST: scoring, the cost projection
  and its sensitivity solves, the chart), through Django's test client.

Writes each profile as text and HTML under bench/results/ and returns the
text, trimmed to the frames that take at least ``MIN_SHARE`` of the time.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pyinstrument import Profiler

# Frames under 3 % of the total are noise for "where does the time go".
MIN_SHARE = 0.03
# Indentation (characters) past which frames are left to the HTML profile.
MAX_DEPTH = 48


def _save(profiler: Profiler, results: Path, name: str, *, show_all: bool = False) -> str:
    (results / f"profile-{name}.html").write_text(profiler.output_html())
    # show_all: inside a library (WeasyPrint) its own frames are the answer.
    text = profiler.output_text(unicode=True, color=False, show_all=show_all, short_mode=False)
    (results / f"profile-{name}.txt").write_text(text)
    session = profiler.last_session
    assert session is not None
    threshold = session.duration * MIN_SHARE
    kept = [
        line
        for line in text.splitlines()
        if (not _seconds(line) or _seconds(line) >= threshold)  # type: ignore[operator]
        and _depth(line) <= MAX_DEPTH
    ]
    return "\n".join(kept)


def _depth(line: str) -> int:
    """How far a frame line is indented (WeasyPrint's layout recursion goes 30 deep)."""
    return len(line) - len(line.lstrip(" │├└─"))


def _seconds(line: str) -> float | None:
    """The leading time of a pyinstrument frame line ("│  ├─ 0.412 render  weasyprint/…")."""
    for token in line.replace("─", " ").split():
        try:
            return float(token)
        except ValueError:
            continue
    return None


def profile_pdf_render(results: Path, token: str, renders: int = 5) -> str:
    from advisor.assessments.models import Assessment
    from advisor.reports import services
    from advisor.reports.pdf import RenderJob, render_pdf_here

    assessment = Assessment.objects.get(token=token)
    report = services.prepare_assessment_report(assessment=assessment)
    # As assessment_report_pdf builds it: the appendix lists every answer.
    sections = services._answer_sections(assessment.ruleset, assessment.answers)
    inputs = dataclasses.replace(report.inputs, answer_sections=sections)
    document = services.report_document(inputs)
    roots = tuple(str(root) for root in services.allowed_roots())
    job = RenderJob(document.html, None, roots, document.resources, document.stylesheets)
    render_pdf_here(job)  # warm: imports, fonts
    profiler = Profiler(interval=0.001)
    with profiler:
        for _ in range(renders):
            render_pdf_here(job)
    return _save(profiler, results, "pdf-render", show_all=True)


def profile_completion(results: Path, tokens: list[str]) -> str:
    """The review POST of assessments whose every step is saved (each completes once)."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.post(f"/a/{tokens[0]}/review/")  # warm: the compiled-ruleset cache
    profiler = Profiler(interval=0.001)
    with profiler:
        for token in tokens[1:]:
            response = client.post(f"/a/{token}/review/")
            assert response.status_code == 303, response.status_code
    return _save(profiler, results, "complete")


def profile_step_get(results: Path, token: str, requests: int = 40) -> str:
    """The first wizard step of a fresh assessment, as a buyer opens it."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    path = f"/a/{token}/step/workload/"
    client.get(path)  # warm
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(requests):
            response = client.get(path)
            assert response.status_code == 200, response.status_code
    return _save(profiler, results, "step-get")


def prepare_answered(count: int) -> list[str]:
    """Assessments with every step saved but not completed yet (the review POST to come)."""
    from advisor.assessments.models import Assessment
    from advisor.rules.models import Ruleset
    from bench.data import HIGH_VOLUME_ANSWERS, WIZARD_STEPS

    ruleset = Ruleset.objects.get(is_current=True)
    created = Assessment.objects.bulk_create(
        Assessment(ruleset=ruleset, answers=HIGH_VOLUME_ANSWERS, saved_steps=list(WIZARD_STEPS))
        for _ in range(count)
    )
    return [assessment.token for assessment in created]
