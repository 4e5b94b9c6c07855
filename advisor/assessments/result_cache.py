"""The result page's rendered fragments, kept in the shared cache between views of one result.

Drawing the result page is mostly template work (about 80% of its time:
the reasons, the cost tables, the tornado, the assumptions), and all of it
depends only on the stored result, the assessment's token (in the page's
URLs) and the code that draws it. The page caches those fragments under a
key made of exactly that; what depends on the visitor or on the
assessment's state (the lock, the messages, the CSRF token, the client's
name, the navigation) is drawn on every request around them.

The stored result enters the key as :attr:`Assessment.result_version`, not
as its content: a page whose fragments are cached never reads the 36 KB
result at all (reading and decoding it was a third of such a page's time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.core.code_version import code_version

if TYPE_CHECKING:
    from advisor.assessments.models import Assessment

# Long enough for a buyer's and their colleagues' visits; the cache evicts
# older entries first, and a new result has a new key anyway.
RESULT_FRAGMENT_SECONDS = 60 * 60


def result_fragment_key(assessment: Assessment) -> str:
    """What the cached fragments vary on: the code, the stored result's version and the token."""
    return f"{code_version()}:{assessment.result_version}:{assessment.token}"
