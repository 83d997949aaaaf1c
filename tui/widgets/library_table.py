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

# Each column but the title is as wide as what it holds on the page (its
# header at least, the cap at most); the title takes the rest.
COLUMNS = (("Outlet", 16), ("Title", None), ("Length", 9), ("Mine", 5), ("Status", 14), ("Open by", 8))
OPEN_BY = "open by"
MIN_TITLE = 10
# Below this many cells for the title, the outlet gives up some of its width (down to MIN_OUTLET).
ROOMY_TITLE = 32
MIN_OUTLET = 10
# Columns left out while no row of the page has anything in them.
HIDE_EMPTY = ("Mine", "Open by")


def open_by_text(names: list[str]) -> Text:
    """``bea``, or ``bea +2`` when more have it open."""
    if not names:
        return Text("")
    more = f" +{len(names) - 1}" if len(names) > 1 else ""
    text = plain(names[0])
    text.truncate(max(1, (COLUMNS[-1][1] or 8) - len(more)), overflow="ellipsis")
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
        self._widths: tuple[int, ...] = ()

    def on_mount(self) -> None:
        self._set_columns([len(name) for name, _ in COLUMNS])

    def on_resize(self) -> None:
        if self.rows_shown:
            row = self.cursor_row
            self.show_rows(self.rows_shown, self.open_by)
            self.move_cursor(row=row, animate=False)

    def _set_columns(self, widths: list[int]) -> None:
        """Lay the columns out again when the widths change (after ``clear``)."""
        if tuple(widths) == self._widths:
            return
        self._widths = tuple(widths)
        self.clear(columns=True)
        for (name, _), width in zip(COLUMNS, widths):
            if width:
                self.add_column(name, width=width, key=name.lower())

    def _cells(self, row: LibraryRow, open_by: dict[str, list[str]]) -> list[Text]:
        return [
            plain(row.outlet),
            plain(row.title),
            Text(f"{row.length:,}", justify="right"),
            Text(str(row.my_spans) if row.my_spans else "", justify="right"),
            Text(row.status, style="bold" if row.mine == "done" else ""),
            open_by_text(open_by.get(row.id, [])),
        ]

    def show_rows(self, rows: list[LibraryRow], open_by: dict[str, list[str]], *, cursor_at_end: bool = False) -> None:
        """Replace the rows shown by one page; ``open_by`` maps article ids to
        the other annotators who have them open."""
        self.rows_shown, self.open_by = rows, open_by
        self.clear()
        cells = [self._cells(row, open_by) for row in rows]
        widths = [0] * len(COLUMNS)
        for row_cells in cells:
            for index, cell in enumerate(row_cells):
                widths[index] = max(widths[index], cell.cell_len)
        for index, (name, cap) in enumerate(COLUMNS):
            if widths[index] or name not in HIDE_EMPTY:
                widths[index] = max(widths[index], len(name))
            if cap is not None:
                widths[index] = min(widths[index], cap)
        title, outlet = COLUMNS.index(("Title", None)), 0
        # Two cells of padding a column, and room for the scrollbar when the rows overflow.
        scrollbar = 2 if len(rows) > max(0, self.size.height - 1) else 0
        shown = sum(1 for width in widths if width)
        rest = self.size.width - sum(w for i, w in enumerate(widths) if i != title) - shown * 2 - scrollbar
        if rest < min(ROOMY_TITLE, widths[title]) and widths[outlet] > MIN_OUTLET:
            give = min(widths[outlet] - MIN_OUTLET, min(ROOMY_TITLE, widths[title]) - rest)
            widths[outlet] -= give
            rest += give
        widths[title] = max(MIN_TITLE, min(widths[title], rest))
        self._set_columns(widths)
        for row, row_cells in zip(rows, cells):
            for index, cell in enumerate(row_cells):
                cell.truncate(widths[index], overflow="ellipsis")
            self.add_row(*[cell for cell, width in zip(row_cells, widths) if width], key=row.id)
        if rows:
            self.move_cursor(row=len(rows) - 1 if cursor_at_end else 0, animate=False)

    def set_open_by(self, open_by: dict[str, list[str]]) -> None:
        """Who else has which article open now: only the cells that changed are redrawn."""
        shown = {row.id for row in self.rows_shown}
        needed = max((open_by_text(names).cell_len for names in open_by.values()), default=0)
        if needed > self._widths[-1]:  # a longer name than the column holds: lay the page out again
            row = self.cursor_row
            self.show_rows(self.rows_shown, open_by)
            self.move_cursor(row=row, animate=False)
            return
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
