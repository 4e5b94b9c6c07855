"""The v3 decision rule: cheapest adjusted TCO, the API holding within the default margin."""

from __future__ import annotations

import numpy as np
import pytest

from advisor.scoring.decision import probability_best, winner, winners


def test_the_cheapest_wins_by_more_than_the_margin() -> None:
    assert winner({"api": 100.0, "open_api": 89.0, "self_host": 95.0}, 10) == "open_api"


def test_the_api_holds_within_the_margin() -> None:
    assert winner({"api": 100.0, "open_api": 91.0}, 10) == "api"
    assert winner({"api": 100.0, "open_api": 90.0}, 10) == "api"  # exactly the margin: holds


def test_without_the_api_the_cheapest_wins_outright() -> None:
    assert winner({"self_host": 100.0, "hybrid": 99.9}, 25) == "hybrid"


def test_no_candidate_no_winner() -> None:
    assert winner({}, 10) is None


def test_winners_per_draw_agree_with_winner() -> None:
    rng = np.random.default_rng(1)
    adjusted = {name: rng.uniform(50, 150, 400) for name in ("api", "open_api", "self_host")}
    margin = rng.uniform(0, 25, 400)
    won = winners(adjusted, margin)
    names = list(adjusted)
    for draw in range(400):
        expected = winner({name: adjusted[name][draw] for name in names}, margin[draw])
        assert names[won[draw]] == expected


def test_probability_best_sums_to_one_and_is_never_certain_with_rivals() -> None:
    won = np.zeros(300, dtype=int)  # the first candidate wins every draw
    probability = probability_best(["api", "self_host"], won)
    assert sum(probability.values()) == pytest.approx(1.0)
    assert probability["api"] < 1.0
    assert probability["api"] == pytest.approx(300.5 / 301)


def test_a_sole_candidate_is_certain() -> None:
    assert probability_best(["self_host"], np.zeros(10, dtype=int)) == {"self_host": 1.0}
