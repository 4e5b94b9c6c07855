from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from .conftest import CONTRACT_KEYS


def run(tmp_path: Path, content: str, *args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``evaluate`` on a file holding ``content``."""
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(content, encoding="utf-8")
    return run_path(str(answers_file), *args)


def run_path(path: str, *args: str) -> tuple[int, str, str]:
    stdout, stderr = StringIO(), StringIO()
    try:
        call_command("evaluate", path, *args, stdout=stdout, stderr=stderr)
    except SystemExit as exit_:
        return int(exit_.code or 0), stdout.getvalue(), stderr.getvalue()
    return 0, stdout.getvalue(), stderr.getvalue()


def answers(**overrides: Any) -> str:
    return json.dumps({"monthly_queries": 2_000_000, **overrides})


def test_json_output_follows_the_contract(seeded: None, tmp_path: Path) -> None:
    status, stdout, stderr = run(tmp_path, answers(load_pattern="spiky"), "--format", "json")
    assert (status, stderr) == (0, "")
    result = json.loads(stdout)  # exactly one JSON object
    assert set(result) >= set(CONTRACT_KEYS)
    assert result["recommendation"] in ("api", "open_api")
    assert 0 <= result["confidence"] <= 1
    # Decision model v3: four options; a score is the chance of being the best choice.
    assert set(result["scores"]) == {"api", "open_api", "self_host", "hybrid"}
    assert result["scores"][result["recommendation"]] == pytest.approx(
        result["confidence"], abs=1e-4
    )
    assert result["ruleset"] == {"name": "brief-2026", "version": "6"}
    costs = result["costs"]
    assert costs["horizon_months"] == 36
    for option in ("api", "open_api", "self_host", "hybrid"):
        assert len(costs["options"][option]["monthly_usd"]) == 36
        assert costs["options"][option]["tco_usd"] > 0
        assert costs["options"][option]["cost_per_1k_queries_usd"] > 0
        assert (
            costs["options"][option]["adjusted_tco_usd"] >= costs["options"][option]["tco_usd_p50"]
        )
    assert set(costs["probability_best"]) >= {"api", "open_api", "self_host", "hybrid"}
    assert costs["month_36_monthly_queries"] == 2_000_000
    assert result["decision_rule"] == {
        "rule": "cheapest_adjusted_with_default_margin",
        "default": "api",
        "margin_pct": 10.0,
    }
    assert "plan" in result and "conditional" in result
    assert set(costs["break_even_month"]) == {"self_host", "hybrid"}
    assert set(costs["break_even_volume_multiplier"]) == {"self_host", "hybrid"}
    for rule in result["fired_rules"]:
        assert {"code", "title", "rationale", "effect"} <= set(rule)
    for caveat in result["caveats"]:
        assert set(caveat) == {"code", "text"}


def test_text_tornado_keeps_its_figures_in_line_under_long_labels(
    seeded: None, tmp_path: Path
) -> None:
    # Frontier capability required: the API against the hybrid, whose on-call cover (the
    # longest label) moves the ratio; the open options drop out.
    status, stdout, _ = run(
        tmp_path, answers(customer_facing=True, frontier_capability="required"), "--format", "text"
    )
    assert status == 0
    block = stdout.split("What the costs depend on most", 1)[1].split("\n\n", 1)[0]
    assert block.startswith(" (the cost of the commercial API / that of the hybrid):")
    rows = block.splitlines()[1:]
    assert any("around the clock" in row for row in rows)  # the longest label
    ratio_columns = {re.search(r"\S+x to \S+x$", row).start() for row in rows}  # type: ignore[union-attr]
    assert len(rows) >= 3 and len(ratio_columns) == 1


def test_text_chances_stay_in_line_under_the_longest_option_label(
    seeded: None, tmp_path: Path
) -> None:
    status, stdout, _ = run(tmp_path, answers(), "--format", "text")
    assert status == 0
    rows = [row for row in stdout.splitlines() if "chance best" in row and "TCO $" in row]
    assert any(row.lstrip().startswith("Hosted open model") for row in rows)
    assert len(rows) == 4 and len({row.index("chance best") for row in rows}) == 1


def test_json_is_the_default_format(seeded: None, tmp_path: Path) -> None:
    status, stdout, _ = run(tmp_path, answers())
    assert status == 0
    assert set(json.loads(stdout)) >= set(CONTRACT_KEYS)


def test_text_format_is_a_readable_summary(seeded: None, tmp_path: Path) -> None:
    status, stdout, stderr = run(
        tmp_path,
        answers(regimes=["soc2"], soc2_perimeter_required=True),
        "--format",
        "text",
    )
    assert (status, stderr) == (0, "")
    # The perimeter gate holds in every plausible world: certain about the gate,
    # uncertain only about its cost.
    assert "Recommendation: Self-host (confidence 100%, high)" in stdout
    assert "Your compliance answers leave only self-hosting in every plausible world" in stdout
    assert "Adjusted costs (P10 to P90) and chance best:" in stdout
    assert "Ruled out:" in stdout
    assert "SOC 2 auditors require the data to stay in the perimeter" in stdout
    assert "Caveats:" in stdout
    assert "[first_year_overhead]" in stdout


def test_a_scenario_file_is_accepted(seeded: None, tmp_path: Path) -> None:
    scenario = {"why": "x", "answers": {"monthly_queries": 1000}, "expect": {}}
    status, stdout, _ = run(tmp_path, json.dumps(scenario))
    assert status == 0
    assert json.loads(stdout)["recommendation"] == "api"


BAD_INPUTS: dict[str, tuple[str, list[str]]] = {
    "unknown-key": (answers(monthly_querys=5), ["monthly_querys", "Did you mean"]),
    "wrong-type": (answers(customer_facing="perhaps"), ["customer_facing", "yes or no"]),
    "not-a-number": (json.dumps({"monthly_queries": "many"}), ["monthly_queries", "not a number"]),
    "out-of-range": (answers(avg_input_tokens=0), ["avg_input_tokens", "at least 1"]),
    "out-of-range-high": (answers(horizon_months=61), ["horizon_months", "at most 60"]),
    "unknown-choice": (answers(load_pattern="bursty"), ["load_pattern", "not a choice"]),
    "unknown-multi-choice": (answers(regimes=["hipaa", "iso"]), ["regimes", "'iso'"]),
    "unknown-catalog-key": (answers(api_model="gpt-9"), ["api_model", "catalog"]),
    "missing-required": (json.dumps({"load_pattern": "steady"}), ["monthly_queries", "needs"]),
    "malformed-json": ('{"monthly_queries": 5,}', ["not valid JSON", "line 1"]),
    "empty-file": ("", ["not valid JSON"]),
    "not-an-object": ("[1, 2]", ["JSON object", "an array"]),
    "a-string": ('"monthly_queries"', ["JSON object", "a string"]),
    "null": ("null", ["JSON object", "null"]),
}


@pytest.mark.parametrize(("content", "fragments"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_exits_2_names_the_field_and_prints_nothing(
    seeded: None, tmp_path: Path, content: str, fragments: list[str]
) -> None:
    status, stdout, stderr = run(tmp_path, content, "--format", "json")
    assert status == 2
    assert stdout == ""
    for fragment in fragments:
        assert fragment in stderr
    assert "Traceback" not in stderr


def test_missing_file_exits_2(seeded: None, tmp_path: Path) -> None:
    status, stdout, stderr = run_path(str(tmp_path / "nope.json"))
    assert (status, stdout) == (2, "")
    assert "cannot read" in stderr
    assert "nope.json" in stderr


def test_non_utf8_file_exits_2(seeded: None, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"monthly_queries": "\xe9"}')
    status, stdout, stderr = run_path(str(path))
    assert (status, stdout) == (2, "")
    assert "UTF-8" in stderr


def test_every_field_error_is_reported(seeded: None, tmp_path: Path) -> None:
    status, _, stderr = run(tmp_path, answers(load_pattern="x", gpu_ops_experience="lots"))
    assert status == 2
    assert "load_pattern:" in stderr
    assert "gpu_ops_experience:" in stderr


def test_no_published_ruleset_exits_2(db: None, tmp_path: Path) -> None:
    status, stdout, stderr = run(tmp_path, answers())
    assert (status, stdout) == (2, "")
    assert "manage.py seed" in stderr


def test_real_process_exit_status_and_streams(seeded: None, tmp_path: Path) -> None:
    """The same contract seen from a shell: no traceback, exit status 2."""
    import subprocess
    import sys

    path = tmp_path / "bad.json"
    path.write_text(answers(load_pattern="bursty"), encoding="utf-8")
    # A fresh process has no test database; the parse error comes first only
    # if the ruleset loads, so point it at a throwaway SQLite file seeded here.
    database = tmp_path / "db.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"}
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    for command in (
        ["migrate", "-v0", "--skip-checks"],
        ["seed", "--no-demo-users", "--skip-checks"],
    ):
        subprocess.run(
            [sys.executable, str(manage), *command], env=env, check=True, capture_output=True
        )
    completed = subprocess.run(
        [sys.executable, str(manage), "evaluate", str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "load_pattern" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_pdf_report_is_written_beside_the_json(seeded: None, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    status, stdout, stderr = run(tmp_path, answers(), "--pdf", str(pdf))
    assert (status, stderr) == (0, "")
    assert json.loads(stdout)["recommendation"] in ("api", "open_api")
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert not list(tmp_path.glob(".*.partial"))


def test_pdf_into_a_missing_directory_exits_2_before_scoring(seeded: None, tmp_path: Path) -> None:
    status, stdout, stderr = run(tmp_path, answers(), "--pdf", str(tmp_path / "no" / "r.pdf"))
    assert (status, stdout) == (2, "")
    assert "no such directory" in stderr


def test_pdf_render_failure_exits_1_with_nothing_on_stdout(
    seeded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.reports.pdf import PdfRenderError
    from advisor.rules.management.commands import evaluate as evaluate_command

    def broken(**kwargs: object) -> bytes:
        raise PdfRenderError("render process died")

    monkeypatch.setattr(evaluate_command, "render_report_pdf", broken)
    pdf = tmp_path / "report.pdf"
    status, stdout, stderr = run(tmp_path, answers(), "--pdf", str(pdf))
    assert (status, stdout) == (1, "")
    assert "could not be rendered" in stderr
    assert not pdf.exists()


def test_unmigrated_database_is_reported_without_a_traceback(tmp_path, monkeypatch):
    from django.db import OperationalError

    from advisor.rules.management.commands import evaluate

    def no_tables(**kwargs):
        raise OperationalError("no such table: rules_ruleset")

    monkeypatch.setattr(evaluate, "build_snapshot", no_tables)
    answers = tmp_path / "answers.json"
    answers.write_text('{"monthly_queries": 1000}')
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("evaluate", str(answers), stdout=stdout, stderr=stderr)
    assert exit_info.value.code == 1
    assert stdout.getvalue() == ""
    assert "run `python manage.py migrate`" in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()
