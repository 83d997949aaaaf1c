"""Figures: value, range, unit, qualifier and span, and what is not a figure."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.figures import find_figures, singular


def only_figure(text):
    figures = find_figures(text)
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "approx"),
    [
        ("Well over 100,000 soldiers crossed.", "Well over 100,000 soldiers", 100_000, "soldier", "well over"),
        ("It cost $43.9 billion.", "$43.9 billion", 43.9e9, "USD", None),
        ("a $5bn deal", "$5bn", 5e9, "USD", None),
        ("prices rose 12% in May", "12%", 12, "%", None),
        ("prices rose 12 per cent", "12 per cent", 12, "%", None),
        ("turnout fell 3.5 percentage points", "3.5 percentage points", 3.5, "percentage point", None),
        ("more than 50 nations signed", "more than 50 nations", 50, "nation", "more than"),
        ("it took two years", "two years", 2, "year", None),
        ("one hundred thousand people marched", "one hundred thousand people", 100_000, "person", None),
        ("nearly 300 casualties", "nearly 300 casualties", 300, "casualty", "nearly"),
        ("200 armed men marched", "200 armed men", 200, "man", None),
        ("the 27 member states agreed", "27 member states", 27, "state", None),
        ("£1.2m was paid", "£1.2m", 1.2e6, "GBP", None),
        ("5 million euros in aid", "5 million euros", 5e6, "EUR", None),
        ("a 100km march", "100km", 100, "km", None),
        ("a 45-year-old man", "45-year-old", 45, "year", None),
        ("about a dozen countries", "about a dozen countries", 12, "country", "about"),
        ("only one hospital is open", "one hospital", 1, "hospital", None),
        ("at least one person died", "at least one person", 1, "person", "at least"),
        ("one in five adults", "one in five adults", 20, "%", None),
        ("The index closed at 4,512.", "4,512", 4512, None, None),
    ],
)
def test_a_figure_has_its_span_value_unit_and_qualifier(text, span, value, unit, approx):
    figure = only_figure(text)
    assert (figure.text, figure.unit, figure.approx) == (span, unit, approx)
    assert figure.value == pytest.approx(value)
    assert text[figure.start : figure.end] == span


def test_a_sum_written_three_ways_is_one_value_in_one_currency():
    forms = ["$43.9 billion", "43.9 billion dollars", "$43.9bn", "US$43.9bn"]
    assert {(only_figure(f).value, only_figure(f).unit) for f in forms} == {(43.9e9, "USD")}


@pytest.mark.parametrize(
    ("text", "span", "low", "high", "unit"),
    [
        ("20,000 to 30,000 troops", "20,000 to 30,000 troops", 20_000, 30_000, "troop"),
        ("between 20 and 30 people", "between 20 and 30 people", 20, 30, "person"),
        ("$3-4bn", "$3-4bn", 3e9, 4e9, "USD"),
        ("$3bn-$4bn", "$3bn-$4bn", 3e9, 4e9, "USD"),
        ("20%-30%", "20%-30%", 20, 30, "%"),
        ("about 3 to 4 million people", "about 3 to 4 million people", 3e6, 4e6, "person"),
    ],
)
def test_a_range_is_one_figure_with_two_ends(text, span, low, high, unit):
    figure = only_figure(text)
    assert (figure.text, figure.value, figure.unit) == (span, None, unit)
    assert (figure.low, figure.high) == (pytest.approx(low), pytest.approx(high))


def test_from_one_number_to_another_is_two_figures_not_a_range():
    assert [f.text for f in find_figures("rates rose from 3% to 5%")] == ["3%", "5%"]


@pytest.mark.parametrize(
    "text",
    [
        "50 shades of grey", "one of the ideas", "on the one hand", "One day she left", "no one came",
        "a one-off payment", "Article 5 of the treaty", "Resolution 2334 passed",
        "the 2019-20 season", "they won 3-1", "in 2019", "on 3 March", "on March 3", "at 10 am",
        "from 2019 to 2021", "one official said", "back to square one",
    ],
)
def test_idioms_dates_names_and_scores_are_not_figures(text):
    assert find_figures(text) == []


def test_dates_and_times_are_figures_when_asked_for():
    figures = find_figures("On 3 March 2021 at 10 am", include_dates=True)
    assert [(f.text, f.unit) for f in figures] == [("3", "date"), ("2021", "date"), ("10", "time")]


def test_a_year_like_number_that_counts_something_is_a_figure():
    assert only_figure("some 2000 soldiers").value == 2000


@pytest.mark.parametrize(("plural", "one"), [("casualties", "casualty"), ("people", "person"), ("buses", "buse"),
                                             ("churches", "church"), ("status", "status"), ("troops", "troop")])
def test_counted_nouns_are_reported_in_the_singular(plural, one):
    assert singular(plural) == one


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_figures_inside_it(text):
    for figure in find_figures(text, include_dates=True):
        assert 0 <= figure.start < figure.end <= len(text)
        assert text[figure.start : figure.end] == figure.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["well over", "100,000", "soldiers", "$", "43.9", "billion", "to", "-", "one",
                                 "in", "five", "%", " ", "\n", "between", "and", "2019", "bn", "a dozen", "“"])))
def test_any_mix_of_figure_words_gives_figures_inside_it(words):
    text = " ".join(words)
    for figure in find_figures(text):
        assert text[figure.start : figure.end] == figure.text
        assert (figure.value is None) == (figure.low is not None) == (figure.high is not None)


def test_a_bare_number_in_brackets_is_not_a_figure():
    assert find_figures("Comments (12) | Sign in") == []
    assert [f.text for f in find_figures("prices rose (12%) in May")] == ["12%"]


def test_a_fraction_of_a_number_scales_it():
    from corpus.figures import find_figures

    found = [(f.text, f.value, f.unit, f.approx) for f in find_figures(
        "About a quarter of a million homes and three quarters of a million people.")]
    assert found == [("About a quarter of a million homes", 250_000, "home", "about"),
                     ("three quarters of a million people", 750_000, "person", None)]


# Issue 16: figures in words and mixed forms, with the rule that found them.
@pytest.mark.parametrize(
    ("text", "span", "value", "low", "high", "unit", "approx", "rule"),
    [
        ("a third of the budget", "a third", 100 / 3, None, None, "%", None, "share"),
        ("two-thirds of voters", "two-thirds", 200 / 3, None, None, "%", None, "share"),
        ("nearly half of all homes", "nearly half", 50, None, None, "%", "nearly", "share"),
        ("runs at less than half its capacity", "less than half", 50, None, None, "%", "less than", "share"),
        ("a quarter of a percentage point", "a quarter of a percentage point", 0.25, None, None,
         "percentage point", None, "share"),
        ("tens of thousands of marchers", "tens of thousands", None, 1e4, 1e5, "marcher", "tens of", "multiple"),
        ("hundreds of thousands", "hundreds of thousands", None, 1e5, 1e6, None, "hundreds of", "multiple"),
        ("nearly 80 000 fans", "nearly 80 000 fans", 80_000, None, None, "fan", "nearly", "count"),
        ("nearly 80\u202f000 fans", "nearly 80\u202f000 fans", 80_000, None, None, "fan", "nearly", "count"),
        ("upwards of 3,000 workers", "upwards of 3,000 workers", 3000, None, None, "worker", "upwards of", "count"),
        ("roughly 40 km", "roughly 40 km", 40, None, None, "km", "roughly", "measure"),
        ("in the region of £4m", "in the region of £4m", 4e6, None, None, "GBP", "in the region of", "currency"),
        ("one for every eight patients", "one for every eight patients", 12.5, None, None, "%", None, "ratio"),
        ("a bonus of 9 000 zlotys", "9 000 zlotys", 9000, None, None, "PLN", None, "currency"),
        ("between 20 and 30 boats", "between 20 and 30 boats", None, 20, 30, "boat", None, "range"),
        ("Ines Orr, 58, said", "58", 58, None, None, None, None, "age"),
        ("a 45-year-old man", "45-year-old", 45, None, None, "year", None, "age"),
        ("rates rose 2.5% in May", "2.5%", 2.5, None, None, "%", None, "percent"),
    ],
)
def test_figures_in_words_and_mixed_forms(text, span, value, low, high, unit, approx, rule):
    figures = find_figures(text)
    assert [f.text for f in figures][:1] == [span]
    f = figures[0]
    assert (f.low, f.high, f.unit, f.approx, f.rule) == (low, high, unit, approx, rule)
    assert f.value == pytest.approx(value) if value is not None else f.value is None
    assert text[f.start : f.end] == span


@pytest.mark.parametrize(
    "text", ["half an hour", "the second half of the year", "a quarter of an hour"],
)
def test_halves_and_quarters_of_time_are_not_shares(text):
    assert find_figures(text) == []


def test_dates_and_years_are_told_apart_from_the_quantities_beside_them():
    figures = find_figures("On 14 March 2024, 300 people marched; by 2030 some 5 000 more will.")
    assert [(f.text, f.rule) for f in figures] == [("300 people", "count"), ("some 5 000", "bare")]
