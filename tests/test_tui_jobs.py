"""Store jobs and the screens that asked for them: a result for a screen the
annotator has left is dropped, and queued reloads each show what they read.

The writer thread is held with a job that waits on an event, so the order
of what happens is fixed by the test, not by the machine's speed.
"""

from __future__ import annotations

import threading

import pytest

from store import Store
from store.review import GOLD
from tui.screens.annotate import AnnotateScreen
from tui.screens.library import LibraryScreen
from tui.screens.review import ReviewingApp, ReviewScreen
from tui_support import FIRST, make_app, make_db, press, screen_lines, settle

SIZE = (120, 30)
FIGURE = (FIRST.index("12%"), FIRST.index("12%") + 3)
QUOTE = (FIRST.index('"We bought'), FIRST.index('tested,"') + len('tested,"'))
WAIT_S = 30  # only if the test itself is broken: the event is always set


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "t.db")


def hold_writer(app) -> threading.Event:
    """Queue a job that keeps the writer busy until the returned event is set."""
    gate = threading.Event()
    app.run_job(app.writer, lambda store: gate.wait(WAIT_S))
    return gate


async def test_answers_for_an_article_screen_already_left_are_dropped(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_article("a3")  # the last article
        await settle(app, pilot)
        left = app.screen
        assert isinstance(left, AnnotateScreen) and left.article_id == "a3"
        gate = hold_writer(app)
        await pilot.press("n")  # the answer would say "this is the last article"
        await pilot.press("enter")  # done: the answer would open the next unfinished article
        await pilot.press("escape")  # back to the library before either answer comes
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen) and not left.is_attached
        gate.set()
        await settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen)  # nothing opened over it
        shown = "\n".join(screen_lines(app))
        assert "last article" not in shown
        assert "claimdesk library · 3 articles" in shown
    with Store(db) as store:  # the change itself is kept: only its answer was dropped
        assert store.progress.get("a3", "ann").status == "done"


async def test_a_list_read_for_a_screen_already_closed_changes_nothing(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        library = app.screen
        hold = threading.Event()
        app.run_job(app.reader, lambda store: hold.wait(WAIT_S))  # the reader, busy
        await pilot.press("ctrl+t")  # the stats screen asks the reader for the figures
        await pilot.pause()
        stats = app.screen
        assert stats is not library
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is library and not stats.is_attached
        hold.set()
        await settle(app, pilot)
        assert app.screen is library
        assert stats.stats is None  # its figures were never shown
        assert "claimdesk library · 3 articles" in "\n".join(screen_lines(app))


@pytest.fixture
def reviewed(db):
    """a1 finished by ann and bob, who both marked the figure; bob also marked the quote."""
    with Store(db) as store:
        for name in ("ann", "bob"):
            store.spans.add("a1", *FIGURE, "figure", name, attrs={"value": 12, "unit": "%"})
        store.spans.add("a1", *QUOTE, "quote", "bob", attrs={"speaker": "Reidel"})
        for name in ("ann", "bob"):
            store.progress.mark_done("a1", name)
    return db


async def test_two_queued_reloads_of_the_review_screen_each_show_what_they_read(reviewed):
    app = ReviewingApp(reviewed, "rita", "default", user_keymap=reviewed.parent / "no-user-keymap.toml")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.article_id == "a1"
        gate = hold_writer(app)
        screen.view.move_to(FIGURE[0])
        await pilot.pause()
        await pilot.press("a")  # accept the figure: a change, then a reload
        seen: list[tuple[set[str], set[str], dict[str, str]]] = []
        # Answered after the first reload is shown and before the second is.
        app.run_job(app.writer, lambda store: None, lambda _: seen.append(
            ({s.id for s in screen.spans}, set(screen.targets), dict(screen.span_list.notes))))
        screen.view.move_to(QUOTE[0] + 1)
        await pilot.pause()
        await pilot.press("a")  # accept the quote: its gold span replaces bob's on the screen
        all_read = threading.Event()
        app.run_job(app.writer, lambda store: all_read.set())
        # Both reloads are read before either is shown: the UI thread waits here until they are.
        gate.set()
        assert all_read.wait(WAIT_S)
        await settle(app, pilot)
        [(spans, targets, notes)] = seen
        assert spans <= targets  # every span drawn is one the review read with it can decide on
        assert sorted(notes[span_id] for span_id in spans) == ["all  2/2 ✓", "one  1/2 ?"]
        assert sorted(screen.span_list.notes.values()) == ["all  2/2 ✓", "one  1/2 ✓"]
        assert {s.id for s in screen.spans} <= set(screen.targets)
    with Store(reviewed) as store:
        assert sorted((s.label, s.status) for s in store.spans.for_article("a1", annotator=GOLD)) == [
            ("figure", "accepted"), ("quote", "accepted")]


async def test_idle_waits_for_the_jobs_that_results_lead_to(db):
    from tui.store_thread import StoreThread

    thread = StoreThread(db, "claimdesk-test")
    got: list = []

    def then_count(result, error) -> None:
        got.append(result)  # handed over: the job submitted here is counted before the first is
        thread.call(lambda store: store.articles.count(), lambda count, error: got.append(count))

    thread.call(lambda store: store.articles.get("a1").title, then_count)
    try:
        await thread.idle()
        assert got == ["Minister defends armour deal", 3]
        assert not thread.busy
    finally:
        thread.stop()
