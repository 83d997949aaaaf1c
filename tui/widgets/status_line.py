"""The annotate screen's status line: where you are and whether it is saved."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.safe_text import visible

# Narrower than this, a suggestion's details are left out rather than cut to nothing.
MIN_DETAIL = 12


class StatusLine(Static):
    """``article k of n · outlet · annotator · labels under the cursor ·
    suggestion under the cursor · selection · saved``.

    The suggestion's details give way first when the line is too long, so the
    saved mark stays in sight."""

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
        self.suggestion = ""
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
        tail = Text(end="")
        if self.selection:
            tail.append(f" · sel {self.selection}")
        if self.note:
            tail.append(" · ")
            tail.append(visible(self.note, keep_newlines=False), "italic")
        tail.append(" · ")
        tail.append("saved" if self.saved else "saving…", "bold" if self.saved else "reverse")
        if self.suggestion:
            width = self.content_size.width
            room = width - text.cell_len - tail.cell_len - 3 if width else len(self.suggestion)
            if room >= MIN_DETAIL:
                detail = Text(visible(self.suggestion, keep_newlines=False), "italic")
                detail.truncate(room, overflow="ellipsis")
                text.append(" · ")
                text.append(detail)
        text.append(tail)
        return text

    def on_mount(self) -> None:
        self.update(self._text())

    def on_resize(self) -> None:
        self.update(self._text())
