"""A digest of the code and templates this process serves: part of every rendered-HTML cache key.

The shared cache (Redis in production) outlives a deploy, so a fragment
rendered by the previous release must not be served by the next one. The
templates and the Python modules that shape them (template tags, wording,
view objects) are hashed from disk once per process: editing any of them
changes every key without anyone remembering to bump a number.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE.parent / "templates"


@cache
def code_version() -> str:
    """Sixteen hex digits, equal for equal sources (one pass over about 150 files)."""
    digest = hashlib.sha256()
    for root, pattern in ((PACKAGE, "*.py"), (TEMPLATES, "*.html")):
        for path in sorted(root.rglob(pattern)):
            if "migrations" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
