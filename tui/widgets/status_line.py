"""The annotate screen's status line: where you are and whether it is saved."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from tui.safe_text import visible

SEPARATOR = " · "


@dataclass
class _Part:
    """One field of the line, as it reads from its longest to its shortest form."""

    forms: list[Text]
    keep: int
    """Lower is kept longer: the last to be shortened or left out."""


def _words(text: str, style: str = "", *, down_to: int = 1) -> list[Text]:
    """``text`` and shorter forms of it, a word less each time (ending in …): never cut mid-word."""
    words = text.split(" ")
    forms = [Text(text, style, end="")]
    for count in range(len(words) - 1, down_to - 1, -1):
        forms.append(Text(" ".join(words[:count]).rstrip(" ,;:·") + "…", style, end=""))
    return forms


class StatusLine(Static):
    """``article k of n · outlet · annotator · labels under the cursor ·
    suggestion under the cursor · selection · note · saved``.

    When the line is too long, the fields that matter least give way first,
    a word at a time, then whole: the annotator (you know who you are), the
    outlet, the suggestion's details, then ``article k of n`` becomes ``k/n``
    (and goes, last of all, to make room for a note).
    The saved mark, the labels under the cursor, the selection and the note
    (a search that wrapped, where a span's edge now is) stay in sight."""

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

    def _parts(self) -> list[_Part]:
        parts = []
        if self.position:
            short = self.position.replace("article ", "").replace(" of ", "/").replace(" · ", " ")
            parts.append(_Part([Text(self.position, "bold", end=""), Text(short, "bold", end=""), Text("")], keep=4))
        if self.outlet:
            parts.append(_Part(_words(visible(self.outlet, keep_newlines=False)) + [Text("")], keep=6))
        if self.annotator:
            parts.append(_Part([Text(visible(self.annotator, keep_newlines=False), end=""), Text("")], keep=7))
        if self.under:
            parts.append(_Part([Text(self.under, "italic", end=""), Text(self.under.replace(" › ", "›"), "italic")],
                               keep=1))
        if self.suggestion:
            parts.append(_Part(_words(visible(self.suggestion, keep_newlines=False), "italic") + [Text("")], keep=5))
        if self.selection:
            parts.append(_Part([Text(f"sel {self.selection}", end="")], keep=2))
        if self.note:
            parts.append(_Part(_words(visible(self.note, keep_newlines=False), "italic"), keep=3))
        saved = Text("saved", "bold", end="") if self.saved else Text("saving…", "reverse", end="")
        parts.append(_Part([saved], keep=0))
        return parts

    def _text(self) -> Text:
        parts = self._parts()
        chosen = [0] * len(parts)
        width = self.content_size.width

        def length() -> int:
            shown = [part.forms[form] for part, form in zip(parts, chosen) if part.forms[form].cell_len]
            return sum(text.cell_len for text in shown) + len(SEPARATOR) * (len(shown) - 1)

        if width:
            # Shorten the field that matters least, a step at a time, until the line fits.
            for part_index in sorted(range(len(parts)), key=lambda i: -parts[i].keep):
                while length() > width and chosen[part_index] < len(parts[part_index].forms) - 1:
                    chosen[part_index] += 1
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for part, form in zip(parts, chosen):
            piece = part.forms[form]
            if piece.cell_len:
                if text:
                    text.append(SEPARATOR)
                text.append(piece)
        return text

    def on_mount(self) -> None:
        self.update(self._text())

    def on_resize(self) -> None:
        self.update(self._text())
