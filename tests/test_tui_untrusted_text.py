"""Untrusted text shows literally: markup in articles, titles, outlet names
and span text runs nothing, and control characters never reach the terminal."""

from __future__ import annotations

import re

import pytest

from store import Store
from tui_support import make_app, make_db, press, screen_lines, settle
from tui.screens.annotate import AnnotateScreen
from tui.screens.library import LibraryScreen

TRAPS = "[@click=app.quit]quit[/] [/x] [bold]loud"
ARTICLE = f"Trap {TRAPS} here.\n\nSecond paragraph with [link=https://x.test]a link[/link]."
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def db(tmp_path):
    path = make_db(tmp_path / "t.db", [
        {"id": "t1", "outlet": "[@click=app.quit]Outlet[/x]", "title": f"Title {TRAPS}", "text": ARTICLE},
    ])
    with Store(path) as store:
        start = ARTICLE.index("[@click")
        store.spans.add("t1", start, start + len(TRAPS), "quote", "ann", attrs={"speaker": "[@click=app.quit]"})
    return path


async def test_markup_in_titles_outlets_text_and_spans_shows_literally_and_runs_nothing(db):
    app = make_app(db)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        library = "\n".join(screen_lines(app))
        assert " [@click=app.qu" in library  # the outlet column, cut to its width
        assert "Title [@click=app.quit]quit[/] [/x] [bold]loud" in library
        await press(app, pilot, "enter")
        assert isinstance(app.screen, AnnotateScreen)
        shown = "\n".join(screen_lines(app))
        assert f"Trap {TRAPS} here." in shown  # the article
        assert "· [@click=app.quit]Outlet[/x] ·" in shown  # the status line
        assert "[link=https://x.test]a link[/link]" in shown
        assert "— [@click=app.quit]" in shown  # the span list: speaker and span text
        await pilot.press("ctrl+p", *"Title")  # the command palette lists it literally too
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert any(f"Open: Title {TRAPS}" in line for line in screen_lines(app))
        await press(app, pilot, "escape")
        # Clicking where the click markup shows runs no action.
        row = next(i for i, line in enumerate(screen_lines(app)) if line.lstrip().startswith("Trap"))
        await pilot.click(offset=(10, row))
        await settle(app, pilot)
        assert app.is_running
        assert isinstance(app.screen, AnnotateScreen)


async def test_control_characters_from_another_tool_never_reach_the_screen(tmp_path):
    path = make_db(tmp_path / "t.db")
    evil = "Bell\x07 esc\x1b[31mRED\x1b]0;pwned\x07 c1\x9b2J bidi\u202eevil tab\tend"
    with Store(path) as store:  # written behind ingest's back, as another tool might
        store.db.execute("UPDATE articles SET title = ?, text = ? WHERE id = 'a1'", [evil, evil + "\n\nMore."])
    app = make_app(path)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen)
        for line in screen_lines(app):
            assert not CONTROL.search(line)
            assert "\u202e" not in line
        await press(app, pilot, "enter")
        lines = screen_lines(app)
        assert any("esc\ufffd[31mRED\ufffd]0;pwned\ufffd c1\ufffd2J bidi\ufffdevil tab end" in line for line in lines)
        for line in lines:
            assert not CONTROL.search(line)


async def test_error_messages_quoting_untrusted_ids_show_literally(tmp_path):
    app = make_app(make_db(tmp_path / "t.db"))
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.open_article("[@click=app.quit]x[/x]")
        await settle(app, pilot)
        await pilot.pause(0.2)
        assert "[@click=app.quit]x[/x]" in "".join(line.strip() for line in screen_lines(app))
        assert app.is_running
