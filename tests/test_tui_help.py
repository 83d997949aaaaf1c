"""The help screen lists the active keymap, generated from it."""

from __future__ import annotations

import pytest

from tui_support import make_app, make_db, press, screen_lines, settle
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "t.db")


@pytest.mark.parametrize(
    ("keymap", "expected"),
    [
        ("default", ["←, h", "Claim", "c ", "ctrl+r", "Redo"]),
        ("numeric", ["1   ", "Claim", "ctrl+z", "Undo"]),
        ("emacs", ["alt+x", "Commands", "ctrl+f", "ctrl+underscore"]),
    ],
)
async def test_help_shows_each_keymap(db, keymap, expected):
    app = make_app(db, keymap=keymap)
    async with app.run_test(size=(100, 160)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(screen_lines(app))
        assert f"Keymap: {keymap}" in shown
        for text in ("Annotate", "Library", "Search bar", "Tag and edit spans", *expected):
            assert text in shown
        await press(app, pilot, "escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_a_remapped_key_shows_as_remapped(db, tmp_path):
    user = tmp_path / "no-user-keymap.toml"  # make_app's user file
    user.write_text('[annotate]\nundo = "z"\n')
    app = make_app(db, tmp=tmp_path)
    async with app.run_test(size=(100, 160)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "question_mark")
        line = next(line for line in screen_lines(app) if line.strip().endswith("Undo"))
        assert line.split()[0] == "z"
