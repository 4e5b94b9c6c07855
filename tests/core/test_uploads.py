"""Upload limits per route: a named route's own limit, else the site's."""

from __future__ import annotations

from advisor.core.uploads import upload_limit


def test_a_route_with_its_own_limit_and_one_without(settings) -> None:
    settings.UPLOAD_MAX_BYTES_BY_ROUTE = {"assessments:usage": 5_000}
    settings.FILE_UPLOAD_MAX_FILE_BYTES = 1_000
    assert upload_limit("assessments:usage") == 5_000
    assert upload_limit("consultants:profile") == 1_000
    assert upload_limit(None) == 1_000
