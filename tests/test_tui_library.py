"""The library screen: paging, filters, title search, and the empty database."""

from __future__ import annotations

import pytest

from store import Store
from store.progress import ProgressStore
from tui_support import make_app, make_db, press, screen_lines, settle
from tui.screens.annotate import AnnotateScreen
from tui.screens.library import PAGE_SIZE, LibraryScreen


@pytest.fixture
def big_db(tmp_path):
    articles = [
        {"id": f"n{i:04d}", "outlet": "Wire" if i % 2 else "Courier", "title": f"Story number {i}",
         "text": f"Body of story {i}. It has two sentences."}
        for i in range(PAGE_SIZE + 50)
    ]
    return make_db(tmp_path / "big.db", articles)


async def test_pages_past_the_end_and_back(big_db):
    app = make_app(big_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.table
        assert len(table.rows_shown) == PAGE_SIZE
        await press(app, pilot, "G")  # the last page
        assert table.current.id == f"n{PAGE_SIZE + 49:04d}"
        await press(app, pilot, "g")
        assert table.current.id == "n0000"
        table.move_cursor(row=PAGE_SIZE - 1)
        await press(app, pilot, "j")  # past the last row held: the next page
        assert table.current.id == f"n{PAGE_SIZE:04d}"
        await press(app, pilot, "k")  # and back
        assert table.current.id == f"n{PAGE_SIZE - 1:04d}"


async def test_filters_by_outlet_and_status(big_db):
    with Store(big_db) as store:
        ProgressStore(store.db).mark_done("n0003", "ann")
    app = make_app(big_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await press(app, pilot, "o")
        assert screen.outlet == "Courier"
        assert {row.outlet for row in screen.table.rows_shown} == {"Courier"}
        await press(app, pilot, "escape", "s", "s", "s")
        assert screen.status == "done by me"
        assert [row.id for row in screen.table.rows_shown] == ["n0003"]
        assert "status: done by me" in screen_lines(app)[0]


async def test_typing_searches_titles_and_enter_opens(big_db):
    app = make_app(big_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"number 17")
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert [row.title for row in app.screen.table.rows_shown][:2] == ["Story number 17", "Story number 170"]
        await press(app, pilot, "enter", "enter")  # leave the search field, open the article
        assert isinstance(app.screen, AnnotateScreen)
        assert app.screen.article.title == "Story number 17"


async def test_n_opens_the_next_unfinished_article(big_db):
    with Store(big_db) as store:
        ProgressStore(store.db).mark_done("n0000", "ann")
    app = make_app(big_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "N")
        assert app.screen.article.id == "n0001"


@pytest.mark.parametrize("create", [False, True])
async def test_missing_or_empty_database_says_how_to_fill_it(tmp_path, create):
    path = tmp_path / "none.db"
    if create:
        Store(path).close()
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen)
        shown = "".join(line.strip() for line in screen_lines(app))  # long paths wrap
        assert f"claimdesk ingest PATH... --db{path}" in shown
        assert "claimdesk demo" in shown
        assert "no such database" not in shown
    assert path.exists() == create  # the app never creates a database by itself


async def test_command_palette_lists_articles_and_actions(tmp_path):
    db = make_db(tmp_path / "t.db")
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"Audit finds")
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert any("Open: Audit finds vests failed (Ostel Courier)" in line for line in screen_lines(app))
        await press(app, pilot, "enter")
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert isinstance(app.screen, AnnotateScreen)
        assert app.screen.article.id == "a2"
        await pilot.press("ctrl+p", *"next article")
        await pilot.pause(0.5)
        await press(app, pilot, "enter")
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert app.screen.article.id == "a3"


async def test_typing_in_the_table_starts_a_title_search(big_db):
    app = make_app(big_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"Story number 42")
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert app.screen.title_query == "Story number 42"
        assert app.screen.table.rows_shown[0].title == "Story number 42"


async def test_a_database_ingested_while_the_app_is_open_shows_up(tmp_path):
    path = tmp_path / "later.db"
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.total == 0
        make_db(path)
        await press(app, pilot, "escape")  # clear filters: the page is read again
        assert app.screen.total == 3


async def test_an_empty_postgresql_database_gets_the_how_to_page_without_its_password(pg_server, tmp_path):
    url = pg_server.new_database().replace("postgres@", "postgres:s3cret@")  # the test server trusts anyone
    app = make_app(url, tmp=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        text = "\n".join(screen_lines(app))
        assert "There are no articles yet in" in text and "postgres:***@" in text
        assert "s3cret" not in text
