"""Finding your way at 80×24, as a newcomer does (issue 11): Esc goes back one
level and the footer says where to; the label keys show first; the status line
and the library's columns fit without cutting words; the command palette
offers claimdesk's own actions; span edges say where they moved."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette

from store import Store
from tui.screens.annotate import AnnotateScreen
from tui.screens.library import LibraryScreen
from tui.widgets.document_view import DocumentView
from tui.widgets.search_bar import SearchBar
from tui_support import ARTICLES, FIRST, add_nested_spans, make_app, make_db, press, screen_rows, settle

SMALL = (80, 24)


@pytest.fixture
def db(tmp_path):
    path = make_db(tmp_path / "t.db")
    add_nested_spans(path, "ann")
    return path


async def open_first(app, pilot) -> AnnotateScreen:
    await settle(app, pilot)
    assert isinstance(app.screen, LibraryScreen)
    await press(app, pilot, "enter")
    assert isinstance(app.screen, AnnotateScreen)
    return app.screen


def footer(app) -> str:
    return screen_rows(app)[-1].strip()


def status(app) -> str:
    return screen_rows(app)[0].strip()


# 1. The way back -------------------------------------------------------------------------


async def test_esc_clears_the_selection_then_goes_back_to_the_library_and_never_quits(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_first(app, pilot)
        assert footer(app).endswith("esc library  ? more")
        await press(app, pilot, "v", "w")
        assert screen.view.selection is not None
        assert footer(app).endswith("esc clear  ? more")
        await press(app, pilot, "escape")
        assert app.screen is screen and screen.view.selection is None
        assert footer(app).endswith("esc library  ? more")
        await press(app, pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)
        await press(app, pilot, "escape", "escape")
        assert isinstance(app.screen, LibraryScreen) and app.is_running


async def test_esc_closes_the_search_into_the_article_then_goes_back(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_first(app, pilot)
        await press(app, pilot, "slash", *"audit")
        bar = screen.query_one(SearchBar)
        assert bar.has_focus
        assert footer(app) == "enter next  esc close  f1 more"  # typed keys go to the search, not to tags
        await press(app, pilot, "escape")
        assert not bar.has_class("-open") and isinstance(app.focused, DocumentView)
        assert screen.view.cursor == FIRST.index("audit")  # the search left the cursor there
        await press(app, pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_stats_and_review_queue_from_the_library_close_on_esc(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        assert footer(app) == "enter open  / search  o s filter  ctrl+r ctrl+t team  ? more  ctrl+q quit"
        for key in ("ctrl+t", "ctrl+r"):
            await press(app, pilot, key)
            assert not isinstance(app.screen, LibraryScreen)
            await press(app, pilot, "escape")
            assert isinstance(app.screen, LibraryScreen)


# 8. Panels close on Esc --------------------------------------------------------------------


async def test_esc_closes_the_matches_panel_even_after_the_command_palette(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_first(app, pilot)
        screen.view.move_to(FIRST.index("Reidel said"))  # on the claim
        await press(app, pilot, "m")
        panel = screen.matches_panel
        assert panel.display and panel.has_focus
        await press(app, pilot, "escape")
        assert not panel.display and isinstance(app.focused, DocumentView)
        await press(app, pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await press(app, pilot, "escape")
        assert app.screen is screen and not panel.display and isinstance(app.focused, DocumentView)
        # Open again, then Esc from the text: the panel goes first, the article after.
        await press(app, pilot, "m", "ctrl+p", "escape")
        assert panel.display
        screen.view.focus()  # (a click) in the text, the panel still open
        await settle(app, pilot)
        assert footer(app).endswith("esc close panel  ? more")
        await press(app, pilot, "escape")
        assert app.screen is screen and not panel.display and isinstance(app.focused, DocumentView)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)


# 2. Footer and status line at 80 columns -----------------------------------------------------


async def test_the_footer_at_80_columns_shows_the_label_keys_first_each_in_its_label_style(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_first(app, pilot)
        assert footer(app) == "c claim  q quote  f figure  a x suggestion  t m C panels  esc library  ? more"
        from tui.widgets.key_footer import KeyFooter

        line = screen.query_one(KeyFooter).line(78)
        styles = {line.plain[span.start:span.end]: span.style for span in line.spans}
        # The attributes that tell the labels apart in the text, without colour too.
        assert styles["c"].underline and styles["q"].bold and styles["f"].italic
        assert styles["claim"].underline and styles["figure"].italic
        await press(app, pilot, "question_mark")  # ? shows the rest
        assert "Span end a word right" in "\n".join(screen_rows(app)) or app.screen is not screen


async def test_the_footer_follows_the_keymap(tmp_path, db):
    app = make_app(db, keymap="numeric")
    async with app.run_test(size=SMALL) as pilot:
        await open_first(app, pilot)
        assert footer(app).startswith("1 claim  2 quote  3 figure  ")


async def test_a_wide_footer_spells_the_groups_out(db):
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(app, pilot)
        assert footer(app).startswith("c claim  q quote  f figure  a accept  x reject  t spans  m matches  C claims")
        assert footer(app).endswith("esc library  ? more")


async def test_the_status_line_at_80_columns_keeps_what_matters_and_cuts_no_word(tmp_path):
    outlet = "The Northgate Evening Times and Weekly Courier of Record"
    path = make_db(tmp_path / "t.db", [{**ARTICLES[0], "outlet": outlet}])
    add_nested_spans(path, "annotator-with-a-long-name")
    app = make_app(path, annotator="annotator-with-a-long-name")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_first(app, pilot)
        screen.view.move_to(FIRST.index("100,000"))
        await press(app, pilot, "v", "w")
        line = status(app)
        selected = screen.view.selection[1] - screen.view.selection[0]
        assert line.startswith("article 1 of 1") and line.endswith(f"claim › quote › figure · sel {selected} · saved")
        full = f"article 1 of 1 · {outlet} · annotator-with-a-long-name · claim › quote › figure · sel {selected} · saved"
        for word in line.split():
            assert word.rstrip("…") in full.split(), f"{word!r} is cut mid-word in {line!r}"


# 6. Library columns ---------------------------------------------------------------------------


async def test_the_library_at_80_columns_gives_the_title_the_room_empty_columns_leave(tmp_path):
    long_title = "Minister defends armour deal after the audit finds faults"
    path = make_db(tmp_path / "t.db", [{**ARTICLES[0], "title": long_title}, *ARTICLES[1:]])
    app = make_app(path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        rows = screen_rows(app)
        header = next(row for row in rows if "Title" in row)
        # Nobody has spans or the article open: the Mine and Open by columns give their room away.
        assert "Mine" not in header and "Open by" not in header
        first = next(row for row in rows if "Northgate Times" in row)
        assert "Minister defends armour deal after the audit" in first  # 17 characters before
        assert first.rstrip().endswith("new")
        await press(app, pilot, "enter")
        await press(app, pilot, "c", "escape")  # a span of mine: the Mine column comes back
        header = next(row for row in screen_rows(app) if "Title" in row)
        assert "Mine" in header


# 7. The command palette ------------------------------------------------------------------------


async def palette_prompts(app, pilot) -> list[str]:
    await pilot.app.workers.wait_for_complete()
    await settle(app, pilot)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_command_palette_lists_claimdesks_actions_with_readable_keys(db):
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(app, pilot)
        await press(app, pilot, "ctrl+p")
        prompts = await palette_prompts(app, pilot)
        assert prompts, "the palette lists something before anything is typed"
        assert not any(name in prompt for prompt in prompts for name in ("Screenshot", "Maximize", "Theme"))
        assert any(prompt.startswith("Claim (c)") for prompt in prompts[:25])
        assert any(prompt.startswith("Open: Minister defends armour deal") for prompt in prompts)
        await pilot.press(*"span start")
        prompts = await palette_prompts(app, pilot)
        text = "\n".join(prompts)
        assert "Span start a word right (alt+> .)" in text
        assert "greater_than_sign" not in text and "full_stop" not in text


# 9. Span edges ---------------------------------------------------------------------------------


async def test_moving_a_span_edge_says_where_it_now_ends_and_marks_the_span(db):
    app = make_app(db)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_first(app, pilot)
        view = screen.view
        view.move_to(FIRST.index("100,000") + 2)  # the figure "100,000 vests", inside the quote
        await settle(app, pilot)
        await press(app, pilot, "greater_than_sign")
        figure = next(s for s in screen.spans if s.label == "figure")
        assert FIRST[figure.start:figure.end] == "100,000 vests and"
        assert "figure now ends “100,000 vests and”" in status(app)
        assert FIRST[slice(*view.match)] == "and"  # the word at the moved edge is marked
        await press(app, pilot, "comma")  # the start a word left
        figure = next(s for s in screen.spans if s.label == "figure")
        assert FIRST[figure.start:figure.end] == "bought 100,000 vests and"
        assert "figure now starts “bought 100,000 vests…”" in status(app)
        assert FIRST[slice(*view.match)] == "bought"
        await press(app, pilot, "l")  # moving on drops the mark and the note
        assert view.match is None and "now starts" not in status(app)
        with Store(db) as store:
            [saved] = [s for s in store.spans.for_article("a1", annotator="ann") if s.label == "figure"]
        assert (saved.start, saved.end) == (figure.start, figure.end)
