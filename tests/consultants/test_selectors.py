"""The workspace's reads (advisor/consultants/selectors.py)."""

from __future__ import annotations

from advisor.consultants.selectors import current_ruleset_id
from advisor.rules.models import Ruleset


def test_current_ruleset_id_is_the_published_current_version(brief_ruleset):
    assert Ruleset.objects.filter(name=brief_ruleset.name).count() > 1  # v1 stays, archived
    assert current_ruleset_id() == brief_ruleset.pk


def test_current_ruleset_id_is_none_before_a_ruleset_is_published(db):
    Ruleset.objects.create(name="draft-only", version="1")
    assert current_ruleset_id() is None
