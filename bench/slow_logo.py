"""Issue 15's measure: a slow-logo consultant's reports under load; an unrelated buyer's PDF.

    .venv/bin/python -m bench.slow_logo [--samples 10] [--clients 8]

Production settings (bench/server.py: gunicorn through deploy/gunicorn.conf.py,
PostgreSQL, loopback only). One consultant has the review's slow logo on
file, a 500 KB SVG holding one ``<text>`` element, put in place the way it
got there before issue 15 (the upload form accepted it); they own one
completed assessment per client. An unrelated buyer owns ``--samples``
completed assessments per phase, each fetched once, so every fetch is a
first (uncached) PDF render.

1. Quiet: the buyer's PDFs one after another, nothing else running.
2. Loaded: ``--clients`` threads each ask for their slow-logo report over
   and over, a second after each answer (as the review's eight requests
   from one address did), and the buyer's PDFs are fetched while they run.

``--rounds`` alternates the two phases, so that the machine's other load
falls on both alike.

Prints the buyer's p50/p95/max in each phase, the ratio of the p95s (the
target is at most 2), and what the slow-logo clients got (status codes,
median time). Bounded: every request has a timeout, every loop a count.
Set ``BENCH_DATABASE`` to the database to (re)create (default advisor_bench).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402 (after the path set-up above)
    RESULTS,
    Server,
    create_database,
    ensure_postgres,
    manage,
    production_environment,
    reset_results_dir,
)

REQUEST_TIMEOUT_SECONDS = 180
MAX_REQUESTS_PER_CLIENT = 400
# Each client asks again a second after its last answer: a person (or a
# script) retrying a report, not a flood of cached hits that would measure
# the web server instead of the renderer.
CLIENT_PAUSE_SECONDS = 1.0
WARM_UP_RENDERS = 15
SLOW_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><text x="0" y="20">'
    + ("lorem ipsum " * 42_000)[:500_000]
    + "</text></svg>"
).encode()
HIGH_VOLUME = {
    "monthly_queries": 300_000_000,
    "load_pattern": "steady",
    "simple_query_share_pct": 80,
    "has_production_data": True,
}


def fetch(url: str) -> tuple[int, float]:
    """(status, seconds) of one GET; a timeout counts as status 0."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, TimeoutError, OSError):
        status = 0
    return status, time.monotonic() - started


