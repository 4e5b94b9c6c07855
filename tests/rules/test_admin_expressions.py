"""Admin: score expressions and placeholders are checked on save, with a message, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from advisor.rules.models import Rule, Ruleset
from advisor.rules.publishing import ruleset_problems
from tests.rules.test_admin import change_url, rule_change_data


def test_a_score_expression_is_saved_as_written(admin_client: Any, draft_ruleset: Ruleset) -> None:
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    expression = "-2 * $log($max([tco_ratio_self_host ?? 1, 0.01]))"
    data = rule_change_data(admin_client, rule, self_host_delta=expression, api_delta="2")

    response = admin_client.post(change_url(rule), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    rule.refresh_from_db()
    assert rule.score_deltas == {"api": 2, "self_host": expression}


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("tco_ratio_self_host * 2", "nullable"),
        ("monthly_queris / 2", "Unknown name 'monthly_queris'"),
        ("$now", "not allowed"),
        ("monthly_queries >", "Syntax error"),
    ],
)
def test_a_bad_score_expression_is_refused_on_its_field(
    admin_client: Any, draft_ruleset: Ruleset, expression: str, fragment: str
) -> None:
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    data = rule_change_data(admin_client, rule, hybrid_delta=expression)

    response = admin_client.post(change_url(rule), data)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["hybrid_delta"])
    assert fragment in errors
    assert Rule.objects.get(pk=rule.pk).score_deltas == {"api": 2}


def test_a_placeholder_for_an_unknown_name_is_refused(
    admin_client: Any, draft_ruleset: Ruleset
) -> None:
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    data = rule_change_data(
        admin_client, rule, caveat_code="c", caveat_text="At {tco_ratio_selfhost:.1f}x."
    )

    response = admin_client.post(change_url(rule), data)

    assert response.status_code == 200
    assert "Unknown name 'tco_ratio_selfhost'" in " ".join(
        response.context["adminform"].form.errors["caveat_text"]
    )


def test_model_validation_and_publishing_check_expressions(draft_ruleset: Ruleset) -> None:
    rule = draft_ruleset.rules.get(code="low-volume-favours-api")
    rule.score_deltas = {"api": "regimes + 1"}
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "The score expression for api" in str(error.value)
    rule.save()  # past validation, as a fixture or a script could
    problems = ruleset_problems(ruleset=draft_ruleset)
    assert any(
        problem.startswith("Rule low-volume-favours-api: The score expression")
        for problem in problems
    )
