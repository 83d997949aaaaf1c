"""The annotate screen's status line: where you are and whether it is saved."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.safe_text import visible


class StatusLine(Static):
    """``article k of n · outlet · annotator · labels under the cursor · selection · saved``."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.position = ""
        self.outlet = ""
        self.annotator = ""
        self.selection = 0
        self.under = ""
        self.saved = True
        self.note = ""

    def show(self, **fields: object) -> None:
        """Change some fields; the line is redrawn only when it reads differently."""
        before = self._text().plain
        for name, value in fields.items():
            setattr(self, name, value)
        text = self._text()
        if text.plain != before:
            self.update(text)

    def _text(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(self.position, "bold")
        for part in (self.outlet, self.annotator):
            if part:
                text.append(" · ")
                text.append(visible(part, keep_newlines=False))
        if self.under:
            text.append(" · ")
            text.append(self.under, "italic")
        if self.selection:
            text.append(f" · sel {self.selection}")
        if self.note:
            text.append(" · ")
            text.append(visible(self.note, keep_newlines=False), "italic")
        text.append(" · ")
        text.append("saved" if self.saved else "saving…", "bold" if self.saved else "reverse")
        return text

    def on_mount(self) -> None:
        self.update(self._text())
