"""Fixing an article's title and outlet from the library: a two-field form."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label as LabelWidget

from tui.bindings import ARTICLE_DETAILS
from tui.safe_text import visible


class ArticleDetailsScreen(ModalScreen[tuple[str, str] | None]):
    """Title and outlet of one article; Enter or the save key returns ``(title, outlet)``, Esc nothing."""

    BINDINGS = ARTICLE_DETAILS
    DEFAULT_CSS = """
    ArticleDetailsScreen { align: center middle; }
    ArticleDetailsScreen > Vertical { width: 70; height: auto; border: round $primary; background: $panel; padding: 0 1; }
    """

    def __init__(self, article_id: str, title: str, outlet: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.old = (title, outlet)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield LabelWidget(Text("Article ", style="bold") + Text(visible(self.article_id, keep_newlines=False)))
            for name, value in zip(("title", "outlet"), self.old):
                yield LabelWidget(Text(name))
                field = Input(visible(value, keep_newlines=False), id=f"details-{name}")
                field.cursor_blink = False
                yield field
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        title, outlet = (" ".join(self.query_one(f"#details-{n}", Input).value.split()) for n in ("title", "outlet"))
        if not title or not outlet:
            self.notify("a title and an outlet cannot be empty", severity="warning")
            return
        self.dismiss((title, outlet))

    def action_cancel(self) -> None:
        self.dismiss(None)
