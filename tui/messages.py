"""Messages that widgets post to their screen.

Widgets say what happened; screens decide what it means and talk to the
store. Tests can assert on these with ``run_test(message_hook=...)``.
"""

from __future__ import annotations

from textual.message import Message


class CursorMoved(Message):
    """The document cursor or selection changed."""

    def __init__(self, cursor: int, selection: tuple[int, int] | None) -> None:
        super().__init__()
        self.cursor = cursor
        self.selection = selection


class SearchChanged(Message):
    """The search text changed (search as you type)."""

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query


class SearchNext(Message):
    """Go to the next match of the current search."""


class SearchClosed(Message):
    """The search bar closed; the cursor stays where the search left it."""


class ArticleChosen(Message):
    """Open this article."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class PageWanted(Message):
    """A list reached the end of the rows it holds: load the next (1),
    previous (-1), first (0, with ``last`` False) or last page."""

    def __init__(self, direction: int, *, last: bool = False) -> None:
        super().__init__()
        self.direction = direction
        self.last = last


class ArticleOpened(Message):
    """The annotate screen shows a new article (its text and spans are loaded)."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class SpansChanged(Message):
    """The spans shown for the article changed: after a tag, an edit, an undo
    or a reload. Side panels (such as a matches panel) listen for this."""

    def __init__(self, article_id: str, changed_span_id: str | None) -> None:
        super().__init__()
        self.article_id = article_id
        self.changed_span_id = changed_span_id


class DatabaseChanged(Message):
    """Someone (another annotator, another terminal) committed a change to the database."""
