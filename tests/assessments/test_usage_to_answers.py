"""``manage.py usage_to_answers``: answers on stdout that ``evaluate`` takes as they are."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from advisor.options import V3_OPTIONS
from advisor.rules.services import question_specs

DATA = Path(__file__).resolve().parent.parent / "usage" / "data"


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("usage_to_answers", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit:
        status = int(exit.code or 0)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", sorted(path.name for path in DATA.iterdir()))
def test_every_example_is_accepted_by_evaluate(name, brief_ruleset, tmp_path):
    status, out, err = run(str(DATA / name))
    assert status == 0, err
    answers = json.loads(out)
    assert answers["has_production_data"] is True
    assert set(answers) <= {spec.key for spec in question_specs(brief_ruleset)}
    if "monthly_queries" not in answers:
        # Required, and not in every format (Anthropic counts no requests): the command
        # says so on stderr, and evaluate takes the answers once the buyer adds it.
        assert "monthly_queries is required by evaluate" in err
        answers["monthly_queries"] = 5_000_000
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    advice = StringIO()
    call_command("evaluate", str(path), stdout=advice, stderr=StringIO())
    assert json.loads(advice.getvalue())["recommendation"] in set(V3_OPTIONS)


def test_prints_only_what_the_file_supports(brief_ruleset):
    status, out, err = run(str(DATA / "anthropic_messages.json"))
    assert status == 0
    answers = json.loads(out)
    assert "monthly_queries" not in answers
    assert "monthly_queries left out: Anthropic's usage report counts tokens" in err


def test_derivation_goes_to_stderr(brief_ruleset):
    status, out, err = run(str(DATA / "openai_completions.json"), "--format", "openai")
    assert status == 0
    assert json.loads(out)["monthly_queries"] == 22_500
    assert "monthly_queries = 22500: sum of num_model_requests" in err
    assert "monthly_queries" not in out.replace('"monthly_queries"', "")  # no prose on stdout


def test_a_figure_without_a_question_is_named_not_printed(brief_ruleset):
    keys = {spec.key for spec in question_specs(brief_ruleset)}
    _status, out, err = run(str(DATA / "openai_completions.json"))
    answers = json.loads(out)
    for key in ("cached_input_share_pct", "batch_share_pct"):
        if key in keys:
            assert key in answers
        else:
            assert key not in answers
            assert f"{key} left out: measured as" in err
            assert f"ruleset brief-2026 version 1 has no question {key} yet" in err


def test_bad_file_exits_2_naming_the_line(brief_ruleset, tmp_path):
    bad = tmp_path / "bad.jsonl"
    lines = (DATA / "litellm_spend_logs.jsonl").read_text().splitlines()
    lines[1] = lines[1].replace('"prompt_tokens": 2000', '"prompt_tokens": -2000')
    bad.write_text("\n".join(lines))
    status, out, err = run(str(bad))
    assert status == 2
    assert out == ""
    assert "line 2, field 'prompt_tokens': a count cannot be negative" in err


def test_missing_file_and_wrong_format(brief_ruleset, tmp_path):
    status, out, err = run(str(tmp_path / "nope.json"))
    assert (status, out) == (2, "")
    assert "cannot read" in err
    status, out, err = run(str(DATA / "usage.csv"), "--format", "anthropic")
    assert (status, out) == (2, "")
    assert "expected JSON" in err


def test_cache_and_batch_shares_reach_evaluate(brief_ruleset, tmp_path):
    """The seeded ruleset asks for both shares (brief-2026 v2 on): printed, and scored as given."""
    keys = {spec.key for spec in question_specs(brief_ruleset)}
    assert {"cached_input_share_pct", "batch_share_pct"} <= keys
    status, out, _err = run(str(DATA / "openai_completions.json"))
    assert status == 0
    answers = json.loads(out)
    assert (answers["cached_input_share_pct"], answers["batch_share_pct"]) == (20.0, 26.7)
    path = tmp_path / "answers.json"
    path.write_text(out)
    advice = StringIO()
    call_command("evaluate", str(path), stdout=advice, stderr=StringIO())
    scored = json.loads(advice.getvalue())
    assert scored["answers"]["cached_input_share_pct"] == 20.0
    assert scored["answers"]["batch_share_pct"] == 26.7
