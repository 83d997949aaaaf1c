"""Keymaps: the three shipped ones load, user files override single keys,
and every mistake stops the start with ``file:line: what is wrong``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import bindings
from tui.keymap import BUILTIN, KeymapError, builtin_path, default_keys, load_keymap

LABELS = {"claim": "c", "quote": "q", "figure": "f"}


@pytest.fixture
def no_user(tmp_path) -> Path:
    return tmp_path / "absent.toml"


@pytest.mark.parametrize("name", BUILTIN)
def test_shipped_keymaps_load(name, no_user):
    keymap = load_keymap(name, user_file=no_user, labels=LABELS)
    assert set(default_keys()) <= set(keymap.keys)


def test_numeric_puts_labels_on_digits_and_emacs_moves_the_palette(no_user):
    numeric = load_keymap("numeric", user_file=no_user, labels=LABELS)
    assert [numeric.keys[f"label.{n}"] for n in ("claim", "quote", "figure")] == ["1", "2", "3"]
    assert numeric.keys_of("annotate.cursor-left") == ["left"]
    emacs = load_keymap("emacs", user_file=no_user, labels=LABELS)
    assert "ctrl+p" in emacs.keys_of("annotate.cursor-up")
    assert emacs.keys_of("app.command-palette") == ["alt+x"]


def test_every_binding_of_the_app_has_an_id_in_the_default_keymap():
    tables = [table for screen in bindings.SCREEN_TABLES.values() for table in screen]
    ids = [binding.id for table in tables for binding in table]
    assert None not in ids
    assert sorted(ids) == sorted(default_keys())


def test_user_file_overrides_a_single_binding(tmp_path):
    user = tmp_path / "keymap.toml"
    user.write_text('[annotate]\nundo = "z"\n[labels]\nclaim = "y"\n')
    keymap = load_keymap("default", user_file=user, labels=LABELS)
    assert keymap.keys_of("annotate.undo") == ["z"]
    assert keymap.keys["label.claim"] == "y"
    assert keymap.keys_of("annotate.redo") == ["ctrl+r"]


def test_broken_toml_names_file_and_line(tmp_path, no_user):
    bad = tmp_path / "bad.toml"
    bad.write_text('[annotate]\nundo = "u"\nredo = \n')
    with pytest.raises(KeymapError, match=rf"^{bad}:3: not valid TOML"):
        load_keymap(str(bad), user_file=no_user)


def test_unknown_action_names_file_and_line(tmp_path, no_user):
    bad = tmp_path / "bad.toml"
    bad.write_text('# mine\n[annotate]\nundo = "u"\nfly-away = "x"\n')
    with pytest.raises(KeymapError, match=rf"^{bad}:4: unknown action annotate.fly-away"):
        load_keymap(str(bad), user_file=no_user)


def test_unknown_section_names_file_and_line(tmp_path, no_user):
    bad = tmp_path / "bad.toml"
    bad.write_text('[annotat]\nundo = "u"\n')
    with pytest.raises(KeymapError, match=rf"^{bad}:1: unknown section \[annotat\]"):
        load_keymap(str(bad), user_file=no_user)


def test_key_bound_twice_on_a_screen_names_the_entry(tmp_path, no_user):
    bad = tmp_path / "bad.toml"
    bad.write_text('[annotate]\n\nundo = "w"\n')
    with pytest.raises(KeymapError, match=rf"^{bad}:3: key 'w' is bound twice on the annotate screen"):
        load_keymap(str(bad), user_file=no_user)


def test_keys_must_be_a_string(tmp_path, no_user):
    bad = tmp_path / "bad.toml"
    bad.write_text("[annotate]\nundo = 3\n")
    with pytest.raises(KeymapError, match=rf"^{bad}:2: the keys of annotate.undo must be a string"):
        load_keymap(str(bad), user_file=no_user)


def test_a_database_label_key_that_clashes_is_reported(no_user):
    with pytest.raises(KeymapError, match=r"key 's' is bound twice on the annotate screen.*label.source"):
        load_keymap("default", user_file=no_user, labels={**LABELS, "source": "s"})


def test_same_key_on_different_screens_is_fine(no_user):
    keymap = load_keymap("default", user_file=no_user)
    assert keymap.keys_of("library.search") == keymap.keys_of("annotate.search") == ["slash"]


def test_unknown_keymap_name(no_user):
    with pytest.raises(KeymapError, match=r"^vim:1: no such keymap"):
        load_keymap("vim", user_file=no_user)


def test_command_line_stops_with_the_error_before_the_app(tmp_path, capsys, monkeypatch):
    from tui.cli import main

    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    bad = tmp_path / "bad.toml"
    bad.write_text('[annotate]\nteleport = "x"\n')
    code = main(["--db", str(tmp_path / "x.db"), "--keymap", str(bad)])
    assert code == 2
    assert capsys.readouterr().err.strip().startswith(f"claimdesk: {bad}:2: unknown action annotate.teleport")


def test_shipped_files_are_where_the_package_says(no_user):
    for name in BUILTIN:
        assert builtin_path(name).is_file()


NAVIGATION = {"up", "down", "left", "right", "home", "end", "pageup", "pagedown", "delete", "insert"}


def plain_terminal_sends(key: str) -> bool:
    """Whether an xterm-like terminal without the kitty protocol delivers this key
    to Textual as itself: alt with punctuation arrives as the bare key, and
    ctrl+alt+letter as ctrl+letter (ESC b and ESC f even arrive as ctrl+left/right)."""
    *modifiers, base = key.split("+")
    if "alt" not in modifiers or base in NAVIGATION:
        return True
    lower_b_or_f = base in ("b", "f") and "shift" not in modifiers
    return len(base) == 1 and base.isalnum() and "ctrl" not in modifiers and not lower_b_or_f


@pytest.mark.parametrize("name", BUILTIN)
def test_every_action_has_a_key_a_plain_terminal_sends(name, no_user):
    keymap = load_keymap(name, user_file=no_user, labels=LABELS)
    for binding_id in keymap.keys:
        keys = keymap.keys_of(binding_id)
        assert any(plain_terminal_sends(k) for k in keys), f"{name}: {binding_id} = {keys}"
