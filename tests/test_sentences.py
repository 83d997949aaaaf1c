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


# Issue 11 item 4: where a sentence of plain text ends.
BULLETS = (
    "Key points\n"
    '- Following the nudge from Washington, Marren said it was open to "genuine peace talks"\n'
    "- Ostland rejects any freeze of the front line\n"
    "Amid reports of new shelling, envoys met for six hours.\n"
)


def test_a_line_ending_without_closing_punctuation_ends_its_sentence():
    assert sentences(BULLETS) == [
        "Key points",
        '- Following the nudge from Washington, Marren said it was open to "genuine peace talks"',
        "- Ostland rejects any freeze of the front line",
        "Amid reports of new shelling, envoys met for six hours.",
    ]


def test_a_line_wrapped_inside_a_sentence_goes_on_in_lower_case():
    text = "The envoys met for six hours and agreed\nto meet again in March. Nobody else\nspoke.\nThen they left"
    assert sentences(text) == [
        "The envoys met for six hours and agreed\nto meet again in March.",
        "Nobody else\nspoke.",
        "Then they left",
    ]


def test_every_blank_line_ends_a_sentence():
    text = "The envoys met for six hours and agreed\n\nto meet again in March\n \nlater"
    assert sentences(text) == ["The envoys met for six hours and agreed", "to meet again in March", "later"]


def test_a_line_ending_in_a_full_stop_ends_its_sentence_even_before_lower_case():
    assert sentences("It ended.\nthen more") == ["It ended.", "then more"]


@given(st.lists(st.sampled_from(["Alpha beta", "gamma delta.", "- Bullet", "", "  ", "lower case", "Upper"]), max_size=8))
def test_no_sentence_crosses_a_blank_line_or_a_line_that_starts_upper_case(lines):
    text = "\n".join(lines)
    for start, end in sentence_bounds(text):
        inside = text[start:end]
        assert "\n\n" not in inside.replace(" ", "")
        for following in inside.split("\n")[1:]:
            assert following.lstrip()[:1].islower()
