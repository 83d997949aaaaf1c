"""The app in a team: N follows the assignment (overlap, soft locks), open
articles hold their lock, the library shows who else has what open, and the
review queue and stats screens are reachable — driven through Textual's Pilot."""

from __future__ import annotations

import pytest

from store import Store
from store.assignment import Assigner, set_overlap
from store.progress import ProgressStore
from tui.keymap import KeymapError, load_keymap
from tui.screens import library
from tui.screens.annotate import AnnotateScreen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.review import ReviewQueueScreen
from tui.screens.stats import StatsScreen
from tui_support import make_app, make_db, press, screen_lines, settle

SIZE = (120, 30)


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "t.db")


def open_now(db) -> dict[str, list[str]]:
    with Store(db) as store:
        return Assigner(store.db).open_now()


def lock_seen(db, article: str, annotator: str) -> str:
    with Store(db) as store:
        return store.db.execute("SELECT seen_at FROM article_locks WHERE article_id = ? AND annotator = ?",
                                [article, annotator]).fetchone()[0]


async def test_N_passes_over_an_article_someone_else_has_open(db):
    with Store(db) as store:
        Assigner(store.db).touch("a1", "bea")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "N")
        assert isinstance(app.screen, AnnotateScreen) and app.screen.article_id == "a2"
        assert open_now(db) == {"a1": ["bea"], "a2": ["ann"]}


async def test_N_with_overlap_2_completes_an_article_another_annotator_finished(db):
    with Store(db) as store:
        set_overlap(store.db, 2)
        ProgressStore(store.db).mark_done("a3", "bea")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "N")
        assert app.screen.article_id == "a3"  # it needs a second finisher
        await press(app, pilot, "enter")  # done: a3 has its two, the next is a1
        assert app.screen.article_id == "a1"
        assert "a3" not in open_now(db)


async def test_an_open_article_is_held_while_worked_on_and_let_go_on_leaving(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        now = [1000.0]
        app.article_hold.clock = lambda: now[0]
        await settle(app, pilot)
        await press(app, pilot, "enter")
        assert open_now(db) == {"a1": ["ann"]}
        taken = lock_seen(db, "a1", "ann")
        now[0] += 30
        await press(app, pilot, "l")
        assert lock_seen(db, "a1", "ann") == taken  # refreshed at most once a minute
        now[0] += 31
        await press(app, pilot, "l")
        assert lock_seen(db, "a1", "ann") > taken
        await press(app, pilot, "n")  # another article: the lock moves with the annotator
        assert open_now(db) == {"a2": ["ann"]}
        await press(app, pilot, "L")
        assert isinstance(app.screen, LibraryScreen)
        assert open_now(db) == {}


async def test_the_library_shows_who_else_has_an_article_open(db, monkeypatch):
    monkeypatch.setattr(library, "OPEN_BY_EVERY_S", 0.05)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        with Store(db) as store:
            Assigner(store.db).touch("a2", "bea")
            Assigner(store.db).touch("a2", "cyrus")
            Assigner(store.db).touch("a3", "ann")  # mine (another terminal): not "someone else"
        await pilot.pause(0.2)
        await settle(app, pilot)
        table = app.screen.table
        assert table.open_by == {"a2": ["bea", "cyrus"]}
        row = next(line for line in screen_lines(app) if "Audit finds vests failed" in line)
        assert row.rstrip().endswith("bea +1")
        with Store(db) as store:
            for name in ("bea", "cyrus"):
                Assigner(store.db).release("a2", name)
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert table.open_by == {}
        assert not any("bea" in line for line in screen_lines(app))


async def test_review_queue_and_stats_open_from_the_library_and_the_palette(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "ctrl+r")
        assert isinstance(app.screen, ReviewQueueScreen)
        await press(app, pilot, "escape", "ctrl+t")
        assert isinstance(app.screen, StatsScreen)
        await press(app, pilot, "q")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("ctrl+p", *"team statistics")
        await pilot.pause(0.5)
        await press(app, pilot, "enter")
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert isinstance(app.screen, StatsScreen)


async def test_help_lists_the_review_and_stats_keys_as_remapped(db, tmp_path):
    (tmp_path / "no-user-keymap.toml").write_text('[stats]\nclose = "z"\n')  # make_app's user file
    app = make_app(db, tmp=tmp_path)
    async with app.run_test(size=(100, 200)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_lines(app)
        for section in ("Review (the annotate keys, and these)", "Review queue", "Team stats"):
            assert section in [line.strip() for line in shown]
        assert any(line.split() == ["ctrl+r", "Review", "queue"] for line in shown)
        assert any(line.split() == ["z", "Close"] for line in shown)
        await press(app, pilot, "escape", "ctrl+t", "z")  # the remapped key closes the stats screen
        assert isinstance(app.screen, LibraryScreen)


def test_a_clash_on_the_stats_screen_stops_the_start(tmp_path):
    user = tmp_path / "keymap.toml"
    user.write_text('[stats]\nrefresh = "j"\n')
    with pytest.raises(KeymapError, match=rf"^{user}:2: key 'j' is bound twice on the stats screen"):
        load_keymap("default", user_file=user)
