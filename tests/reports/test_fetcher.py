from __future__ import annotations

import os
from pathlib import Path

import pytest

from advisor.reports.fetcher import LockedDownURLFetcher, RefusedURLError


@pytest.fixture
def root(tmp_path: Path) -> Path:
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "report.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("secret")
    return static


def test_serves_a_file_under_an_allowed_root(root: Path) -> None:
    fetcher = LockedDownURLFetcher(allowed_roots=[root])
    response = fetcher.fetch((root / "css" / "report.css").as_uri())
    assert response.read() == b"p { color: red }"
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "data:text/plain,hello",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
        "gopher://127.0.0.1/",
    ],
)
def test_refuses_every_url_outside_the_roots(root: Path, url: str) -> None:
    with pytest.raises(RefusedURLError):
        LockedDownURLFetcher(allowed_roots=[root]).fetch(url)


def test_refuses_dot_dot_out_of_a_root(root: Path) -> None:
    url = root.as_uri() + "/css/../../secret.txt"
    with pytest.raises(RefusedURLError, match="outside"):
        LockedDownURLFetcher(allowed_roots=[root]).fetch(url)


def test_refuses_a_symlink_that_leads_out_of_a_root(root: Path) -> None:
    os.symlink(root.parent / "secret.txt", root / "innocent.css")
    with pytest.raises(RefusedURLError, match="outside"):
        LockedDownURLFetcher(allowed_roots=[root]).fetch((root / "innocent.css").as_uri())


def test_refuses_directories_and_missing_files(root: Path) -> None:
    fetcher = LockedDownURLFetcher(allowed_roots=[root])
    for url in (root.as_uri(), (root / "missing.css").as_uri()):
        with pytest.raises(RefusedURLError):
            fetcher.fetch(url)


def test_refuses_files_over_the_size_cap(root: Path) -> None:
    (root / "big.css").write_bytes(b"x" * 101)
    with pytest.raises(RefusedURLError, match="larger"):
        LockedDownURLFetcher(allowed_roots=[root], max_bytes=100).fetch((root / "big.css").as_uri())


def test_serves_in_memory_resources_by_exact_url_only(root: Path) -> None:
    fetcher = LockedDownURLFetcher(
        allowed_roots=[root], resources={"report:chart.svg": (b"<svg/>", "image/svg+xml")}
    )
    assert fetcher.fetch("report:chart.svg").read() == b"<svg/>"
    with pytest.raises(RefusedURLError):
        fetcher.fetch("report:other.svg")


def test_urllib_entry_point_is_checked_too(root: Path) -> None:
    with pytest.raises(RefusedURLError):
        LockedDownURLFetcher(allowed_roots=[root]).open("http://127.0.0.1:9/")
