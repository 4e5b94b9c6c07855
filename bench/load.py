"""The load client: locust users for each phase, run headless as a library.

    python -m bench.load --host http://127.0.0.1:PORT --scenario buyer \
        --users 50 --duration 60 --out stats.json [--journal buyers.jsonl]

Runs in its own process (``bench.run`` starts it): locust monkey-patches the
standard library for gevent on import, which the orchestrator's own database
work must not inherit. Writes the per-request statistics as JSON, and for
the buyer scenario a journal line per buyer: the token and every answer the
server acknowledged, so the orchestrator can check nothing was lost.

Requests never follow redirects: each step of the path is measured on its
own, and a 303 to the expected next page is the acknowledgement of a write.
Every POST carries the CSRF token read from the form it submits, with the
cookie the server set, as a browser does.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import gevent
from locust import FastHttpUser, constant, constant_pacing, task
from locust.contrib.fasthttp import ResponseContextManager
from locust.env import Environment
from locust.exception import StopUser

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECOMMENDATION = re.compile(r'data-recommendation="(api|self_host|hybrid)"')
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
# Percentiles the report shows (locust rounds response times above 100 ms
# to two significant digits, which is finer than run-to-run noise here).
PERCENTILES = (0.5, 0.95, 0.99)

# Answers per wizard step (by slug): typed values, as the buyer means them.
# Three buyer profiles so the rules engine and the cost model take
# different paths; the cost-assumptions step is "advanced" and skipped.
PROFILES: tuple[dict[str, dict[str, Any]], ...] = (
    {
        "workload": {"monthly_queries": 2_000_000, "load_pattern": "spiky",
                     "customer_facing": True, "has_production_data": False},
        "compliance": {"regimes": ["gdpr"], "data_residency": "none"},
        "capability": {"frontier_capability": "required", "domain_finetune": "none"},
        "team-and-operations": {"gpu_ops_experience": "none", "primary_driver": "not_considering"},
    },
    {
        "workload": {"monthly_queries": 300_000_000, "load_pattern": "steady",
                     "simple_query_share_pct": 80, "has_production_data": True},
        "compliance": {"regimes": ["soc2"], "soc2_perimeter_required": False},
        "capability": {"frontier_capability": "not_needed", "latency_requirement": "low"},
        "team-and-operations": {"gpu_ops_experience": "established",
                                "planned_serving_stack": "vllm", "primary_driver": "cost"},
    },
    {
        "workload": {"monthly_queries": 40_000_000, "load_pattern": "business_hours",
                     "has_production_data": True},
        "compliance": {"regimes": ["hipaa"], "hipaa_baa_sufficient": "no"},
        "capability": {"domain_finetune": "legal"},
        "team-and-operations": {"gpu_ops_experience": "some", "planned_serving_stack": "tgi",
                                "primary_driver": "compliance"},
    },
)  # fmt: skip
ADVANCED_STEPS = frozenset({"cost-assumptions"})
# A download answered "being prepared" asks again; this many times at most.
MAX_PREPARING_POLLS = 30


def form_value(value: Any) -> str | list[str]:
    """How a browser posts a typed answer (the form's own boolean values are true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def encode(fields: dict[str, Any]) -> str:
    return urlencode({key: form_value(value) for key, value in fields.items()}, doseq=True)


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    return match.group(1) if match else ""


def path_of(location: str) -> str:
    return urlparse(location).path


class AdvisorUser(FastHttpUser):
    """Shared helpers; concrete users below pick one task."""

    abstract = True
    wait_time = constant(0)  # closed loop: each user sends its next request at once

    def expect(self, response: ResponseContextManager, status: int, what: str) -> bool:
        if response.status_code != status:
            response.failure(f"{what}: HTTP {response.status_code}, expected {status}")
            return False
        response.success()
        return True

    def get_page(self, path: str, name: str) -> str | None:
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            return response.text if self.expect(response, 200, name) else None

    def post_form(self, path: str, name: str, fields: dict[str, Any]) -> str | None:
        """POST and return the 303's target path (None on anything else)."""
        with self.client.post(
            path,
            name=name,
            data=encode(fields),
            headers=FORM_HEADERS,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if not self.expect(response, 303, name):
                return None
            return path_of(response.headers.get("Location", ""))

    def download_when_ready(self, path: str, name: str) -> bytes | None:
        """GET until the PDF comes, asking again after "being prepared" (202) as its page does.

        Each GET is named by how it was answered (``X-Report-Cache``: hit,
        miss = rendered on demand, preparing); the time from the first GET
        to the file is reported under ``name`` itself.
        """
        started = time.perf_counter()
        for _ in range(MAX_PREPARING_POLLS):
            with self.client.get(
                path, name=name, allow_redirects=False, catch_response=True
            ) as response:
                state = response.headers.get("X-Report-Cache", "none")
                response.request_meta["name"] = f"{name} ({state})"
                if response.status_code == 202:
                    response.success()
                    gevent.sleep(float(response.headers.get("Retry-After", "1")))
                    continue
                if not self.expect(response, 200, name):
                    return None
                if not response.content.startswith(b"%PDF"):
                    response.failure(f"{name}: not a PDF")
                    return None
                content = response.content
                break
        else:
            self.environment.events.request.fire(
                request_type="GET",
                name=name,
                response_time=(time.perf_counter() - started) * 1000,
                response_length=0,
                exception=RuntimeError(f"{name}: still being prepared after the last poll"),
                context={},
            )
            return None
        self.environment.events.request.fire(
            request_type="GET",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=len(content),
            exception=None,
            context={},
        )
        return content


class BuyerUser(AdvisorUser):
    """One iteration = one buyer: landing, start, every step, review, result, PDF."""

    journal: Any = None  # an open file, set by main()

    @task
    def buyer_path(self) -> None:
        profile = random.choice(PROFILES)
        record: dict[str, Any] = {"token": None, "answers": {}, "completed": False}
        try:
            self._walk(profile, record)
        finally:
            if record["token"] and self.journal is not None:
                self.journal.write(json.dumps(record) + "\n")

    def _walk(self, profile: dict[str, dict[str, Any]], record: dict[str, Any]) -> None:
        landing = self.get_page("/", "landing")
        if landing is None:
            return
        target = self.post_form("/a/start/", "start", {"csrfmiddlewaretoken": csrf_token(landing)})
        if not target:
            return
        record["token"] = target.strip("/").split("/")[1]
        with self.client.get(
            target, name="resume", allow_redirects=False, catch_response=True
        ) as response:
            if not self.expect(response, 303, "resume"):
                return
            target = path_of(response.headers["Location"])
        while "/step/" in target:
            slug = target.rstrip("/").rsplit("/", 1)[1]
            page = self.get_page(target, "step GET")
            if page is None:
                return
            answers = profile.get(slug, {})
            nav = "skip" if slug in ADVANCED_STEPS else "next"
            fields = {**answers, "nav": nav, "csrfmiddlewaretoken": csrf_token(page)}
            following = self.post_form(target, "step POST", fields)
            if not following or following == target:
                return
            record["answers"].update(answers)  # acknowledged: the server moved on
            target = following
        review = self.get_page(target, "review GET")
        if review is None:
            return
        result_path = self.post_form(
            target, "review POST (complete)", {"csrfmiddlewaretoken": csrf_token(review)}
        )
        if not result_path:
            return
        record["completed"] = True
        result = self.get_page(result_path, "result")
        if result is not None and not RECOMMENDATION.search(result):
            record["completed"] = False
        self.download_when_ready(result_path.replace("/result/", "/report.pdf"), "report.pdf")


class FloorUser(AdvisorUser):
    """The framework's floor: /healthz (URL routing, middleware, one SELECT 1)."""

    @task
    def healthz(self) -> None:
        self.get_page("/healthz", "healthz (floor)")


class TokenUser(AdvisorUser):
    """Users that work on assessments the orchestrator prepared (tokens from a file)."""

    abstract = True
    tokens: Any = None  # an iterator shared by all users, set by main()

    def next_token(self) -> str:
        try:
            return next(self.tokens)
        except StopIteration:
            raise StopUser() from None  # every prepared assessment used: this user is done


class StepGetUser(TokenUser):
    def on_start(self) -> None:
        self.token = self.next_token()

    @task
    def step_get(self) -> None:
        self.get_page(f"/a/{self.token}/step/workload/", "step GET")


class StepPostUser(TokenUser):
    """Posts the first step over and over with a changing volume: every post writes."""

    def on_start(self) -> None:
        self.token = self.next_token()
        self.path = f"/a/{self.token}/step/workload/"
        self.csrf = csrf_token(self.get_page(self.path, "step GET (setup)") or "")
        self.volumes = itertools.cycle((2_000_000, 3_000_000))

    @task
    def step_post(self) -> None:
        fields = {"monthly_queries": next(self.volumes), "nav": "next",
                  "csrfmiddlewaretoken": self.csrf}  # fmt: skip
        self.post_form(self.path, "step POST", fields)


class ResultUser(TokenUser):
    def on_start(self) -> None:
        self.token = self.next_token()

    @task
    def result(self) -> None:
        self.get_page(f"/a/{self.token}/result/", "result")


class PdfUser(TokenUser):
    """Each iteration: a report never rendered before, then the same one again (cached)."""

    @task
    def pdf(self) -> None:
        path = f"/a/{self.next_token()}/report.pdf"
        for name in ("report.pdf (first render)", "report.pdf (cached)"):
            with self.client.get(
                path, name=name, allow_redirects=False, catch_response=True
            ) as response:
                if not self.expect(response, 200, name):
                    return


# --- issue 14: downloads and result pages while renders run ------------------------------


class CompletingUser(AdvisorUser):
    """A buyer finishing: review, complete (which enqueues the render), result, download.

    Works on answered assessments the orchestrator prepared (every step
    saved). The download comes straight after the result page, as a buyer's
    click would: it is a stored file if the background worker was quicker,
    otherwise the web worker renders it on demand (``X-Report-Cache``
    names which, in the request's name).
    """

    abstract = True  # made concrete with its share of the users in main()
    answered: Any = None  # an iterator of tokens, set by main()

    @task
    def complete(self) -> None:
        try:
            token = next(self.answered)
        except StopIteration:
            raise StopUser() from None
        review_path = f"/a/{token}/review/"
        review = self.get_page(review_path, "review GET")
        if review is None:
            return
        result_path = self.post_form(
            review_path, "review POST (complete)", {"csrfmiddlewaretoken": csrf_token(review)}
        )
        if not result_path or self.get_page(result_path, "result (just completed)") is None:
            return
        self.download_when_ready(f"/a/{token}/report.pdf", "report.pdf after completing")


class RenderedTokenUser(AdvisorUser):
    """Users cycling over assessments whose report is already stored."""

    abstract = True
    rendered: Any = None  # an endless iterator of tokens, set by main()


class CachedPdfUser(RenderedTokenUser):
    """Downloads reports rendered before the phase: each must be the stored file."""

    abstract = True

    @task
    def download(self) -> None:
        name = "report.pdf (cached)"
        with self.client.get(
            f"/a/{next(self.rendered)}/report.pdf",
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 200 and response.headers.get("X-Report-Cache") != "hit":
                response.failure(f"{name}: rendered, expected the stored file")
            else:
                self.expect(response, 200, name)


class ResultViewerUser(RenderedTokenUser):
    abstract = True

    @task
    def result(self) -> None:
        self.get_page(f"/a/{next(self.rendered)}/result/", "result")


def mixed_users(total: int, completing: int, viewer: type[AdvisorUser]) -> list[type[AdvisorUser]]:
    """``completing`` users finishing assessments; the others download or view, half each."""
    downloads = (total - completing + 1) // 2
    shares = ((CompletingUser, completing), (CachedPdfUser, downloads),
              (viewer, total - completing - downloads))  # fmt: skip
    return [
        type(base.__name__, (base,), {"fixed_count": count, "abstract": False})
        for base, count in shares
        if count > 0
    ]


SCENARIOS: dict[str, type[AdvisorUser]] = {
    "buyer": BuyerUser,
    "floor": FloorUser,
    "step_get": StepGetUser,
    "step_post": StepPostUser,
    "result": ResultUser,
    "pdf": PdfUser,
}
# Mixed phases: the third share views result pages, or hits the floor under
# the same render load (for the throughput comparison).
MIXED_VIEWERS: dict[str, type[AdvisorUser]] = {
    "mixed": type("ResultViewer", (ResultViewerUser,), {}),
    "mixed_floor": FloorUser,
}


def summarise(environment: Environment, elapsed_seconds: float) -> dict[str, Any]:
    """Per request name: count, failures, rps over the phase, percentiles (ms)."""
    rows = {}
    for entry in environment.stats.entries.values():
        rows[entry.name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / elapsed_seconds,
            **{
                f"p{int(p * 100)}": entry.get_response_time_percentile(p) if entry.num_requests
                else None
                for p in PERCENTILES
            },
        }  # fmt: skip
    errors = [
        {"name": error.name, "error": str(error.error), "occurrences": error.occurrences}
        for error in environment.stats.errors.values()
    ]
    total = environment.stats.total
    rows["(all)"] = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": total.num_requests / elapsed_seconds,
        **{
            f"p{int(p * 100)}": total.get_response_time_percentile(p) if total.num_requests
            else None
            for p in PERCENTILES
        },
    }  # fmt: skip
    return {
        "elapsed_seconds": elapsed_seconds,
        "requests": rows,
        "total_requests": total.num_requests,
        "total_failures": total.num_failures,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Headless locust run of one bench phase.")
    parser.add_argument("--host", required=True)
    parser.add_argument("--scenario", choices=sorted([*SCENARIOS, *MIXED_VIEWERS]), required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--duration", type=float, required=True, help="seconds (upper bound)")
    parser.add_argument("--max-requests", type=int, default=0, help="stop after this many")
    parser.add_argument("--tokens", type=Path, help="prepared assessment tokens, one a line")
    parser.add_argument("--journal", type=Path, help="buyer journal (JSON lines)")
    parser.add_argument("--rendered", type=Path, help="mixed: tokens whose report is stored")
    parser.add_argument("--answered", type=Path, help="mixed: answered tokens to complete")
    parser.add_argument("--completing", type=int, default=0, help="mixed: users completing")
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help="mixed: a completing user starts one completion every PACE seconds at most "
        "(0: closed loop, the next at once)",
    )
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args(argv)

    if arguments.scenario in MIXED_VIEWERS:
        RenderedTokenUser.rendered = itertools.cycle(arguments.rendered.read_text().split())
        CompletingUser.answered = iter(arguments.answered.read_text().split())
        if arguments.pace > 0:
            # Buyers finish at a stated rate (users / pace per second) instead of as
            # fast as the server lets them: the latency measured at a known load.
            CompletingUser.wait_time = constant_pacing(arguments.pace)
        user_classes = mixed_users(
            arguments.users, arguments.completing, MIXED_VIEWERS[arguments.scenario]
        )
    else:
        user_classes = [SCENARIOS[arguments.scenario]]
    if arguments.tokens:
        tokens = arguments.tokens.read_text().split()
        # A plain iterator is safe to share: gevent switches only on I/O.
        TokenUser.tokens = iter(tokens)
    journal = arguments.journal.open("w") if arguments.journal else None
    BuyerUser.journal = journal

    environment = Environment(user_classes=user_classes, host=arguments.host)
    runner = environment.create_local_runner()
    started = time.monotonic()
    # All users at once: the phase measures a steady number of concurrent clients.
    runner.start(arguments.users, spawn_rate=arguments.users)
    deadline = started + arguments.duration
    while time.monotonic() < deadline:
        gevent.sleep(0.2)
        done = environment.stats.total.num_requests
        if arguments.max_requests and done >= arguments.max_requests:
            break
    elapsed = time.monotonic() - started
    runner.quit()
    if journal is not None:
        journal.close()
    arguments.out.write_text(json.dumps(summarise(environment, elapsed), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
