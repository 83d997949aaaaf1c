"""The help screen: every key of the active keymap, grouped, generated from
the bindings and the keymap themselves (so a remapped key shows as it is)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.bindings import GROUPS, HELP, SCREEN_TABLES, label_bindings
from tui.safe_text import visible

if TYPE_CHECKING:
    from tui.app import ClaimdeskApp

KEY_COLUMN = 24


def help_text(app: ClaimdeskApp) -> Text:
    """The key list: per screen, per group, keys and what they do."""
    keymap = app.keymap
    text = Text(end="")
    text.append(f"Keymap: {app.keymap_name}", "bold")
    text.append(visible(f"  ({', '.join(keymap.files)})", keep_newlines=False) + "\n", "dim")
    for screen, tables in SCREEN_TABLES.items():
        bindings: list[Binding] = [b for table in tables for b in table]
        if screen == "Annotate":
            bindings += label_bindings(app.labels or [])
        text.append(f"\n{screen}\n", "bold underline")
        groups: dict[str, list[Binding]] = {}
        for binding in bindings:
            groups.setdefault(GROUPS.get(binding.id or "", ""), []).append(binding)
        for group, members in groups.items():
            text.append(f"  {group}\n", "bold")
            for binding in members:
                keys = keymap.keys_of(binding.id) if binding.id else [binding.key]
                shown = ", ".join(format_key(k) for k in keys) or "(unbound)"
                text.append(f"    {shown:<{KEY_COLUMN}}", "bold")
                text.append(f"{binding.description}\n")
    text.append("\nMouse: drag to select where the terminal reports the mouse.\n", "dim")
    return text


class HelpBody(VerticalScroll, inherit_bindings=False):
    """The scrolling list of keys."""

    BINDINGS = HELP

    def action_close(self) -> None:
        self.app.pop_screen()


class HelpScreen(Screen):
    """Every key of the active keymap."""

    DEFAULT_CSS = """
    HelpScreen HelpBody { padding: 0 1; }
    """
    AUTO_FOCUS = "HelpBody"

    app: ClaimdeskApp

    def compose(self) -> ComposeResult:
        with HelpBody():
            yield Static(help_text(self.app), id="help-text")
        yield Footer()
