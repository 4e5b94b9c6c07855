"""advisor.wording: three significant figures and singular/plural, for Python and templates."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from advisor import wording


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (4_461_234.0, "$4.46M"),
        (850_000.0, "$850K"),
        (12_345.0, "$12.3K"),
        (980.0, "$980"),
        (999_600.0, "$1.00M"),  # rounds up into the next suffix, never "$1e+03K"
        (999.7, "$1.00K"),
        (3_200_000.0, "$3.20M"),
        (2_100_000_000.0, "$2.10B"),
        (12.34, "$12.3"),
        (0.0, "$0"),
        (-1_234_567.0, "-$1.23M"),
    ],
)
def test_usd_short_is_three_significant_figures(value: float, shown: str) -> None:
    assert wording.usd_short(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (13_612_345, "13.6M"),
        (300_000_000, "300M"),
        (8_540_000, "8.54M"),
        (1_500, "1.5K"),
        (5_000_000, "5M"),
        (42, "42"),
        (0.000123, "0.000123"),
    ],
)
def test_volume_is_three_significant_figures(value: float, shown: str) -> None:
    assert wording.volume(value) == shown


@pytest.mark.parametrize(
    ("count", "singular", "plural", "shown"),
    [
        (1, "engineer", None, "1 engineer"),
        (2, "engineer", None, "2 engineers"),
        (0, "replica", None, "0 replicas"),
        (0.5, "engineer", None, "0.5 engineers"),
        (1.0, "month", None, "1 month"),
        (1_500, "query", None, "1,500 queries"),
        (3, "person", None, "3 people"),
        (2, "box", None, "2 boxes"),
        (2, "criterion", "criteria", "2 criteria"),
    ],
)
def test_plural(count: float, singular: str, plural: str | None, shown: str) -> None:
    assert wording.plural(count, singular, plural) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("1", "engineers", "1 engineer"),
        ("1", "replicas", "1 replica"),
        ("2", "replicas", "2 replicas"),
        ("0.50", "engineers", "0.50 engineers"),
        ("1", "months", "1 month"),
        ("1", "GPUs", "1 GPU"),
        ("1", "queries/month", "1 query/month"),
        ("1", "USD/month", "1 USD/month"),
        ("1", "%", "1 %"),
        ("1,000", "engineers", "1,000 engineers"),
        (1, "x", "1 x"),
        ("250,000", "", "250,000"),
    ],
)
def test_quantity_singularises_a_plural_unit_after_one(value: str, unit: str, shown: str) -> None:
    assert wording.quantity(value, unit) == shown


def render(source: str, **context: object) -> str:
    return Template("{% load assessments %}" + source).render(Context(context))


def test_template_filters_use_the_same_wording() -> None:
    assert render("{{ v|usd_short }}", v=4_461_234) == "$4.46M"
    assert render("about {{ v|volume }} queries a month", v=13_612_345) == (
        "about 13.6M queries a month"
    )
    assert render('{{ n|plural:"engineer" }}', n=1) == "1 engineer"
    assert render('{{ n|plural:"engineer" }}', n=3) == "3 engineers"
    assert render('{{ n|plural:"criterion,criteria" }}', n=2) == "2 criteria"
    assert render("{{ v|with_unit:u }}", v="1", u="replicas") == "1 replica"
    assert render("{{ v|with_unit:u }}", v="2", u="replicas") == "2 replicas"
    assert render("{{ v|usd_short }}|{{ v|volume }}", v=None) == "—|—"


def test_no_widow_binds_the_last_two_words() -> None:
    assert (
        wording.no_widow("and the API for the long tail.") == "and the API for the long\u00a0tail."
    )
    assert wording.no_widow("Alone") == "Alone"
    assert render("{{ t|nowidow }}", t="<b>a b") == "&lt;b&gt;a\u00a0b"


def test_a_break_even_month_reads_as_words_when_there_is_none() -> None:
    assert wording.break_even_month(12) == "in month 12"
    assert wording.break_even_month(None) == "at no point within the horizon"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "100%"),
        (0.998, "over 99%"),
        (0.994, "99%"),
        (0.5, "50%"),
        (0.003, "under 1%"),
        (0.0, "0%"),
    ],
)
def test_a_share_never_overstates_certainty(value: float, text: str) -> None:
    assert wording.share(value) == text
