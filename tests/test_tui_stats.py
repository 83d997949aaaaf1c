"""The Stats screen, driven through Textual's Pilot."""

from __future__ import annotations

import pytest

from store import Store
from store.progress import ProgressStore
from tui.screens.stats import StatsScreen, bar
from tui_support import FIRST, make_app, make_db, press, screen_lines, settle

SIZE = (120, 40)


@pytest.fixture
def db(tmp_path):
    path = make_db(tmp_path / "t.db")
    claim = (FIRST.index("The defence"), FIRST.index("would stand.") + len("would stand."))
    figure = (FIRST.index("12%"), FIRST.index("12%") + 3)
    with Store(path) as store:
        store.spans.add("a1", *claim, "claim", "ann")
        store.spans.add("a1", *figure, "figure", "ann")
        store.spans.add("a1", *claim, "claim", "bob")
        for name in ("ann", "bob"):
            ProgressStore(store.db).mark_done("a1", name)
    return path


def test_bars_are_drawn_to_an_eighth_of_a_cell():
    assert bar(1.0, 1.0, 4) == "████"
    assert bar(0.5, 1.0, 4) == "██░░"
    assert bar(0.53125, 1.0, 4) == "██▏░"  # 17 eighths
    assert bar(None, 1.0, 4) == bar(-0.2, 1.0, 4) == "░░░░"


async def test_stats_screen_shows_progress_and_agreement_with_bars(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(StatsScreen())
        await settle(app, pilot)
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert "3 articles, 0 reviewed" in text
        ann = next(line for line in lines if line.split()[:1] == ["ann"])
        assert "█" in ann
        # ann and bob share the claim; ann's figure is hers alone: exact F1 = 2 * 1 / (2 + 1) = .67.
        pair = next(line for line in lines if "ann ~ bob" in line)
        assert "0.67" in pair and "█" in pair
        claim = next(line for line in lines if "claim" in line and "1.00" in line)
        assert claim.count("1.00") >= 2
        assert "no review is finished yet" in text


async def test_r_recomputes_and_escape_closes(db):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(StatsScreen())
        await settle(app, pilot)
        screen = app.screen
        assert screen.stats.annotators[0].finished == 1
        with Store(db) as store:
            ProgressStore(store.db).mark_done("a2", "ann")
        await press(app, pilot, "r")
        assert screen.stats.annotators[0].finished == 2
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, StatsScreen)


async def test_an_empty_team_gets_a_sentence_not_empty_tables(tmp_path):
    app = make_app(make_db(tmp_path / "empty.db"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(StatsScreen())
        await settle(app, pilot)
        assert any("Nobody has annotated yet" in line for line in screen_lines(app))
