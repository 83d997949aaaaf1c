"""The footer of the library and annotate screens: the keys that matter most, whole.

Textual's own footer shows the bindings marked ``show`` in the order they
are declared and cuts the last one mid-word. This one is given an order by
its screen (:meth:`FooterScreen.footer_items`): the label keys first, each
in its label's own style, then the rest by importance; the way back and
``?`` (every other key) always show at the end. An entry that does not fit
is left out whole; a group that has room is spelled out key by key
(``a accept  x reject`` rather than ``a x suggestion``). The keys are read
from the screen's active bindings, so they follow the keymap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from rich.style import Style
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input

from tui.keymap import key_label

GAP = "  "
ARROWS = ("left", "right", "up", "down")


@dataclass(frozen=True)
class FooterItem:
    """One entry of the footer: keys and what they do."""

    entries: tuple[tuple[str, str], ...]
    """(binding id, what it does in a word or two), in order."""
    group: str = ""
    """When given, the short form: every key, then this word (``t m C panels``)."""
    one_of: bool = False
    """Show only the first entry whose binding is active (the way back: clear, else library)."""
    end: bool = False
    """Always shown, at the end of the line."""
    extra: bool = False
    """Shown only in the room left once the others are spelled out."""
    key_style: str = "bold"
    styles: dict[str, Style] = field(default_factory=dict)
    """Binding id to the style of its key and word (a label's own, as its spans look)."""


class FooterScreen(Protocol):
    def footer_items(self) -> list[FooterItem]: ...


class KeyFooter(Widget):
    """See the module docstring."""

    DEFAULT_CSS = """
    KeyFooter { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        self.refresh()

    def _keys(self) -> dict[str, str]:
        """Binding id to its first active key, as people write it."""
        keys: dict[str, str] = {}
        # A text field takes the printable keys: what they do elsewhere does not apply while it has focus.
        typing = isinstance(self.app.focused, Input)
        for key, active in self.screen.active_bindings.items():
            binding_id = active.binding.id
            if typing and len(key_label(key)) == 1 and key not in ARROWS:
                continue
            if binding_id and binding_id not in keys and active.enabled:
                keys[binding_id] = key_label(key)
        return keys

    def _pieces(self, item: FooterItem, keys: dict[str, str], *, expanded: bool) -> Text | None:
        entries = [(binding_id, what) for binding_id, what in item.entries if binding_id in keys]
        if item.one_of:
            entries = entries[:1]
        if not entries:
            return None
        text = Text(end="")

        def key(binding_id: str) -> None:
            text.append(keys[binding_id], Style.parse(str(item.key_style)) + item.styles.get(binding_id, Style()))

        def word(binding_id: str, what: str) -> None:
            text.append(" ")
            text.append(what, item.styles.get(binding_id, "dim"))

        if item.group and not expanded and len(entries) > 1:
            for index, (binding_id, _) in enumerate(entries):
                if index:
                    text.append(" ")
                key(binding_id)
            text.append(" " + item.group, "dim")
            return text
        for index, (binding_id, what) in enumerate(entries):
            if index:
                text.append(GAP)
            key(binding_id)
            word(binding_id, what)
        return text

    def line(self, width: int) -> Text:
        """The footer as it reads in ``width`` cells."""
        items: list[FooterItem] = self.screen.footer_items()  # type: ignore[attr-defined]
        keys = self._keys()
        end = [piece for item in items if item.end if (piece := self._pieces(item, keys, expanded=False))]
        body_items = [item for item in items if not item.end]
        # Each body piece costs its gap before the end pieces.
        room = width - sum(piece.cell_len for piece in end) - len(GAP) * (len(end) - 1)
        chosen: dict[int, Text] = {}

        def add(index: int, piece: Text | None) -> None:
            nonlocal room
            if piece is not None and piece.cell_len + len(GAP) <= room:
                chosen[index] = piece
                room -= piece.cell_len + len(GAP)

        for index, item in enumerate(body_items):
            if not item.extra:
                add(index, self._pieces(item, keys, expanded=False))
        # Spell groups out where there is room, most important first; then the extras.
        for index in list(chosen):
            wide = self._pieces(body_items[index], keys, expanded=True)
            if wide is not None and (grow := wide.cell_len - chosen[index].cell_len) <= room:
                chosen[index] = wide
                room -= grow
        for index, item in enumerate(body_items):
            if item.extra:
                add(index, self._pieces(item, keys, expanded=False))
        line = Text(no_wrap=True, end="")
        for piece in [chosen[index] for index in sorted(chosen)] + end:
            if line:
                line.append(GAP)
            line.append(piece)
        return line

    def render(self) -> Text:
        return self.line(self.content_size.width or self.app.size.width)
