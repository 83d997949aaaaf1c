"""What the screens look like, at 80x24 and 120x40, with overlapping spans,
the footer (label keys first, the way back, ``?``) and the status line.

Update after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the pictures in the report before committing them.
"""

from __future__ import annotations

import pytest

from store import Store
from store.progress import ProgressStore
from store.assignment import Assigner
from store.suggestions import SuggestionStore
from tui_support import FIRST, add_nested_spans, make_app, make_db, settle

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def db(tmp_path):
    path = make_db(tmp_path / "t.db")
    add_nested_spans(path, "ann")
    with Store(path) as store:
        progress = ProgressStore(store.db)
        progress.mark_done("a2", "ann")
        progress.mark_done("a3", "bea")
        progress.open("a1", "ann")  # last: the app resumes here
    return path


async def settled(pilot) -> None:
    await settle(pilot.app, pilot)


@pytest.mark.parametrize("size", SIZES)
def test_library(db, snap_compare, size):
    with Store(db) as store:  # start on the library, not on the resumed article
        store.db.execute("DELETE FROM progress WHERE status = 'open'")
        Assigner(store.db).touch("a2", "bea")  # someone else has it open
    assert snap_compare(make_app(db), terminal_size=size, run_before=settled)


@pytest.mark.parametrize("size", SIZES)
def test_annotate_with_nested_spans(db, snap_compare, size):
    async def on_the_figure(pilot) -> None:
        await settle(pilot.app, pilot)
        pilot.app.screen.view.move_to(FIRST.index("100,000") + 2)
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=on_the_figure)


def test_annotate_without_colour_keeps_labels_apart(db, snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def select(pilot) -> None:
        await settle(pilot.app, pilot)
        pilot.app.screen.view.move_to(FIRST.index("An audit"))
        await pilot.press("v", "w", "w")
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=select)


def test_span_edges_without_colour(db, snap_compare, monkeypatch):
    """After ``>`` the status line says where the figure now ends, and the span is marked."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def end_moved(pilot) -> None:
        await settle(pilot.app, pilot)
        pilot.app.screen.view.move_to(FIRST.index("100,000") + 2)
        await settle(pilot.app, pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(db), terminal_size=(80, 24), run_before=end_moved)


def test_suggestions_without_colour_stay_apart_from_annotations(db, snap_compare, monkeypatch):
    """Pending suggestions are dim (the figure inside the claim too) and marked ``?`` in words."""
    monkeypatch.setenv("NO_COLOR", "1")
    with Store(db) as store:
        SuggestionStore(store.db).suggest_article("a1", FIRST)

    async def on_a_suggestion(pilot) -> None:
        await settle(pilot.app, pilot)
        pilot.app.screen.view.move_to(FIRST.index("12%"))
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(db), terminal_size=(100, 24), run_before=on_a_suggestion)
