"""Sentence, paragraph and word boundaries."""

from hypothesis import given
from hypothesis import strategies as st

from corpus.sentences import paragraph_bounds, sentence_bounds, token_bounds, word_bounds


def sentences(text):
    return [text[s:e] for s, e in sentence_bounds(text)]


def test_abbreviations_decimals_and_quotes():
    text = 'Mr. Reidel-Kova said: "It is 3.5 times worse." The U.S. navy sent approx. 40 ships. J. Doe agreed!'
    assert sentences(text) == [
        'Mr. Reidel-Kova said: "It is 3.5 times worse."',
        "The U.S. navy sent approx. 40 ships.",
        "J. Doe agreed!",
    ]


def test_a_line_break_ends_sentence_and_paragraph():
    text = "Share this article\nThe audit found failures.\n\nSecond paragraph"
    assert sentences(text) == ["Share this article", "The audit found failures.", "Second paragraph"]
    assert [text[s:e] for s, e in paragraph_bounds(text)] == sentences(text)


def test_words_keep_inner_punctuation():
    text = "Don't sell 3.5% of U.S. well-known firms"
    assert [text[s:e] for s, e in word_bounds(text)] == ["Don't", "sell", "3.5", "of", "U.S", "well-known", "firms"]
    tokens = "Hi, you."
    assert [tokens[s:e] for s, e in token_bounds(tokens)] == ["Hi", ",", "you", "."]


@given(st.text())
def test_bounds_are_ordered_trimmed_and_inside(text):
    for finder in (sentence_bounds, paragraph_bounds, word_bounds):
        bounds = finder(text)
        assert bounds == sorted(bounds)
        for start, end in bounds:
            assert 0 <= start < end <= len(text)
            assert not text[start].isspace() and not text[end - 1].isspace()
        for (_, end), (start, _) in zip(bounds, bounds[1:]):
            assert end <= start
