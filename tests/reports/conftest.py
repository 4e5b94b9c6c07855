"""A second consultant, PDF helpers and a TCP listener (the consultant is in tests/conftest.py)."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from pypdf import PdfReader

from tests.conftest import make_consultant


@pytest.fixture
def other_consultant(db: None) -> User:
    return make_consultant("robin")


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, whitespace folded (table cells and wrapped lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # A line broken after a hyphen ("open-" / "source") is one word again.
    text = text.replace("-\n", "-")
    return " ".join(text.split())


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, whitespace folded: to check what lands on which page."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


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
