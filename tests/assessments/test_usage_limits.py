"""Issue 30, findings 2 and 3: the usage reader's bounds on the web and on the command line.

Finding 2: 1,500 nested brackets were a 500 on the upload and exit 1 with a
traceback from ``usage_to_answers``. Every bound (nesting depth, records,
line length, file size) now gives the web a message on the file field
(nothing stored) and the command line a message and exit status 2.

Finding 3: the global upload handler cut every file off at 1 MiB, so a real
30-day hourly OpenAI export (1.2 MB) reached the view empty and was refused
as "the file is empty", though the README promises 10 MB. The limit is now
per route (``UPLOAD_MAX_BYTES_BY_ROUTE``), read by the handler and the view.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from advisor.assessments import usage as usage_import
from advisor.assessments.management.commands import usage_to_answers
from advisor.assessments.models import Assessment
from advisor.core.uploads import SizeLimitedUploadHandler, route_of, upload_limit
from advisor.usage import Limits
from tests.usage import generators as usage_gen

DATA = Path(__file__).resolve().parent.parent / "usage" / "data"
WORKLOAD = "workload"
MiB = 1024 * 1024
DEEP = b"[" * 1500 + b"]" * 1500
CSV_HEADER = "start,requests,input_tokens,output_tokens,cached_input_tokens"
LITELLM = (DATA / "litellm_spend_logs.jsonl").read_bytes()


@pytest.fixture
def started(brief_ruleset, client: Client) -> Assessment:
    response = client.post(reverse("assessments:start"))
    token = response["Location"].strip("/").split("/")[1]
    return Assessment.objects.get(token=token)


def post_file(client: Client, assessment: Assessment, name: str, content: bytes):
    url = reverse("assessments:usage", args=[assessment.token, WORKLOAD])
    return client.post(url, {"export": SimpleUploadedFile(name, content)})


def field_error(response) -> str:
    """The message on the file field (the page carries it in #usage-error)."""
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="usage-error"' in page
    return page.split('id="usage-error"', 1)[1].split("</", 1)[0]


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("usage_to_answers", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit:
        status = int(exit.code or 0)
    return status, out.getvalue(), err.getvalue()


def thirty_days_of_openai_pages() -> bytes:
    """A real-shaped 30-day hourly export, 5 models: about 1.2 MB, past the old 1 MiB cut."""
    hours = usage_gen.hours_for_requests(900_000, days=30, pattern="business_hours")
    return json.dumps(usage_gen.openai_pages(hours, models=5)).encode()


# -- finding 3: the route's upload limit ---------------------------------------------


def test_finding_3_a_real_export_over_one_mib_is_read(client, started):
    content = thirty_days_of_openai_pages()
    assert 1 * MiB < len(content) < 10 * MiB
    response = post_file(client, started, "openai-30-days.json", content)
    assert response.status_code == 303, response.content.decode()[:2000]
    started.refresh_from_db()
    assert started.usage_import["period"]["days"] == 30
    assert started.usage_import["figures"]["monthly_queries"]["value"] > 800_000


def test_the_limit_comes_from_one_setting_for_handler_and_view(client, started, settings):
    settings.UPLOAD_MAX_BYTES_BY_ROUTE = {"assessments:usage": 2 * MiB}
    content = LITELLM * (3 * MiB // len(LITELLM))
    message = field_error(post_file(client, started, "spend.jsonl", content))
    assert "larger than 2 MB" in message
    started.refresh_from_db()
    assert started.usage_import is None


def test_the_handler_cuts_each_route_at_its_own_limit(settings):
    factory = RequestFactory()
    usage = factory.post(reverse("assessments:usage", args=["t" * 32, WORKLOAD]))
    logo = factory.post(reverse("consultants:profile"))
    assert route_of(usage) == "assessments:usage"
    assert upload_limit("assessments:usage") == 10 * MiB
    assert upload_limit("consultants:profile") == 1 * MiB  # logos keep theirs
    assert upload_limit("assessments:start") == settings.FILE_UPLOAD_MAX_FILE_BYTES
    for request, limit in ((usage, 10 * MiB), (logo, 1 * MiB)):
        handler = SizeLimitedUploadHandler(request)
        handler.new_file("export", "f", "application/octet-stream", None)
        passed = sum(
            len(handler.receive_data_chunk(b"x" * 65536, start) or b"")
            for start in range(0, 12 * MiB, 65536)
        )
        assert passed == limit


def test_a_logo_past_its_limit_still_gets_its_size_message(client, consultant):
    client.force_login(consultant)
    logo = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"x" * (2 * MiB), "image/png")
    response = client.post(reverse("consultants:profile"), {"firm_name": "F", "logo": logo})
    assert response.status_code == 200
    assert "the limit is 512 KB" in " ".join(response.context["form"].errors["logo"])


# -- finding 2: the reader's bounds on the web --------------------------------------


def test_finding_2_deep_json_is_a_message_on_the_field(client, started):
    assert len(DEEP) == 3000
    message = field_error(post_file(client, started, "deep.json", DEEP))
    assert "deep.json: JSON nested more than 32 levels deep" in message
    started.refresh_from_db()
    assert started.usage_import is None


def test_too_many_records_on_the_web(client, started, monkeypatch):
    monkeypatch.setattr(usage_import, "MAX_UPLOAD_RECORDS", 3)
    message = field_error(post_file(client, started, "spend.jsonl", LITELLM))
    assert "line 4: more than 3 records" in message


def test_a_line_too_long_on_the_web(client, started):
    content = (CSV_HEADER + "\n2026-10-01," + "x" * (MiB + 10) + ",1,1,0\n").encode()
    message = field_error(post_file(client, started, "usage.csv", content))
    assert "usage.csv: a line longer than 1 MiB" in message


def test_the_web_reads_fewer_records_than_the_command_line():
    web = usage_import.upload_limits()
    assert web.max_bytes == 10 * MiB
    assert web.max_records == usage_import.MAX_UPLOAD_RECORDS < Limits().max_records


# -- the same bounds on the command line ---------------------------------------------


def test_finding_2_deep_json_exits_2_on_the_command_line(brief_ruleset, tmp_path):
    path = tmp_path / "deep.json"
    path.write_bytes(DEEP)
    status, out, err = run(str(path))
    assert (status, out) == (2, "")
    assert "deep.json: JSON nested more than 32 levels deep" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("limits", "content", "words"),
    [
        (Limits(max_records=3), LITELLM, "line 4: more than 3 records"),
        (Limits(max_line_bytes=100), (CSV_HEADER + "\n" + "9" * 200 + "\n").encode(), "a line"),
        (Limits(max_bytes=1000), LITELLM, "the file is larger than"),
        (Limits(max_json_depth=2), LITELLM, "line 1: JSON nested more than 2 levels"),
    ],
    ids=["records", "line length", "file size", "depth"],
)
def test_each_bound_exits_2_on_the_command_line(
    limits, content, words, brief_ruleset, tmp_path, monkeypatch
):
    monkeypatch.setattr(usage_to_answers, "LIMITS", limits)
    path = tmp_path / "export"
    path.write_bytes(content)
    status, out, err = run(str(path))
    assert (status, out) == (2, "")
    assert words in err
    monkeypatch.setattr(usage_to_answers, "LIMITS", Limits())
    assert run(str(DATA / "litellm_spend_logs.jsonl"))[0] == 0
