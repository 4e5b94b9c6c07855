"""Scenario variants: the wizard's validation, at most four, re-scored with the assessment."""

from __future__ import annotations

import pytest
from django.utils import timezone

from advisor.assessments.comparison import MAX_VARIANTS, ScenarioOutcome, outcome_of
from advisor.assessments.models import ScenarioVariant
from advisor.assessments.results import build_snapshot
from advisor.assessments.scenarios import (
    SAME_AS_ANSWERED,
    NoResultYet,
    TooManyVariants,
    VariantsLocked,
    scenario_comparison,
    variant_add,
    variant_remove,
)
from advisor.assessments.services import (
    assessment_rescore,
    assessment_rescore_preview,
    assessment_start,
)
from advisor.costs.selectors import catalog_snapshot
from advisor.costs.services import catalog_defaults
from advisor.rules.services import InvalidAnswers, parse_answers_for
from advisor.snapshot import ResultSnapshot
from tests.conftest import HIGH_VOLUME_ANSWERS

pytestmark = pytest.mark.django_db


def test_a_variant_is_scored_like_the_assessment_on_its_changed_answers(make_completed):
    assessment = make_completed()
    variant = variant_add(
        assessment=assessment, name="Volume x3", overrides={"monthly_queries": "x3"}
    )
    assert variant.overrides == {"monthly_queries": 900_000_000}
    expected = build_snapshot(
        ruleset=assessment.ruleset,
        answers={**HIGH_VOLUME_ANSWERS, "monthly_queries": 900_000_000},
    )
    outcome = variant.outcome
    assert outcome["recommendation"] == expected.recommendation
    # The figure the comparison shows: adjusted (decision model v3) when the result has it.
    assert outcome["tco_usd"]["api"] == pytest.approx(outcome_of(expected).tco_usd["api"])
    assert (
        outcome["tco_usd"]["api"]
        > 2.5 * outcome_of(ResultSnapshot.from_dict(assessment.result)).tco_usd["api"]
    )


def test_a_variant_that_moves_no_cost_answer_is_costed_on_the_results_configuration(
    make_completed,
):
    assessment = make_completed()
    variant = variant_add(
        assessment=assessment, name="Compliance first", overrides={"primary_driver": "compliance"}
    )
    base = outcome_of(ResultSnapshot.from_dict(assessment.result))
    outcome = ScenarioOutcome.from_dict(variant.outcome)
    # The planner's pick, as the result (not the catalog's default open model).
    assert outcome.costed_on == base.costed_on
    assert base.costed_on["self_host"] != default_profile_name(assessment)
    assert outcome.tco_usd == base.tco_usd
    comparison = scenario_comparison(assessment=assessment)
    assert comparison is not None
    assert not [row for row in comparison.rows if row.key.startswith("costed-on-")]


def test_naming_the_catalogs_default_model_is_a_change_the_variant_is_costed_on(make_completed):
    assessment = make_completed()
    default = catalog_defaults()["self_host_model"]
    variant = variant_add(
        assessment=assessment, name="Default model", overrides={"self_host_model": default}
    )
    outcome = ScenarioOutcome.from_dict(variant.outcome)
    assert outcome.costed_on["self_host"] == default_profile_name(assessment)
    comparison = scenario_comparison(assessment=assessment)
    assert comparison is not None
    rows = {row.key: [cell.text for cell in row.cells] for row in comparison.rows}
    assert rows["costed-on-self_host"] == [
        outcome_of(ResultSnapshot.from_dict(assessment.result)).costed_on["self_host"],
        default_profile_name(assessment),
    ]


def test_each_column_says_its_configuration_when_the_planner_picks_another(make_completed):
    assessment = make_completed()
    variant_add(assessment=assessment, name="Pilot", overrides={"monthly_queries": "x0.01"})
    expected = outcome_of(
        build_snapshot(
            ruleset=assessment.ruleset,
            answers={**HIGH_VOLUME_ANSWERS, "monthly_queries": 3_000_000},
            uncertainty=False,
        )
    )
    comparison = scenario_comparison(assessment=assessment)
    assert comparison is not None
    rows = {row.key: row for row in comparison.rows}
    # The planner picks for each column's own volume, as the wizard would for those answers.
    for option in ("self_host", "hybrid"):
        texts = [cell.text for cell in rows[f"costed-on-{option}"].cells]
        assert texts == [
            outcome_of(ResultSnapshot.from_dict(assessment.result)).costed_on[option],
            expected.costed_on[option],
        ]
        assert texts[0] != texts[1]
        assert rows[f"costed-on-{option}"].label.endswith(" costed on")
    assert "costed-on-api" not in rows  # the same API model in both


def default_profile_name(assessment) -> str:
    key = catalog_defaults()["self_host_model"]
    entry = catalog_snapshot().profile(key)
    assert entry is not None
    return entry.profile.name


