"""The code version: a digest of the code and templates, part of every HTML cache key."""

from __future__ import annotations

import re

from advisor.core import code_version as module


def test_sixteen_hex_digits_and_the_same_within_a_process() -> None:
    assert re.fullmatch(r"[0-9a-f]{16}", module.code_version())
    assert module.code_version() == module.code_version()


def test_a_changed_template_changes_the_version(tmp_path, monkeypatch) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "package").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    monkeypatch.setattr(module, "PACKAGE", tmp_path / "package")
    monkeypatch.setattr(module, "TEMPLATES", tmp_path / "templates")
    module.code_version.cache_clear()
    try:
        first = module.code_version()
        page.write_text("<p>two</p>")
        module.code_version.cache_clear()
        assert module.code_version() != first
    finally:
        module.code_version.cache_clear()
