"""What one report render costs in CPU, and which part of the report costs what.

    .venv/bin/python -m bench.render_cost [--renders 10] [--rounds 5]

CPU time, not wall time: on this shared 2-core machine the wall time of one
render varied twofold from one minute to the next (other work on the
machine), its CPU time by about a tenth. The report is bench/pdf.py's (one
completed high-volume assessment, every section, the charts).

Prints:
- the render process's CPU per render over ``--renders`` renders, as a
  background worker pays it (WeasyPrint, then the collector's pass after the
  reply; advisor/reports/pdf.py), beside the wall time and the load average;
- for each ``<section>`` of the report, and for the two chart images, the
  CPU the render saves without it: the whole report and each variant are
  rendered in this process in ``--rounds`` interleaved rounds, and the
  least CPU of each is compared (the least is the one least disturbed by
  other work). The savings overlap and do not add up to the whole: a
  section left out moves the others' page breaks, and every page has its
  margin boxes (running header, "Page N of M"). They say roughly what each
  part of the report costs, for deciding what the report should show;
  nothing here changes the report.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import tempfile
import time
from pathlib import Path

from bench.pdf import _make_assessment, _setup_django

SECTION = re.compile(r'<section class="(?P<name>[\w-]+)".*?</section>', re.S)
SVG_BODY = re.compile(rb"(<svg[^>]*>).*(</svg>)", re.S)


def _process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        _setup_django(Path(folder) / "bench.sqlite3")
        from advisor.reports import services
        from advisor.reports.pdf import RenderJob, RenderProcess, render_pdf_here

        report = services.prepare_assessment_report(assessment=_make_assessment())
        document = services.report_document(services._render_inputs(report))
        roots = tuple(str(root) for root in services.allowed_roots())
        job = RenderJob(document.html, None, roots, document.resources, document.stylesheets)

        renderer = RenderProcess()
        renderer.warm_up()

        def render() -> bytes:
            return renderer.render(
                job.html,
                base_url=None,
                allowed_roots=roots,
                resources=job.resources,
                stylesheets=job.stylesheets,
            )

        render()  # the first report warms fonts and caches
        pid = renderer.pid
        assert pid is not None
        time.sleep(0.5)  # the collector's pass after the reply
        load_before = _load()
        cpu_before, wall_before = _process_cpu_seconds(pid), time.perf_counter()
        for _ in range(arguments.renders):
            pdf = render()
        wall = (time.perf_counter() - wall_before) / arguments.renders
        time.sleep(0.5)
        cpu = (_process_cpu_seconds(pid) - cpu_before) / arguments.renders
        renderer.close()
        print(
            f"render process CPU per render, over {arguments.renders}: {cpu * 1000:.0f} ms "
            f"(wall {wall * 1000:.0f} ms; {len(pdf):,} bytes; load average {load_before} "
            f"before, {_load()} after)"
        )

        variants = {"whole report": job}
        for match in SECTION.finditer(job.html):
            html = job.html[: match.start()] + job.html[match.end() :]
            variants[f"without section {match['name']}"] = RenderJob(
                html, None, roots, job.resources, job.stylesheets
            )
        blank = tuple(
            (url, SVG_BODY.sub(rb"\1\2", body), kind) for url, body, kind in job.resources
        )
        variants["charts blank"] = RenderJob(job.html, None, roots, blank, job.stylesheets)
        for variant in variants.values():
            render_pdf_here(variant)
        gc.collect()
        gc.freeze()  # as the render process does after its first render
        spent: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(arguments.rounds):
            for name, variant in variants.items():
                gc.disable()
                start = time.process_time()
                render_pdf_here(variant)
                spent[name].append(time.process_time() - start)
                gc.enable()
                gc.collect()
        whole = min(spent["whole report"])
        print(
            f"in this process, least CPU of {arguments.rounds} interleaved rounds "
            f"(load average {_load()}):"
        )
        for name, times in spent.items():
            saved = whole - min(times)
            share = f"saves {saved * 1000:4.0f} ms ({saved / whole:5.1%})" if saved else ""
            print(f"  {name:40s} {min(times) * 1000:5.0f} ms  {share}")


if __name__ == "__main__":
    main()
