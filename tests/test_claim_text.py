"""Normalisation of claims for matching: what two reports of one claim must share."""

from hypothesis import given
from hypothesis import strategies as st

from corpus.claim_text import MIN_WORDS, candidate_terms, prepare_claim, split_attribution, unify_marks


def test_curly_and_straight_quotes_and_dashes_give_the_same_matching_text():
    straight = prepare_claim('"The plant will close in 2030 - five years early," the minister said.')
    curly = prepare_claim("\u201cThe plant will close in 2030 \u2014 five years early,\u201d the minister said.")
    assert straight.words == curly.words


@given(st.text())
def test_unify_marks_keeps_every_offset(text):
    assert len(unify_marks(text)) == len(text)


def test_attribution_after_the_claim_is_set_aside():
    for text in (
        "Rail fares will rise by 3.5% in January, the transport department said.",
        "Rail fares will rise by 3.5% in January, according to the transport department.",
        "Rail fares will rise by 3.5% in January, said the transport secretary on Tuesday.",
        '"Rail fares will rise by 3.5% in January," Ines Vogt told reporters.',
    ):
        body, who = split_attribution(unify_marks(text))
        assert body == "Rail fares will rise by 3.5% in January", text
        assert who


def test_attribution_before_the_claim_is_set_aside():
    for text in (
        "According to the union, cabin crew will strike for three days",
        "The union said that cabin crew will strike for three days",
        "Mayor Ines Vogt told reporters cabin crew will strike for three days",
    ):
        assert split_attribution(text)[0] == "cabin crew will strike for three days", text


def test_a_clause_that_is_part_of_the_claim_stays():
    body, who = split_attribution("Some 1,400 people crossed the strait last month, a record for October, the agency said.")
    assert body == "Some 1,400 people crossed the strait last month, a record for October"
    assert who == "the agency said"
    assert split_attribution("Harcourt Bank reported a record profit of $8.2 billion")[1] == ""


def test_numbers_written_differently_give_the_same_words_and_value():
    claims = [
        prepare_claim(text) for text in (
            "Some 100,000 soldiers have been moved to the border.",
            "Some 100000 soldiers have been moved to the border.",
            "Some 100k soldiers have been moved to the border.",
            "Some one hundred thousand soldiers have been moved to the border.",
        )
    ]
    assert len({claim.words for claim in claims}) == 1
    assert {claim.figures[0].value for claim in claims} == {100_000}


def test_currency_figures_written_differently_give_the_same_words():
    texts = ("The dam is $43.9 billion over budget.", "The dam is 43.9 billion dollars over budget.",
             "The dam is $43.9bn over budget.")
    assert len({prepare_claim(text).words for text in texts}) == 1


def test_number_punctuation_survives_into_the_figures():
    # rapidfuzz's default_process would read "3.5%" as "3 5".
    claim = prepare_claim("Rail fares will rise by 3.5% in January.")
    assert [(figure.value, figure.unit) for figure in claim.figures] == [(3.5, "%")]


def test_contractions_and_negation():
    wont = prepare_claim("The government won't raise VAT before the election.")
    will_not = prepare_claim("The government will not raise VAT before the election.")
    will = prepare_claim("The government will raise VAT before the election.")
    assert wont.negated and will_not.negated and not will.negated
    assert wont.words == will_not.words == will.words


def test_quantity_phrases_are_not_denials():
    assert not prepare_claim("Insulin will cost no more than $35 a month.").negated
    assert not prepare_claim("Not only teachers but nurses will strike on Friday.").negated


def test_word_count_counts_the_body_only():
    claim = prepare_claim("Prices rose, the minister said.")
    assert claim.word_count == 2 < MIN_WORDS


def test_candidate_terms_hold_the_figure_value_however_written():
    a = candidate_terms(prepare_claim("The dam is $43.9bn over budget."))
    b = candidate_terms(prepare_claim("The dam is 43.9 billion dollars over budget."))
    assert a == b
    assert any(term.startswith("=") for term in a)


def test_names_are_capitalised_words_inside_the_sentence():
    claim = prepare_claim("Police in Kocher arrested 11 people on Wednesday.")
    assert claim.names == ("kocher", "wednes")
