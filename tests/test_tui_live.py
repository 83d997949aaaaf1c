"""Other annotators' changes reach an open app as they commit: on PostgreSQL
through LISTEN/NOTIFY, on SQLite through the file's data version. The
library's periodic re-read is turned off in these tests, so only the change
feed can make them pass."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from claim_support import demo_claim_rows, locate
from tui_support import make_app, make_db, settle

from corpus.readers import read_paths
from store import Store
from tui.commands.demo import DEMO_ARTICLES, DEMO_CORPUS
from tui.messages import DatabaseChanged
from tui.screens import library

pytestmark = pytest.mark.both_engines

# Generous: a change normally shows within a second; the wait ends as soon as it does.
CHANGE_TIMEOUT_S = 30.0


class Changes:
    """Counts the DatabaseChanged messages the app's screens receive."""

    def __init__(self) -> None:
        self.arrived = asyncio.Event()

    def hook(self, message) -> None:
        if isinstance(message, DatabaseChanged):
            self.arrived.set()

    async def until(self, app, pilot, condition: Callable[[], bool]) -> None:
        """Wait, change by change, until ``condition`` holds (it fails after CHANGE_TIMEOUT_S)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CHANGE_TIMEOUT_S
        await settle(app, pilot)
        while not condition():
            left = deadline - loop.time()
            assert left > 0, "no change notice brought the screen up to date"
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), left)
            except TimeoutError:
                pass
            await settle(app, pilot)
            if hasattr(app, "matching"):
                await app.matching.thread.idle()
                await settle(app, pilot)


@pytest.fixture(autouse=True)
def no_periodic_reread(monkeypatch):
    monkeypatch.setattr(library, "OPEN_BY_EVERY_S", 3600.0)


async def test_the_library_shows_an_article_another_annotator_opens_as_it_happens(db_path, tmp_path):
    make_db(db_path)
    changes = Changes()
    app = make_app(db_path, tmp=tmp_path)
    async with app.run_test(size=(120, 30), message_hook=changes.hook) as pilot:
        await settle(app, pilot)
        assert app.screen.table.open_by == {}
        with Store(db_path) as other:  # another annotator's terminal
            other.assignment.touch("a2", "bea")
        await changes.until(app, pilot, lambda: app.screen.table.open_by == {"a2": ["bea"]})
        with Store(db_path) as other:
            other.assignment.release("a2", "bea")
        await changes.until(app, pilot, lambda: app.screen.table.open_by == {})


async def test_the_matches_panel_takes_in_a_claim_another_annotator_tags(db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    audit_row, twin_row, third_row = demo_claim_rows()[:3]
    with Store(db_path) as store:
        store.ingest(read_paths([DEMO_CORPUS / name for name in DEMO_ARTICLES]), suggest=True)
        article, start, end = locate(store, twin_row["source"], twin_row["text"])
        store.spans.add(article, start, end, "claim", "bo")
        audit = locate(store, audit_row["source"], audit_row["text"])
        third = locate(store, third_row["source"], third_row["text"])
    changes = Changes()
    app = make_app(db_path, annotator="ann", tmp=tmp_path)
    async with app.run_test(size=(120, 40), message_hook=changes.hook) as pilot:
        await settle(app, pilot)
        app.open_article(audit[0], audit[1] + 5)
        await settle(app, pilot)
        await pilot.press("c", "m")  # tag the audit claim, show its matches
        panel = app.screen.matches_panel
        await changes.until(app, pilot, lambda: bool(panel.claims))
        assert third[0] not in {match.claim.article_id for match in panel.claims}
        with Store(db_path) as other:  # another annotator tags the same claim in a third outlet
            tagged = other.spans.add(third[0], third[1], third[2], "claim", "cy")
        await changes.until(app, pilot, lambda: tagged.id in {match.claim.span_id for match in panel.claims})
        assert panel.subject.text == audit_row["text"]
