from __future__ import annotations

import re
from decimal import Decimal

import pytest

from advisor.costs import services
from advisor.costs.assumptions import INTEGER_ASSUMPTIONS, SCALAR_ASSUMPTIONS
from advisor.costs.models import ApiModel, CostAssumption
from advisor.costs.services import (
    ENTERED_IN_ASSESSMENT,
    CatalogNotSeeded,
    assumptions_for,
    catalog_choices,
    catalog_defaults,
)


@pytest.mark.usefixtures("catalog")
def test_catalog_defaults_are_gpt_6_2_sol_and_its_like_for_like_open_model() -> None:
    assert catalog_defaults() == {
        "api_model": "gpt-6.2-sol",
        "self_host_model": "llama-3.3-70b-fp8-2xh100",
        "small_model": "llama-3.1-8b-fp8-1xh100",
        "engineer_monthly_cost_usd": 21_700.0,
        "first_year_budget_usd": 250_000.0,
    }


@pytest.mark.usefixtures("catalog")
def test_catalog_choices_list_active_entries_only() -> None:
    ApiModel.objects.filter(key="gpt-4o").update(active=False)

    api_keys = [key for key, _ in catalog_choices("api_model")]
    assert "gpt-4.1-mini" in api_keys
    assert "gpt-4o" not in api_keys
    small = [key for key, _ in catalog_choices("small_model")]
    assert "llama-3.1-8b-fp8-1xh100" in small
    # The small tier: Llama 3.1 8B and gpt-oss-20b, each on the GPUs it is measured on.
    assert {key.split("-fp")[0] for key in small} == {"llama-3.1-8b", "gpt-oss-20b"}
    assert ("h100-80gb", "NVIDIA H100 80GB ($2.95/h)") in catalog_choices("gpu")
    assert len(catalog_choices("self_host_model")) == 28


@pytest.mark.usefixtures("catalog")
def test_catalog_choices_refuse_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown catalog kind"):
        catalog_choices("tpu")


@pytest.mark.usefixtures("catalog")
def test_mini_api_is_matched_by_an_8b_model() -> None:
    assumptions = assumptions_for(answers={"api_model": "gpt-4.1-mini", "gpu": "h100-80gb"})

    assert assumptions.api_model.usd_per_input_token == pytest.approx(0.4e-6)
    assert assumptions.self_host_model.key == "llama-3.1-8b-fp8-1xh100"


@pytest.mark.usefixtures("catalog")
def test_frontier_api_is_matched_by_the_best_open_model() -> None:
    assumptions = assumptions_for(answers={"api_model": "claude-opus-4-5", "gpu": "h100-80gb"})

    assert assumptions.self_host_model.key == "llama-3.3-70b-fp8-2xh100"


@pytest.mark.usefixtures("catalog")
def test_answers_override_models_and_figures() -> None:
    assumptions = assumptions_for(
        answers={
            "self_host_model": "llama-3.3-70b-fp16-4xa100",
            "engineer_monthly_cost_usd": 15_000,
            "first_year_budget_usd": 0,
        }
    )

    assert assumptions.self_host_model.gpus_per_replica == 4
    assert assumptions.engineer_monthly_cost_usd == 15_000
    assert assumptions.first_year_budget_usd == 0
    assert assumptions.sources["engineer_monthly_cost_usd"].text == ENTERED_IN_ASSESSMENT


@pytest.mark.usefixtures("catalog")
def test_unknown_keys_fall_back_to_defaults_with_a_note() -> None:
    assumptions = assumptions_for(answers={"api_model": "gpt-99", "gpu": "tpu-v5"})

    assert assumptions.api_model.key == "gpt-6.2-sol"
    assert any("gpt-99" in note for note in assumptions.notes)
    assert any("tpu-v5" in note for note in assumptions.notes)


@pytest.mark.usefixtures("catalog")
def test_a_gpu_without_a_measured_profile_keeps_the_default_and_says_so() -> None:
    assumptions = assumptions_for(answers={"gpu": "l4"})

    assert assumptions.self_host_model.gpu.key == "h100-80gb"
    assert any("NVIDIA L4" in note for note in assumptions.notes)


@pytest.mark.usefixtures("catalog")
def test_every_assumption_row_has_a_source_and_a_date() -> None:
    rows = assumptions_for(answers={}).rows()

    assert len(rows) >= 20
    assert all(row.source and row.as_of for row in rows)


@pytest.mark.usefixtures("catalog")
def test_a_value_of_several_figures_carries_each_unit_itself() -> None:
    # A unit after "64,375 per GPU, 1.44 kW, 8 per server" read "... server USD, kW per GPU".
    rows = {row.label: row for row in assumptions_for(answers={"gpu": "b200"}).rows()}
    owned = rows["GPU: NVIDIA B200 180GB, owned"]
    assert owned.unit == ""
    assert owned.value == "64,375 USD and 1.44 kW per GPU, 8 GPUs per server"
    model = next(row for label, row in rows.items() if label.startswith("Self-hosted model:"))
    assert model.unit == ""
    assert re.fullmatch(
        r"[\d,]+ out / [\d,]+ in tokens/s per replica \(\d+ x NVIDIA B200 180GB\)", model.value
    )


@pytest.mark.django_db
def test_an_empty_catalog_says_to_seed() -> None:
    with pytest.raises(CatalogNotSeeded, match="seed"):
        assumptions_for(answers={})


@pytest.mark.usefixtures("catalog")
def test_a_missing_assumption_row_says_to_seed() -> None:
    CostAssumption.objects.filter(key="peak_factor_spiky").delete()

    with pytest.raises(CatalogNotSeeded, match="peak_factor_spiky"):
        services.catalog_defaults()


@pytest.mark.usefixtures("catalog")
def test_every_scalar_assumption_is_read_from_its_catalog_row() -> None:
    # assumptions_for names the counts one by one: a scalar it forgot would
    # silently keep the dataclass default instead of the catalog's figure.
    for row in CostAssumption.objects.all():
        if row.key in INTEGER_ASSUMPTIONS:
            row.value += 1
        else:
            row.value = (row.value * Decimal("0.9") + Decimal("0.01")).quantize(Decimal("0.0001"))
        row.save()
    stored = {row.key: row.value for row in CostAssumption.objects.all()}

    assumptions = assumptions_for(answers={})

    for spec in SCALAR_ASSUMPTIONS:
        value = getattr(assumptions, spec.name)
        assert value == float(stored[spec.name]), spec.name
        assert isinstance(value, int) == (spec.name in INTEGER_ASSUMPTIONS), spec.name


def test_frontier_required_costs_the_api_on_a_frontier_model(catalog: None) -> None:
    chosen = assumptions_for(answers={"monthly_queries": 1_000, "frontier_capability": "required"})
    assert chosen.api_model.tier == "frontier"
    assert any("Frontier capability is required" in note for note in chosen.notes)
    named = assumptions_for(answers={"frontier_capability": "required", "api_model": "gpt-6.2-sol"})
    assert named.api_model.key == "gpt-6.2-sol"  # a model the buyer named is kept
