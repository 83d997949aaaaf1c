"""The annotate screen's search bar: search as you type."""

from __future__ import annotations

from textual.widgets import Input

from tui.bindings import SEARCH
from tui.messages import SearchChanged, SearchClosed, SearchNext


class SearchBar(Input):
    """Typing jumps to the first match; Enter goes to the next; Esc closes."""

    BINDINGS = SEARCH
    DEFAULT_CSS = """
    SearchBar { display: none; border: none; height: 1; padding: 0 1; background: $panel; }
    SearchBar.-open { display: block; }
    SearchBar:focus { border: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="search the article", id=id, select_on_focus=False)
        self.cursor_blink = False

    def open(self) -> None:
        """Show the bar and take the keys."""
        self.value = ""
        self.add_class("-open")
        self.focus()

    def close(self) -> None:
        """Hide the bar."""
        self.remove_class("-open")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(SearchChanged(event.value))

    def action_next_match(self) -> None:
        self.post_message(SearchNext())

    def action_close(self) -> None:
        self.close()
        self.post_message(SearchClosed())
