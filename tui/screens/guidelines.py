"""The team's annotation guidelines (``claimdesk guidelines set FILE.md``),
rendered by Textual's Markdown widget. Shown the first time an annotator
opens the app after they change, and from anywhere on a key (F2)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from tui.bindings import GUIDELINES


class GuidelinesBody(VerticalScroll, inherit_bindings=False):
    """The scrolling guidelines."""

    BINDINGS = GUIDELINES

    def action_close(self) -> None:
        self.screen.dismiss()


class GuidelinesScreen(Screen):
    """The guidelines, or a line saying how to set them."""

    DEFAULT_CSS = """
    GuidelinesScreen GuidelinesBody { padding: 0 1; }
    GuidelinesScreen #guidelines-note { color: $text-muted; }
    """
    AUTO_FOCUS = "GuidelinesBody"

    def __init__(self, text: str | None, *, changed: bool = False) -> None:
        super().__init__()
        self.text = text
        self.changed = changed

    def compose(self) -> ComposeResult:
        with GuidelinesBody():
            if self.text is None:
                yield Static("No guidelines are set for this project. A lead sets them with:\n\n"
                             "  claimdesk guidelines set FILE.md", id="guidelines-note", markup=False)
            else:
                if self.changed:
                    yield Static("The guidelines are new or have changed since you last opened the project. "
                                 "Esc closes them; F2 shows them again from anywhere.",
                                 id="guidelines-note", markup=False)
                # Markdown is parsed as Markdown, never as Rich markup; the text was normalised when set.
                yield Markdown(self.text, id="guidelines-text")
        yield Footer()
