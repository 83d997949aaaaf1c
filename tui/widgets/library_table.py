"""The library's table: one page of articles at a time.

The table holds one page (a few hundred rows, read by keyset from SQLite);
moving past its first or last row asks the screen for the page beyond, so
a million-article database costs what a ten-article one does. The "Open by"
column names the other annotators who have an article open right now; the
screen refreshes it on its own, cell by cell.
"""

from __future__ import annotations

from rich.text import Text
from typing import TYPE_CHECKING

from textual.widgets import DataTable

from tui.bindings import LIBRARY_TABLE
from tui.messages import ArticleChosen, PageWanted
from tui.safe_text import plain

if TYPE_CHECKING:
    from store.progress import LibraryRow

COLUMNS = (("Outlet", 14), ("Title", None), ("Length", 7), ("Mine", 4), ("Status", 16), ("Open by", 8))
OPEN_BY = "open by"


def open_by_text(names: list[str]) -> Text:
    """``bea``, or ``bea +2`` when more have it open."""
    if not names:
        return Text("")
    more = f" +{len(names) - 1}" if len(names) > 1 else ""
    text = plain(names[0])
    text.truncate(max(1, COLUMNS[-1][1] - len(more)), overflow="ellipsis")
    text.append(more)
    return text


class LibraryTable(DataTable, inherit_bindings=False):
    """Articles: outlet, title, length, my spans, status, who else has it open."""

    BINDINGS = LIBRARY_TABLE
    DEFAULT_CSS = """
    LibraryTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cursor_foreground_priority="renderable")
        self.rows_shown: list[LibraryRow] = []
        self.open_by: dict[str, list[str]] = {}

    def on_mount(self) -> None:
        for name, width in COLUMNS:
            self.add_column(name, width=width, key=name.lower())

    def on_resize(self) -> None:
        if self.rows_shown:
            row = self.cursor_row
            self.show_rows(self.rows_shown, self.open_by)
            self.move_cursor(row=row, animate=False)

    def _title_width(self) -> int:
        fixed = sum(width for _, width in COLUMNS if width) + len(COLUMNS) * 2 + 2
        return max(10, self.size.width - fixed)

    def show_rows(self, rows: list[LibraryRow], open_by: dict[str, list[str]], *, cursor_at_end: bool = False) -> None:
        """Replace the rows shown by one page; ``open_by`` maps article ids to
        the other annotators who have them open."""
        self.rows_shown, self.open_by = rows, open_by
        self.clear()
        title_width = self._title_width()
        for row in rows:
            title = plain(row.title)
            title.truncate(title_width, overflow="ellipsis")
            self.add_row(
                plain(row.outlet),
                title,
                Text(f"{row.length:,}", justify="right"),
                Text(str(row.my_spans) if row.my_spans else "", justify="right"),
                Text(row.status, style="bold" if row.mine == "done" else ""),
                open_by_text(open_by.get(row.id, [])),
                key=row.id,
            )
        if rows:
            self.move_cursor(row=len(rows) - 1 if cursor_at_end else 0, animate=False)

    def set_open_by(self, open_by: dict[str, list[str]]) -> None:
        """Who else has which article open now: only the cells that changed are redrawn."""
        shown = {row.id for row in self.rows_shown}
        for article_id in shown & (set(open_by) | set(self.open_by)):
            names = open_by.get(article_id, [])
            if names != self.open_by.get(article_id, []):
                self.update_cell(article_id, OPEN_BY, open_by_text(names))
        self.open_by = open_by

    @property
    def current(self) -> LibraryRow | None:
        """The article under the cursor."""
        if not self.rows_shown or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]

    def action_cursor_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            self.post_message(PageWanted(1))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(PageWanted(-1))
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            self.post_message(PageWanted(1))
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(PageWanted(-1))
        else:
            super().action_page_up()

    def action_first(self) -> None:
        self.post_message(PageWanted(0))

    def action_last(self) -> None:
        self.post_message(PageWanted(0, last=True))

    def action_open(self) -> None:
        if (row := self.current) is not None:
            self.post_message(ArticleChosen(row.id))
