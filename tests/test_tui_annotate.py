"""Every key path of the annotate screen, driven through Textual's Pilot."""

from __future__ import annotations

import pytest

from store import Store
from store.progress import ProgressStore
from tui_support import FIRST, SECOND, add_nested_spans, make_app, make_db, press, settle
from tui.screens.annotate import AnnotateScreen
from tui.screens.library import LibraryScreen

SIZE = (100, 30)


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "t.db")


def spans_of(db, article="a1", annotator="ann"):
    with Store(db) as store:
        return store.spans.for_article(article, annotator=annotator)


async def open_first(app, pilot):
    await settle(app, pilot)
    assert isinstance(app.screen, LibraryScreen)
    await press(app, pilot, "enter")
    assert isinstance(app.screen, AnnotateScreen)
    return app.screen


async def test_cursor_moves_by_character_word_sentence_paragraph_and_end(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        view = screen.view
        assert view.cursor == 0
        await press(app, pilot, "l", "right")
        assert view.cursor == 2
        await press(app, pilot, "h")
        assert view.cursor == 1
        await press(app, pilot, "w")
        assert view.cursor == FIRST.index("defends")
        await press(app, pilot, "b")
        assert view.cursor == 0
        await press(app, pilot, "ctrl+right")
        assert view.cursor == FIRST.index("defends")
        await press(app, pilot, "right_curly_bracket")
        assert view.cursor == FIRST.index("The defence")
        await press(app, pilot, "right_parenthesis")
        assert view.cursor == FIRST.index('"We bought')
        await press(app, pilot, "left_parenthesis")
        assert view.cursor == FIRST.index("The defence")
        await press(app, pilot, "left_curly_bracket")
        assert view.cursor == 0
        await press(app, pilot, "j")
        assert view.cursor == FIRST.index("\n") + 1  # the blank line under the title
        await press(app, pilot, "k")
        assert view.cursor == 0
        await press(app, pilot, "G")
        assert view.cursor == len(FIRST) - 1
        await press(app, pilot, "g")
        assert view.cursor == 0
        await press(app, pilot, "pagedown")
        assert view.cursor > 0


async def test_v_extends_selection_shift_extends_and_escape_clears(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        view = screen.view
        await press(app, pilot, "v", "w")
        assert view.selection == (0, len("Minister defends"))
        await press(app, pilot, "escape")
        assert view.selection is None
        await press(app, pilot, "g", "shift+right", "shift+right")
        assert view.selection == (0, len("Minister"))  # snapped to the word
        await press(app, pilot, "S")  # snapping off: exactly the three characters
        assert view.selection == (0, 3)
        await press(app, pilot, "right")
        assert view.selection is None


async def test_s_selects_the_sentence_and_c_tags_it_as_a_claim(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        await press(app, pilot, "right_curly_bracket", "s")
        sentence = "The defence minister said on Monday that the armour deal would stand."
        assert screen.view.selection == (FIRST.index(sentence), FIRST.index(sentence) + len(sentence))
        assert screen.status.selection == len(sentence)
        await press(app, pilot, "c")
        assert screen.view.selection is None
        assert screen.status.saved
    [span] = spans_of(db)
    assert (span.label, span.text, span.annotator) == ("claim", sentence, "ann")


async def test_each_label_key_tags_what_is_under_the_cursor(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        view = screen.view
        view.move_to(FIRST.index("Critics"))
        await press(app, pilot, "c")  # no selection: the sentence under the cursor
        view.move_to(FIRST.index("Reidel said"))
        await press(app, pilot, "q")
        view.move_to(FIRST.index("43.9"))
        await press(app, pilot, "f")  # the figure under the cursor, with its value
    spans = {span.label: span for span in spans_of(db)}
    assert spans["claim"].text == "Critics disagree."
    assert spans["quote"].text.startswith('"We bought 100,000 vests')
    assert spans["figure"].text == "$43.9 billion"
    assert spans["figure"].attrs["value"] == pytest.approx(43.9e9)
    assert spans["figure"].attrs["unit"] == "USD"


async def test_another_label_key_relabels_and_d_deletes(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        screen.view.move_to(FIRST.index("Critics"))
        await press(app, pilot, "c")
        [claim] = spans_of(db)
        await press(app, pilot, "q")
        [relabelled] = spans_of(db)
        assert (relabelled.id, relabelled.label) == (claim.id, "quote")
        await press(app, pilot, "d")
        assert spans_of(db) == []
        await press(app, pilot, "c", "delete")
        assert spans_of(db) == []


async def test_nested_figure_inside_a_claim_is_added_not_relabelled(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        screen.view.move_to(FIRST.index("12%"))
        await press(app, pilot, "c", "f")
    labels = sorted((s.label, s.text) for s in spans_of(db))
    assert labels == [("claim", "An audit found that 12% of the vests failed."), ("figure", "12%")]


async def test_span_edges_move_by_words(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        start = FIRST.index("defence minister")
        screen.view.select_range(start, start + len("defence"))
        await press(app, pilot, "c")
        await press(app, pilot, "greater_than_sign")
        assert spans_of(db)[0].text == "defence minister"
        await press(app, pilot, "less_than_sign")
        assert spans_of(db)[0].text == "defence"
        await press(app, pilot, "alt+less_than_sign")
        assert spans_of(db)[0].text == "The defence"
        await press(app, pilot, "alt+greater_than_sign")
        assert spans_of(db)[0].text == "defence"


async def test_undo_and_redo_also_after_reopening_the_app(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        await press(app, pilot, "s", "c")
        assert len(spans_of(db)) == 1
        await press(app, pilot, "u")
        assert spans_of(db) == []
        assert screen.spans == []
        await press(app, pilot, "ctrl+r")
        assert len(spans_of(db)) == 1
    reopened = make_app(db)
    async with reopened.run_test(size=SIZE) as pilot:
        await settle(reopened, pilot)
        assert isinstance(reopened.screen, AnnotateScreen)  # resumed on a1
        await press(reopened, pilot, "u")
        assert spans_of(db) == []
        await press(reopened, pilot, "ctrl+r")
        assert len(spans_of(db)) == 1


async def test_n_and_p_open_the_next_and_previous_article(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        await press(app, pilot, "n")
        assert screen.article.id == "a2"
        assert screen.view.text == SECOND
        assert screen.status.position == "article 2 of 3"
        await press(app, pilot, "p")
        assert screen.article.id == "a1"


async def test_enter_marks_done_and_opens_the_next_unfinished(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        await press(app, pilot, "enter")
        assert screen.article.id == "a2"
        await press(app, pilot, "p", "N")  # a1 is done: N skips it
        assert screen.article.id == "a2"
    with Store(db) as store:
        assert ProgressStore(store.db).get("a1", "ann").status == "done"


async def test_search_jumps_as_you_type_enter_goes_on_escape_stays(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        await press(app, pilot, "slash")
        await pilot.press(*"vest")
        await settle(app, pilot)
        first = FIRST.lower().index("vest")
        assert screen.view.cursor == first
        await press(app, pilot, "enter")
        second = FIRST.lower().index("vest", first + 1)
        assert screen.view.cursor == second
        await press(app, pilot, "escape")
        assert screen.view.cursor == second
        assert screen.view.has_focus
        await press(app, pilot, "s")  # keys act on the document again
        assert screen.view.selection is not None


async def test_resume_returns_to_article_and_cursor(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        await press(app, pilot, "n", "w", "w", "w")
        cursor = screen.view.cursor
    again = make_app(db)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        screen = again.screen
        assert isinstance(screen, AnnotateScreen)
        assert (screen.article.id, screen.view.cursor) == ("a2", cursor)


async def test_brackets_jump_between_spans_and_e_edits_attributes(db):
    add_nested_spans(db, "ann")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        await press(app, pilot, "right_square_bracket")
        assert screen.view.cursor == FIRST.index('"We bought')
        await press(app, pilot, "right_square_bracket")
        assert screen.view.cursor == FIRST.index("100,000")
        await press(app, pilot, "left_square_bracket")
        assert screen.view.cursor == FIRST.index('"We bought')
        screen.view.move_to(FIRST.index("We bought") + 3)  # inside the quote, outside the figure
        await press(app, pilot, "e")
        await pilot.press("ctrl+u")
        await pilot.press(*"Reidel-Kova")
        await press(app, pilot, "enter")
    quote = next(s for s in spans_of(db) if s.label == "quote")
    assert quote.attrs["speaker"] == "Reidel-Kova"


async def test_span_list_folds_below_100_columns_and_t_brings_it_back(db):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first(app, pilot)
        assert not screen.span_list.display
        await press(app, pilot, "t")
        assert screen.span_list.display
        await pilot.resize_terminal(120, 30)
        await settle(app, pilot)
        assert screen.span_list.display


async def test_mouse_drag_selects(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(app, pilot)
        await pilot.mouse_down(screen.view, offset=(1, 0))
        await pilot.hover(screen.view, offset=(9, 0))
        await pilot.mouse_up(screen.view, offset=(9, 0))
        await settle(app, pilot)
        assert screen.view.selection == (0, len("Minister"))


async def test_extra_database_label_gets_its_key(db):
    with Store(db) as store:
        store.labels.add("source", "z", "#56b6c2")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first(app, pilot)
        await press(app, pilot, "s", "z")
    assert [s.label for s in spans_of(db)] == ["source"]


async def test_library_key_goes_back_and_shows_my_span_count(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_first(app, pilot)
        await press(app, pilot, "s", "c", "L")
        assert isinstance(app.screen, LibraryScreen)
        row = app.screen.table.rows_shown[0]
        assert (row.my_spans, row.status) == (1, "in progress")


async def test_a_span_changed_in_another_session_is_not_overwritten(db):
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(app, pilot)
        await press(app, pilot, "s", "c")
        [span] = spans_of(db)
        with Store(db) as store:  # the same annotator, in another terminal
            store.spans.update(span.id, span.version, "ann", label="quote")
        await press(app, pilot, "d")
        assert [s.label for s in spans_of(db)] == ["quote"]  # not deleted
        assert [s.label for s in screen.spans] == ["quote"]  # the view reloaded
        assert screen.status.saved


async def test_keys_pressed_before_the_article_arrives_do_nothing_harmful(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "j", "w", "G", "s", "c", "d", "u")  # no settling in between
        await settle(app, pilot)
        assert isinstance(app.screen, AnnotateScreen)
        assert app.is_running
