"""Completed assessments on the seeded brief-2026 ruleset, and PDF helpers."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from advisor.assessments.models import Assessment, AssessmentStatus
from advisor.assessments.results import result_snapshot
from advisor.rules.models import Ruleset

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HIGH_VOLUME_ANSWERS: dict[str, Any] = {
    "monthly_queries": 300_000_000,
    "load_pattern": "steady",
    "simple_query_share_pct": 80,
    "has_production_data": True,
    "gpu_ops_experience": "established",
    "planned_serving_stack": "vllm",
    "primary_driver": "cost",
    "frontier_capability": "not_needed",
}


@pytest.fixture
def brief_ruleset(db: None) -> Ruleset:
    call_command("loaddata", str(FIXTURES / "10-catalog.json"), verbosity=0)
    call_command("loaddata", str(FIXTURES / "20-ruleset-brief-2026.json"), verbosity=0)
    return Ruleset.objects.get(is_current=True)


@pytest.fixture
def make_completed(brief_ruleset: Ruleset) -> Callable[..., Assessment]:
    """A completed assessment with a real result snapshot (as the wizard stores it)."""

    def make(
        answers: dict[str, Any] | None = None,
        *,
        client_name: str = "Acme Health",
        owner: User | None = None,
    ) -> Assessment:
        answers = dict(HIGH_VOLUME_ANSWERS if answers is None else answers)
        return Assessment.objects.create(
            ruleset=brief_ruleset,
            answers=answers,
            client_name=client_name,
            owner=owner,
            status=AssessmentStatus.COMPLETED,
            result=result_snapshot(ruleset=brief_ruleset, answers=answers),
            completed_at=timezone.now(),
        )

    return make


@pytest.fixture
def consultant(db: None) -> User:
    user = User.objects.create_user("casey", password="pw-casey-123", first_name="Casey")
    user.last_name = "Jordan"
    user.save()
    user.groups.add(Group.objects.get_or_create(name="Consultants")[0])
    return user


@pytest.fixture
def other_consultant(db: None) -> User:
    user = User.objects.create_user("robin", password="pw-robin-123")
    user.groups.add(Group.objects.get_or_create(name="Consultants")[0])
    return user


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, whitespace folded (table cells and wrapped lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # A line broken after a hyphen ("open-" / "source") is one word again.
    text = text.replace("-\n", "-")
    return " ".join(text.split())


def embedded_file_names(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names = reader.trailer["/Root"].get("/Names")
    if names is None:
        return []
    embedded = names.get_object().get("/EmbeddedFiles")
    return ["embedded"] if embedded is not None else []


class Listener:
    """A real TCP listener on 127.0.0.1: records every connection it receives."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port: int = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()