def make_data(environment: dict[str, str], samples: int, clients: int) -> dict[str, list[str]]:
    """Tokens: the slow-logo consultant's (one per client) and the buyer's (two phases)."""
    os.environ.update(environment)
    os.environ["DJANGO_SETTINGS_MODULE"] = "advisor.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from advisor.assessments.models import Assessment, AssessmentStatus
    from advisor.assessments.results import result_snapshot
    from advisor.assessments.steps import build_steps
    from advisor.consultants.models import ConsultantProfile
    from advisor.rules.models import Ruleset
    from advisor.rules.services import question_specs

    ruleset = Ruleset.objects.get(is_current=True)
    snapshot = result_snapshot(ruleset=ruleset, answers=HIGH_VOLUME)
    steps = [step.slug for step in build_steps(question_specs(ruleset))]
    consultant = User.objects.create_user("slow-logo")  # never signs in: no password
    consultant.groups.add(Group.objects.get_or_create(name="Consultants")[0])
    profile = ConsultantProfile.objects.create(user=consultant, firm_name="Slow Logo LLP")
    profile.logo.save("logo.svg", ContentFile(SLOW_SVG), save=True)  # as before issue 15

    def completed(owner: User | None, client_name: str) -> str:
        return Assessment.objects.create(
            ruleset=ruleset,
            answers=HIGH_VOLUME,
            saved_steps=steps,
            client_name=client_name,
            owner=owner,
            status=AssessmentStatus.COMPLETED,
            result=snapshot,
            completed_at=timezone.now(),
        ).token

    return {
        "slow": [completed(consultant, f"Slow client {n}") for n in range(clients)],
        "quiet": [completed(None, f"Buyer quiet {n}") for n in range(samples)],
        "loaded": [completed(None, f"Buyer loaded {n}") for n in range(samples)],
        "warm": [completed(None, f"Warm-up {n}") for n in range(WARM_UP_RENDERS)],
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(times: list[float]) -> str:
    return (
        f"p50 {statistics.median(times):6.2f} s   p95 {percentile(times, 0.95):6.2f} s"
        f"   max {max(times):6.2f} s"
    )


def buyer_phase(server: Server, tokens: list[str]) -> tuple[list[float], Counter[int]]:
    times, statuses = [], Counter[int]()
    for token in tokens:
        status, seconds = fetch(f"{server.url}/a/{token}/report.pdf")
        statuses[status] += 1
        times.append(seconds)
    return times, statuses


def loaded_phase(
    server: Server, buyer_tokens: list[str], slow_tokens: list[str], attack: list[tuple[int, float]]
) -> tuple[list[float], Counter[int]]:
    """The buyer's PDFs while one client per slow-logo report keeps asking for it."""
    stop = threading.Event()
    lock = threading.Lock()

    def client(token: str) -> None:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if stop.is_set():
                return
            outcome = fetch(f"{server.url}/a/{token}/report.pdf")
            with lock:
                attack.append(outcome)
            stop.wait(CLIENT_PAUSE_SECONDS)

    threads = [threading.Thread(target=client, args=(token,)) for token in slow_tokens]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # all of them in flight
    try:
        return buyer_phase(server, buyer_tokens)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT_SECONDS + 5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--samples", type=int, default=10, help="buyer PDFs per phase")
    parser.add_argument("--clients", type=int, default=8, help="slow-logo clients at once")
    parser.add_argument("--rounds", type=int, default=2, help="quiet/loaded rounds")
    options = parser.parse_args(argv)

    ensure_postgres()
    reset_results_dir()
    environment = production_environment(create_database())
    # Shared between workers, as README asks for production (rate limits,
    # render slots, remembered failures).
    environment["CACHE_URL"] = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")
    for arguments in (
        ("migrate", "--noinput", "-v", "0"),
        ("seed", "--no-demo-users"),
        ("collectstatic", "--noinput", "-v", "0"),
    ):
        manage(environment, *arguments)
    tokens = make_data(environment, options.samples, options.clients)
    server = Server(environment, RESULTS / "slow-logo-gunicorn.log")
    server.start()
    try:
        # Render processes started in (most likely) every worker, as on a
        # server that has served PDFs: distinct reports, a few at a time.
        warmers = [
            threading.Thread(target=buyer_phase, args=(server, tokens["warm"][n::5]))
            for n in range(5)
        ]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join(timeout=REQUEST_TIMEOUT_SECONDS)
        quiet_times: list[float] = []
        loaded_times: list[float] = []
        quiet_statuses: Counter[int] = Counter()
        loaded_statuses: Counter[int] = Counter()
        attack: list[tuple[int, float]] = []
        # Rounds of quiet then loaded, so that the machine's other load
        # (2 shared cores) falls on both phases alike.
        for round_number in range(options.rounds):
            quiet = tokens["quiet"][round_number :: options.rounds]
            loaded = tokens["loaded"][round_number :: options.rounds]
            times, statuses = buyer_phase(server, quiet)
            quiet_times += times
            quiet_statuses += statuses
            times, statuses = loaded_phase(server, loaded, tokens["slow"], attack)
            loaded_times += times
            loaded_statuses += statuses
    finally:
        server.stop()

    attack_statuses = Counter(status for status, _ in attack)
    ratio = percentile(loaded_times, 0.95) / percentile(quiet_times, 0.95)
    print(f"unrelated buyer's first PDF, quiet ({len(quiet_times)}):   {summary(quiet_times)}")
    print(f"   statuses {dict(quiet_statuses)}")
    print(f"unrelated buyer's first PDF, loaded ({len(loaded_times)}):  {summary(loaded_times)}")
    print(f"   statuses {dict(loaded_statuses)}")
    print(f"p95 loaded / quiet: {ratio:.2f} (target <= 2)")
    print(
        f"{options.clients} slow-logo clients: {len(attack)} requests, statuses "
        f"{dict(attack_statuses)}, median {statistics.median(s for _, s in attack):.2f} s"
    )
    ok = ratio <= 2 and set(loaded_statuses) == {200}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
