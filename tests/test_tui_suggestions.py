"""Suggestions on the annotate screen: shown dim, accepted, rejected,
accepted by label, undone, hidden — driven through Textual's Pilot."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.color import Color

from store import Store
from store.models import Label
from store.suggestions import SuggestionStore
from tui.screens.annotate import AnnotateScreen
from tui.widgets.span_paint import PaintedSpan, SpanPainter
from tui_support import FIRST, make_app, make_db, press, screen_lines, settle

SIZE = (120, 30)
FIGURES = ["100,000 vests", "12%", "$43.9 billion"]


@pytest.fixture
def db(tmp_path):
    path = make_db(tmp_path / "t.db")
    with Store(path) as store:
        SuggestionStore(store.db).suggest_article("a1", FIRST)
    return path


def mine(db, *, statuses=("accepted",)):
    with Store(db) as store:
        return store.spans.for_article("a1", annotator="ann", statuses=statuses)


def pending(db):
    with Store(db) as store:
        return SuggestionStore(store.db).pending("a1", "ann")


async def open_first(app, pilot, at: str | None = None) -> AnnotateScreen:
    await settle(app, pilot)
    await press(app, pilot, "enter")
    screen = app.screen
    assert isinstance(screen, AnnotateScreen)
    if at is not None:
        screen.view.move_to(FIRST.index(at) + 1)
        await settle(app, pilot)
    return screen


async def test_suggestions_show_apart_from_annotations_with_their_details(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot, at="100,000")
        assert len(screen.suggestion_ids()) == len(pending(db)) == 8
        assert screen.own_spans() == []
        assert screen.status.under == "claim? › quote? › figure?"
        lines = screen_lines(app)
        assert "figure? · figure = 100,000 vest · by figures@2 (count) ·" in lines[0]
        assert lines[0].endswith("saved")
        assert screen.status.suggestion == "figure = 100,000 vest · by figures@2 (count) · a accept, x reject"
        assert "0 spans · 8 suggested" in "\n".join(lines)
        assert any("figure?" in line and "= 100,000 vest" in line for line in lines)  # the span list


async def test_a_accepts_the_suggestion_under_the_cursor_with_its_attributes(db):
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(app, pilot, at="100,000")
        await press(app, pilot, "a")
        [figure] = mine(db)
        assert (figure.label, figure.text, figure.origin) == ("figure", "100,000 vests", "suggested")
        assert (figure.attrs["value"], figure.attrs["unit"]) == (100000.0, "vest")
        assert [s.id for s in screen.own_spans()] == [figure.id]
        assert screen.status.under == "claim? › quote? › figure"  # mine now, the quote and claim still suggested
        assert screen.status.saved
        await press(app, pilot, "a")  # the innermost suggestion left: the quote, with its speaker
        assert {(s.label, s.attrs.get("speaker")) for s in mine(db)} == {("figure", None), ("quote", "Reidel")}
    assert len(pending(db)) == 6


async def test_x_rejects_and_the_suggestion_is_gone_for_me_only(db):
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(app, pilot, at="12%")
        await press(app, pilot, "x")
        assert mine(db) == []
        assert [s.status for s in mine(db, statuses=("rejected",))] == ["rejected"]
        assert screen.status.under == "claim?"
        assert "12%" not in [s.text for s in pending(db)]
    with Store(db) as store:  # another annotator still has it to decide
        assert "12%" in [s.text for s in SuggestionStore(store.db).pending("a1", "bea")]


async def test_A_accepts_every_suggestion_of_the_label_in_one_undoable_step(db):
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(app, pilot, at="12%")
        await press(app, pilot, "A")
        assert sorted(s.text for s in mine(db)) == sorted(FIGURES)
        assert {s.label for s in pending(db)} == {"claim", "quote"}
        await press(app, pilot, "u")  # one undo takes back all three
        assert mine(db) == []
        assert len(screen.suggestion_ids()) == 8


async def test_undo_and_redo_of_an_accept(db):
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(app, pilot, at="$43.9")
        await press(app, pilot, "a")
        assert [s.text for s in mine(db)] == ["$43.9 billion"]
        await press(app, pilot, "u")
        assert mine(db) == []
        assert screen.status.under == "claim? › figure?"  # the suggestion is back, undecided
        await press(app, pilot, "ctrl+r")
        assert [s.text for s in mine(db)] == ["$43.9 billion"]


async def test_H_hides_and_shows_suggestions_and_hidden_ones_cannot_be_decided(db):
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(app, pilot, at="12%")
        await press(app, pilot, "H")
        assert screen.spans == [] and screen.status.under == ""
        assert "0 spans · suggestions hidden" in "\n".join(screen_lines(app))
        await press(app, pilot, "a", "A", "x")
        assert mine(db, statuses=("accepted", "rejected")) == []
        await press(app, pilot, "H")
        assert len(screen.suggestion_ids()) == 8


async def test_edit_keys_never_change_a_suggestion(db):
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_first(app, pilot, at="12%")
        await press(app, pilot, "d", "greater_than_sign", "q")  # d and > find no span of mine; q tags the sentence
        assert [(s.label, s.text) for s in mine(db)] == [("quote", "An audit found that 12% of the vests failed.")]
    assert len(pending(db)) == 8  # every suggestion as it was, for everyone


def test_without_colour_a_suggestion_inside_an_annotation_looks_different():
    labels = [Label(name="claim", key="c", colour="#4f8fd8", position=0),
              Label(name="figure", key="f", colour="#d19a66", position=2)]
    painter = SpanPainter(labels, Color.parse("#1e1e1e"))
    claim = PaintedSpan("c", 0, 9, "claim")

    def without_colour(style: Style) -> Style:
        return Style(bold=style.bold, dim=style.dim, italic=style.italic, underline=style.underline)

    accepted = painter.style((claim, PaintedSpan("f", 2, 4, "figure")))
    suggested = painter.style((claim, PaintedSpan("f", 2, 4, "figure", pending=True)))
    assert without_colour(accepted) != without_colour(suggested)
    assert suggested.dim and suggested.italic and suggested.underline


def test_the_demo_corpus_comes_with_suggestions(demo_store):
    labels = {row[0] for row in demo_store.db.execute(
        "SELECT DISTINCT label FROM spans WHERE origin = 'suggested' AND status = 'pending'")}
    assert labels == {"claim", "quote", "figure"}
