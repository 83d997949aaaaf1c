"""The document view's geometry and span drawing, without a screen."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.color import Color

from store.models import Label
from tui.widgets.document_layout import DocumentLayout
from tui.widgets.span_paint import ATTRIBUTES, PaintedSpan, SpanIndex, SpanPainter

TEXT = "Title here\n\nThe minister said so. \"We bought 100,000 vests,\" he said.\nLast line."

texts = st.text(alphabet=st.sampled_from(list("ab cd  ef\n.,“”—") + ["漢", "字", "é", "\u0301", "\x1b", "\t"]),
                max_size=300)


@settings(max_examples=150, deadline=None)
@given(text=texts, width=st.integers(8, 50))
def test_rows_fit_the_width_and_cover_every_line(text, width):
    layout = DocumentLayout(text)
    layout.wrap(width)
    covered = []
    for row in range(layout.row_count):
        start, end = layout.row_span(row)
        assert cell_len(layout.display[start:end]) <= width
        covered.append((start, end))
    for line in range(layout.line_count):
        start, end = layout.line_span(line)
        pieces = [(a, b) for a, b in covered if start <= a <= end and (a < end or a == start)]
        assert pieces[0][0] == start and pieces[-1][1] == end
        assert all(b == c for (_, b), (c, _) in zip(pieces, pieces[1:]))


@settings(max_examples=100, deadline=None)
@given(text=texts.filter(bool), width=st.integers(8, 40), data=st.data())
def test_offset_column_and_row_agree(text, width, data):
    layout = DocumentLayout(text)
    layout.wrap(width)
    offset = data.draw(st.integers(0, len(text) - 1))
    row = layout.row_of(offset)
    start, end = layout.row_span(row)
    assert start <= offset <= end
    if offset < end and cell_len(layout.display[offset]) > 0:
        assert layout.offset_at(row, layout.column_of(offset)) == offset


def test_control_characters_are_replaced_one_for_one():
    layout = DocumentLayout("a\x1b[31mb\tc\u202ed")
    assert layout.display == "a\ufffd[31mb c\ufffdd"
    assert len(layout.display) == len(layout.text)


def test_units_words_sentences_paragraphs():
    layout = DocumentLayout(TEXT)
    layout.wrap(80)
    assert layout.next_word(0) == TEXT.index("here")
    assert layout.next_paragraph(0) == TEXT.index("The minister")
    second = TEXT.index('"We bought')
    assert layout.next_sentence(TEXT.index("The minister")) == second
    assert layout.previous_sentence(second + 5) == second
    assert layout.sentence_at(second + 5) == (second, TEXT.index("he said.") + len("he said."))
    assert layout.snap(TEXT.index("inister"), TEXT.index("said") + 2) == (TEXT.index("minister"), TEXT.index("said") + 4)
    assert layout.word_edge(TEXT.index("minister") + len("minister"), 1, "end") == TEXT.index("said") + 4


def test_span_index_finds_nested_spans_outermost_first():
    spans = [PaintedSpan("c", 10, 60, "claim"), PaintedSpan("q", 20, 40, "quote"), PaintedSpan("f", 25, 30, "figure")]
    index = SpanIndex(spans * 1)
    assert [s.id for s in index.at(27)] == ["c", "q", "f"]
    assert [s.id for s in index.overlapping(0, 15)] == ["c"]
    assert index.after(10).id == "q" and index.before(25).id == "q"
    far = SpanIndex([PaintedSpan(str(i), i * 1000, i * 1000 + 5, "claim") for i in range(2000)])
    assert [s.id for s in far.overlapping(1_500_000, 1_500_003)] == ["1500"]


def test_without_colour_every_combination_of_labels_looks_different():
    labels = [Label(name=n, key=k, colour=c, position=i)
              for i, (n, k, c) in enumerate([("claim", "c", "#4f8fd8"), ("quote", "q", "#c678dd"),
                                             ("figure", "f", "#d19a66"), ("source", "s", "#56b6c2")])]
    painter = SpanPainter(labels, Color.parse("#1e1e1e"))
    seen = {}
    names = [label.name for label in labels]
    for mask in range(1, 2 ** len(names)):
        covering = tuple(PaintedSpan(n, 0, 1, n) for i, n in enumerate(names) if mask & (1 << i))
        style = painter.style(covering)
        attributes = tuple(bool(getattr(style, attribute)) for attribute in ATTRIBUTES)
        assert attributes not in seen, f"{covering} looks like {seen.get(attributes)}"
        seen[attributes] = covering
    pending = painter.style((PaintedSpan("p", 0, 1, "claim", pending=True),))
    assert pending.dim and pending.bgcolor is None


def test_the_cursor_steps_over_zero_width_characters():
    text = "cafe\u0301 zero\u200bwidth"
    layout = DocumentLayout(text)
    layout.wrap(40)
    accent, space = text.index("\u0301"), text.index("\u200b")
    assert layout.cell_start(accent) == accent - 1  # on the e the accent sits on
    assert layout.cell_end(accent - 1) == accent + 1
    assert layout.cell_start(space) == space - 1
    assert "\u200b".translate(layout.unsent) == "" and "\u0301".translate(layout.unsent) == "\u0301"