@pytest.mark.parametrize(
    ("key", "typed"),
    [
        ("monthly_queries", "-5"),
        ("monthly_queries", "lots"),
        ("load_pattern", "bursty"),
        ("api_model", "gpt-99"),
        ("has_production_data", "maybe"),
        ("simple_query_share_pct", "140"),
    ],
)
def test_a_bad_override_gets_the_wizards_message_for_that_field(make_completed, key, typed):
    assessment = make_completed()
    wizard_says = parse_answers_for(assessment.ruleset, {key: typed}, partial=True).errors_for(key)
    assert wizard_says  # the wizard refuses it too
    with pytest.raises(InvalidAnswers) as refused:
        variant_add(assessment=assessment, name="Bad", overrides={key: typed})
    assert [error.message for error in refused.value.errors if error.key == key] == wizard_says
    assert not ScenarioVariant.objects.exists()


def test_an_override_equal_to_the_answer_is_refused(make_completed):
    assessment = make_completed()
    with pytest.raises(InvalidAnswers) as refused:
        variant_add(assessment=assessment, name="Same", overrides={"load_pattern": "Steady"})
    assert [error.message for error in refused.value.errors] == [SAME_AS_ANSWERED]


def test_choices_and_catalog_entries_may_be_named_by_their_labels(make_completed):
    assessment = make_completed()
    variant = variant_add(
        assessment=assessment,
        name="Mini model, reserved",
        overrides={"api_model": "GPT-4o mini", "gpu_pricing": "reserved_3y"},
    )
    assert variant.overrides == {"api_model": "gpt-4o-mini", "gpu_pricing": "reserved_3y"}
    comparison = scenario_comparison(assessment=assessment)
    assert comparison is not None
    assert any("GPT-4o mini" in change for change in comparison.variants[0].changes)


def test_at_most_four_variants(make_completed):
    assessment = make_completed()
    for times in range(2, 2 + MAX_VARIANTS):
        variant_add(
            assessment=assessment, name=f"x{times}", overrides={"monthly_queries": f"x{times}"}
        )
    with pytest.raises(TooManyVariants):
        variant_add(assessment=assessment, name="One more", overrides={"monthly_queries": "x9"})
    assert assessment.variants.count() == MAX_VARIANTS
    comparison = scenario_comparison(assessment=assessment)
    assert comparison is not None
    assert [column.name for column in comparison.columns] == [
        "As answered",
        "x2",
        "x3",
        "x4",
        "x5",
    ]


def test_removing_frees_a_place_and_bumps_the_revision(make_completed):
    assessment = make_completed()
    variant = variant_add(assessment=assessment, name="x2", overrides={"monthly_queries": "x2"})
    assessment.refresh_from_db()
    revision = assessment.revision
    assert variant_remove(assessment=assessment, variant_id=variant.pk) is True
    assert variant_remove(assessment=assessment, variant_id=variant.pk) is False
    assessment.refresh_from_db()
    assert assessment.revision == revision + 1
    assert scenario_comparison(assessment=assessment) is None


def test_a_locked_assessment_takes_no_variant(make_completed, consultant):
    assessment = make_completed(owner=consultant, locked_at=timezone.now())
    with pytest.raises(VariantsLocked):
        variant_add(assessment=assessment, name="x2", overrides={"monthly_queries": "x2"})


def test_an_assessment_without_a_result_takes_no_variant(brief_ruleset):
    assessment = assessment_start(ruleset=brief_ruleset)
    with pytest.raises(NoResultYet):
        variant_add(assessment=assessment, name="x2", overrides={"monthly_queries": "x2"})


def test_completing_again_rescores_the_variants_on_the_new_answers(make_completed, complete_again):
    assessment = make_completed()
    variant = variant_add(
        assessment=assessment, name="Reserved", overrides={"gpu_pricing": "reserved_3y"}
    )
    before = variant.outcome["tco_usd"]["api"]
    complete_again(assessment, monthly_queries=30_000_000)
    variant.refresh_from_db()
    # The API's cost follows the volume (a tenth of it), the override stays.
    assert variant.outcome["tco_usd"]["api"] == pytest.approx(before / 10, rel=0.02)
    assert variant.overrides == {"gpu_pricing": "reserved_3y"}


def test_rescoring_rescores_the_variants_and_says_when_one_no_longer_fits(make_completed):
    assessment = make_completed()
    good = variant_add(assessment=assessment, name="x2", overrides={"monthly_queries": "x2"})
    stale = variant_add(assessment=assessment, name="Old", overrides={"load_pattern": "spiky"})
    # As if the ruleset had narrowed the question since: the stored override no longer fits.
    ScenarioVariant.objects.filter(pk=stale.pk).update(overrides={"load_pattern": "bursty"})
    ScenarioVariant.objects.filter(pk=good.pk).update(outcome=None)
    preview = assessment_rescore_preview(assessment=assessment)
    assessment_rescore(assessment=assessment, fingerprint=preview.fingerprint)
    good.refresh_from_db()
    stale.refresh_from_db()
    assert good.outcome is not None and good.problem == ""
    assert stale.outcome is None
    assert "load_pattern" in stale.problem and "bursty" in stale.problem
