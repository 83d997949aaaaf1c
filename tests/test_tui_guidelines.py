"""Guidelines: `claimdesk guidelines set FILE.md`, shown by the app the first
time an annotator opens the project after they change, and on F2 from anywhere."""

from __future__ import annotations

import pytest

from store import Store
from store.settings import read_guidelines
from tui.cli import main
from tui.screens.guidelines import GuidelinesScreen
from tui.screens.library import LibraryScreen
from tui_support import make_app, make_db, press, screen_lines, settle

RULES = "# Tagging rules\n\n* A **claim** is a checkable statement.\n* Quotes take their speaker.\n"


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "t.db")


def _set(db, tmp_path, text, name="g.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["guidelines", "--db", str(db), "set", str(path)]) == 0


async def _opened(db, annotator="ann"):
    """Whether the app opens on the guidelines, and what it shows."""
    app = make_app(db, annotator=annotator)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = isinstance(app.screen, GuidelinesScreen)
        lines = "\n".join(screen_lines(app))
        if shown:
            await press(app, pilot, "escape")
            assert isinstance(app.screen, LibraryScreen)
    return shown, lines


async def test_guidelines_show_once_per_change_for_each_annotator(db, tmp_path):
    assert (await _opened(db))[0] is False  # none set
    _set(db, tmp_path, RULES)
    shown, lines = await _opened(db)
    assert shown and "Tagging rules" in lines and "checkable statement" in lines and "**" not in lines
    assert "have changed since you last opened" in lines
    assert (await _opened(db))[0] is False  # seen
    assert (await _opened(db, annotator="ben"))[0] is True  # another annotator has not seen them
    _set(db, tmp_path, RULES + "* Figures keep their unit.\n", name="g2.md")
    shown, lines = await _opened(db)
    assert shown and "keep their unit" in lines


async def test_f2_shows_the_guidelines_from_the_library_and_from_an_article(db, tmp_path):
    _set(db, tmp_path, RULES)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "escape")  # the first showing
        await press(app, pilot, "f2")
        assert isinstance(app.screen, GuidelinesScreen)
        await press(app, pilot, "escape")
        await press(app, pilot, "enter")  # open the first article
        assert app.annotate_screen() is not None
        await press(app, pilot, "f2")
        assert isinstance(app.screen, GuidelinesScreen)
        assert "checkable statement" in "\n".join(screen_lines(app))
        await press(app, pilot, "q")
        assert app.annotate_screen() is not None


async def test_f2_without_guidelines_says_how_to_set_them(db):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "f2")
        assert "claimdesk guidelines set FILE.md" in "\n".join(screen_lines(app))


def test_set_refuses_a_missing_or_binary_file_in_one_line(db, tmp_path, capsys):
    assert main(["guidelines", "--db", str(db), "set", str(tmp_path / "nope.md")]) == 2
    assert "nope.md: cannot read" in capsys.readouterr().err
    (tmp_path / "latin.md").write_bytes("caf\xe9".encode("latin-1"))
    assert main(["guidelines", "--db", str(db), "set", str(tmp_path / "latin.md")]) == 2
    assert "not valid UTF-8" in capsys.readouterr().err
    with Store(db) as store:
        assert read_guidelines(store.db) is None


def test_set_strips_escape_sequences_and_show_prints_them(db, tmp_path, capsys):
    _set(db, tmp_path, "# Rules\x1b[31m red\x1b[0m\n")
    capsys.readouterr()
    assert main(["guidelines", "--db", str(db), "show"]) == 0
    out = capsys.readouterr().out
    assert "# Rules red" in out and "\x1b" not in out
