"""Usage import benchmarks: ``python -m bench.usage [--requests 1000000] [--keep FILE]``.

1. A 30-day hourly OpenAI completions export (720 buckets x 5 models),
   read from memory: the median of 20 runs (target: under 100 ms).
2. A LiteLLM spend log of ``--requests`` rows (JSON Lines, generated once
   into a temporary file, or ``--keep FILE``), streamed in a fresh
   subprocess: wall time and peak RSS (target: under 10 s for 1M), then
   again under tracemalloc for the peak of Python allocations, and the same
   for a tenth of the rows: flat memory means both peaks are about equal.

Every figure moves with the machine's load; the load average is printed
beside them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from advisor.usage import read_usage
from tests.usage import generators as usage_gen

CHILD = """
import json, resource, sys, time, tracemalloc
from advisor.usage import read_usage
path, trace = sys.argv[1], sys.argv[2] == "1"
if trace:
    tracemalloc.start()
started = time.perf_counter()
with open(path, "rb") as file:
    workload = read_usage(file)
seconds = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1] if trace else None
print(json.dumps({"seconds": seconds, "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "traced_peak_bytes": peak, "answers": workload.answers()}))
"""


def openai_export_ms(runs: int = 20) -> tuple[float, int]:
    hours = usage_gen.hourly_requests(pattern="business_hours", days=30, per_hour=20_000)
    data = json.dumps(usage_gen.openai_pages(hours, models=5)).encode()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        workload = read_usage(io.BytesIO(data))
        timings.append((time.perf_counter() - started) * 1000)
    assert workload.load_pattern == "business_hours"
    return statistics.median(timings), len(data)


def litellm_log(path: Path, requests: int) -> None:
    hours = usage_gen.hours_for_requests(requests, days=30, pattern="steady")
    with path.open("w", encoding="utf-8") as out:
        usage_gen.write_litellm_fast(hours, out)


def child_run(path: Path, *, trace: bool) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), "1" if trace else "0"],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    return json.loads(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Usage import benchmarks")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="Write (or reuse) the LiteLLM log here.")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared)")
    median_ms, size = openai_export_ms()
    print(
        f"OpenAI 30-day hourly export, 720 buckets x 5 models ({size / 1e6:.1f} MB): "
        f"median {median_ms:.1f} ms over 20 runs (target < 100 ms)"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for requests in (args.requests // 10, args.requests):
            path = Path(scratch) / f"spend-{requests}.jsonl"
            if args.keep and requests == args.requests:
                path = args.keep
            if not path.exists():
                started = time.perf_counter()
                litellm_log(path, requests)
                print(f"  generated {requests:,} rows in {time.perf_counter() - started:.0f} s")
            plain = child_run(path, trace=False)
            traced = child_run(path, trace=True)
            print(
                f"LiteLLM log, {requests:,} rows ({path.stat().st_size / 1e6:.0f} MB): "
                f"{plain['seconds']:.1f} s, peak RSS {plain['rss_kib'] / 1024:.0f} MiB; "
                f"tracemalloc peak {traced['traced_peak_bytes'] / 1e6:.1f} MB "
                f"({traced['seconds']:.1f} s traced); monthly_queries "
                f"{plain['answers']['monthly_queries']:,}"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
