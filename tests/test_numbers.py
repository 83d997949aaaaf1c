"""Numbers in digits, words and mixed forms, with their values and offsets."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("100,000", 100_000),
        ("100000", 100_000),
        ("100\u00a0000", 100_000),
        ("100\u202f000", 100_000),
        ("100\u2009000", 100_000),
        ("100k", 100_000),
        ("100K", 100_000),
        ("3.5", 3.5),
        ("5bn", 5e9),
        ("1.2tn", 1.2e12),
        ("4m", 4e6),
        ("43.9 billion", 43.9e9),
        ("2 million", 2e6),
        ("one hundred thousand", 100_000),
        ("One hundred thousand", 100_000),
        ("one hundred and fifty", 150),
        ("twenty-five", 25),
        ("ninety nine", 99),
        ("a dozen", 12),
        ("two dozen", 24),
        ("a hundred", 100),
        ("a million", 1e6),
        ("half a million", 5e5),
        ("two and a half", 2.5),
        ("two and a half million", 2.5e6),
        ("five hundred thousand", 500_000),
        ("three million two hundred thousand", 3_200_000),
        ("twenty five hundred", 2500),
        ("zero", 0),
        ("-3.5", -3.5),
        ("\u22120.4", -0.4),
    ],
)
def test_one_expression_reads_as_its_value(expression, value):
    assert parse_number(expression) == pytest.approx(value)


def test_the_same_quantity_in_every_spelling_has_one_value():
    spellings = ["100,000", "100000", "100k", "one hundred thousand", "100 thousand", "a hundred thousand"]
    assert {parse_number(s) for s in spellings} == {100_000.0}


@pytest.mark.parametrize("expression", ["", "soldiers", "two men", "1 2", "thousands", "dozens", "and", "a"])
def test_anything_but_exactly_one_number_parses_to_none(expression):
    assert parse_number(expression) is None


def test_numbers_are_found_in_running_text_with_exact_offsets():
    text = "Well over 100,000 soldiers and $43.9 billion, says one hundred and fifty people."
    found = find_numbers(text)
    assert [(m.text, m.value) for m in found] == [
        ("100,000", 100_000),
        ("43.9 billion", 43.9e9),
        ("one hundred and fifty", 150),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


@pytest.mark.parametrize(
    "text",
    ["COVID-19", "the G20 summit", "the F-35 jet", "the 21st century", "the 1990s", "at 10am", "at 10:30",
     "open 24/7", "version 1.2.3", "thousands of people", "dozens of them", "3,5"],
)
def test_names_times_ordinals_and_vague_amounts_are_not_numbers(text):
    assert find_numbers(text) == []


def test_a_range_written_with_a_hyphen_gives_both_ends():
    assert [m.value for m in find_numbers("20,000-30,000 troops")] == [20_000, 30_000]


def test_a_run_of_number_words_that_spells_two_numbers_gives_two():
    assert [m.text for m in find_numbers("two three")] == ["two", "three"]


def test_digits_before_a_measurement_abbreviation_are_a_number():
    assert [(m.text, m.value) for m in find_numbers("a 100km march")] == [("100", 100)]


def test_a_number_never_runs_across_a_line_break():
    assert [m.text for m in find_numbers("two\nhundred")] == ["two"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_mentions_inside_it(text):
    found = find_numbers(text)
    previous_end = 0
    for mention in found:
        assert previous_end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        previous_end = mention.end


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_any_integer_with_thousands_separators_reads_back(n):
    assert parse_number(f"{n:,}") == n
