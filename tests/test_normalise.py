"""Normalisation of untrusted text: what is stored, and how imported offsets move."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from corpus.normalise import map_span, normalise_text


def test_line_ends_become_lf():
    assert normalise_text("a\r\nb\rc\u2028d\u2029e\x85f") == "a\nb\nc\nd\ne\nf"


def test_escape_sequences_are_removed_whole():
    raw = "red \x1b[31mALERT\x1b[0m, \x1b]8;;http://evil.test\x07link\x1b]8;;\x07, title \x1b]0;owned\x1b\\ end"
    assert normalise_text(raw) == "red ALERT, link, title  end"


def test_control_and_bidi_characters_are_removed():
    assert normalise_text("a\x00b\x07c\x7fd\x80e\u202efg\u2066h\tk\n") == "abcdefgh\tk\n"


def test_nfd_becomes_nfc():
    assert normalise_text("Cafe\u0301") == "Caf\u00e9"


@given(st.text())
def test_stored_text_is_always_safe(raw):
    text = normalise_text(raw)
    assert unicodedata.is_normalized("NFC", text)
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)
    assert not any(0x7F <= ord(ch) <= 0x9F or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in text)
    assert normalise_text(text) == text


def test_span_moves_across_removed_characters():
    raw = "A\r\n\x1b[1mbold\x1b[0m claim here"
    text = normalise_text(raw)
    start = raw.index("claim")
    assert map_span(raw, text, start, start + 5) == (text.index("claim"), text.index("claim") + 5)


def test_span_cut_through_a_composed_character_cannot_move():
    raw = "cafe\u0301 noir"
    assert map_span(raw, normalise_text(raw), 0, 4) is None  # would split é


@given(st.text(min_size=1), st.data())
def test_mapped_spans_cover_the_same_characters(raw, data):
    text = normalise_text(raw)
    start = data.draw(st.integers(0, len(raw) - 1))
    end = data.draw(st.integers(start + 1, len(raw)))
    mapped = map_span(raw, text, start, end)
    if mapped is not None:
        assert text[mapped[0] : mapped[1]] == normalise_text(raw[start:end])
