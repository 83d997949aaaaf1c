"""Fixing an article's title and outlet from the library (issue 11 item 5), as a person would."""

from __future__ import annotations

from store import Store
from store.replay import replay_differences
from tui_support import make_app, make_db, press, screen_lines, settle
from tui.screens.article_details import ArticleDetailsScreen


async def test_ctrl_e_edits_title_and_outlet_and_saves_them_as_an_event(tmp_path):
    db = make_db(tmp_path / "t.db")
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.table.current.id == "a1"
        await press(app, pilot, "ctrl+e")
        assert isinstance(app.screen, ArticleDetailsScreen)
        assert any("Minister defends armour deal" in line for line in screen_lines(app))
        title = app.screen.query_one("#details-title")
        title.value = ""
        await press(app, pilot, *"Minister keeps the vests deal", "tab")
        outlet = app.screen.query_one("#details-outlet")
        outlet.value = ""
        await press(app, pilot, *"Harbour Times", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ArticleDetailsScreen)
        row = app.screen.table.current
        assert (row.id, row.title, row.outlet) == ("a1", "Minister keeps the vests deal", "Harbour Times")
        assert any("Minister keeps the vests deal" in line and "Harbour Times" in line for line in screen_lines(app))
    with Store(db) as store:
        article = store.articles.get("a1")
        assert (article.title, article.outlet) == ("Minister keeps the vests deal", "Harbour Times")
        annotator, action = store.db.execute(
            "SELECT annotator, action FROM events WHERE article_id = 'a1' AND span_id IS NULL").fetchone()
        assert (annotator, action) == ("ann", "set-article")
        assert replay_differences(store.db) == []


async def test_escape_leaves_the_form_and_changes_nothing(tmp_path):
    db = make_db(tmp_path / "t.db")
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+e")
        app.screen.query_one("#details-title").value = "Something else"
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, ArticleDetailsScreen)
    with Store(db) as store:
        assert store.articles.get("a1").title == "Minister defends armour deal"
        assert store.db.execute("SELECT count(*) FROM events WHERE span_id IS NULL").fetchone()[0] == 0
