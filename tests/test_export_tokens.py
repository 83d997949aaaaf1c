"""The export tokenizer without spaCy: the token boundaries spaCy's blank
English pipeline gives (checked against spaCy itself in
test_export_spacy_tokens), and the fast token lookup agreeing with the full
tokenization."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.export.tokens import Tokenizer, _OTHER_SPACE

TOKENIZER = Tokenizer()

# Token texts spacy.blank("en") 3.8 gives for these strings.
EXPECTED = {
    "Brevonia's army didn't pay $43.9 billion.": ["Brevonia", "'s", "army", "did", "n't", "pay", "$", "43.9",
                                                  "billion", "."],
    "Mr. Reidel-Kova said: “It's over.”": ["Mr.", "Reidel", "-", "Kova", "said", ":", "“", "It", "'s", "over", ".", "”"],
    "12% of 8,000 vests, the U.S. said": ["12", "%", "of", "8,000", "vests", ",", "the", "U.S.", "said"],
    "One.\n\nTwo  three": ["One", ".", "\n\n", "Two", " ", "three"],
    "🙂 Officials said": ["🙂", "Officials", "said"],
}


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in TOKENIZER.bounds(text)]


@pytest.mark.parametrize("text", EXPECTED)
def test_tokens_are_spacy_blank_english_tokens(text):
    assert _texts(text) == EXPECTED[text]


def test_located_token_is_the_one_holding_the_character():
    text = "🙂 Officials said 12% of the vests failed.\n\nThe minister's reply"
    offsets = [i for i, char in enumerate(text) if not char.isspace()]
    every = TOKENIZER.bounds(text)
    for offset, (index, start, end) in zip(offsets, TOKENIZER.locate(text, offsets)):
        assert every[index] == (start, end) and start <= offset < end


def test_span_tokens_report_alignment():
    text = "Brevonia's army paid $43.9 billion."
    found = TOKENIZER.span_tokens(text, [(0, 8), (0, 10), (1, 8), (21, 34), (0, 11), (15, 16)])
    assert found == [(0, 0, True), (0, 1, True), (0, 0, False), (4, 6, True), (0, 1, False), None]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1.,'’-$% \n\t🙂\u00a0(")), max_size=40))
def test_fast_lookup_agrees_with_full_tokenization(text):
    every = TOKENIZER.bounds(text)
    offsets = [i for i, char in enumerate(text) if not char.isspace()]
    for offset, (index, start, end) in zip(offsets, TOKENIZER.locate(text, offsets)):
        assert every[index] == (start, end) and start <= offset < end


def test_other_space_lists_every_white_space_but_space_and_line_break():
    every = {chr(c) for c in range(0x110000) if chr(c).isspace()} - {" ", "\n"}
    assert {chr(c) for c in range(0x110000) if _OTHER_SPACE.fullmatch(chr(c))} == every


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1.,'’-$% \n\t🙂\u00a0(")), max_size=40), st.randoms())
def test_offsets_in_any_order_and_repeated_are_located_each_in_its_place(text, rng):
    every = TOKENIZER.bounds(text)
    offsets = [i for i, char in enumerate(text) if not char.isspace()] * 2
    rng.shuffle(offsets)
    for offset, (index, start, end) in zip(offsets, TOKENIZER.locate(text, offsets), strict=True):
        assert every[index] == (start, end) and start <= offset < end
