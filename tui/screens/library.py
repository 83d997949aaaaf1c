"""The library: the start screen, a table of articles paged from SQLite.

Who else has each article open is read again every few seconds in the
reader thread (one small query over the live soft locks), and only the
cells that changed are redrawn, so an idle library sends nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Static

from tui.display_hold import DisplayHold
from tui.bindings import LIBRARY
from tui.messages import ArticleChosen, DatabaseChanged, PageWanted
from tui.safe_text import visible
from tui.widgets.key_footer import FooterItem, KeyFooter
from tui.widgets.library_table import LibraryTable

if TYPE_CHECKING:
    from store.progress import LibraryRow
    from tui.app import ClaimdeskApp

PAGE_SIZE = 200
SEARCH_DELAY_S = 0.15
# Who has which article open follows others' changes as they commit (DatabaseChanged);
# this reads it again now and then only because a lock also ends by going idle.
OPEN_BY_EVERY_S = 30.0

EMPTY_HELP = """\
There are no articles yet in
{path}

Add some with

    claimdesk ingest PATH... --db {path}

(text, Markdown, HTML, JSONL or CSV files, or folders of them), or try the
ready-made demo corpus with

    claimdesk demo

Press {quit} to quit."""


def open_by_others(store, me: str) -> dict[str, list[str]]:
    """Article id to the annotators other than ``me`` who have it open now."""
    holders = store.assignment.open_now()
    return {article: others for article, names in holders.items() if (others := [n for n in names if n != me])}


class LibraryScreen(Screen):
    """Articles with their outlet, length, my spans and status; filters; search."""

    BINDINGS = LIBRARY
    DEFAULT_CSS = """
    LibraryScreen #library-header { height: 1; background: $panel; padding: 0 1; }
    LibraryScreen #library-search { display: none; height: 1; border: none; padding: 0 1; }
    LibraryScreen #library-search.-open { display: block; }
    LibraryScreen #library-empty { display: none; padding: 1 2; }
    LibraryScreen.-empty #library-empty { display: block; }
    LibraryScreen.-empty LibraryTable { display: none; }
    """
    AUTO_FOCUS = "LibraryTable"

    app: ClaimdeskApp

    def __init__(self) -> None:
        super().__init__()
        self.outlet: str | None = None
        self.status: str | None = None
        self.title_query = ""
        self.outlets: list[str] = []
        self.total = 0
        self.counts: dict[str, int] = {}
        self._search_timer = None
        self._reading_open_by = False
        self._open_by_again = False  # a change came while the last read was under way

    def compose(self) -> ComposeResult:
        yield Static(Text("claimdesk library", style="bold"), id="library-header")
        search = Input(placeholder="search titles", id="library-search", select_on_focus=False)
        search.cursor_blink = False
        yield search
        yield LibraryTable(id="library-table")
        yield Static(id="library-empty")
        yield KeyFooter(id="footer")

    def footer_items(self) -> list[FooterItem]:
        """The footer, most important first (Esc here only clears filters: the library is the top)."""
        filtered = bool(self.outlet or self.status or self.title_query)
        return [
            FooterItem((("library.open", "open"),)),
            FooterItem((("library.search", "search"),)),
            FooterItem((("library.filter-outlet", "outlet"), ("library.filter-status", "status")), group="filter"),
            *([FooterItem((("library.clear-filters", "clear filters"),))] if filtered else []),
            FooterItem((("library.next-unfinished", "next unfinished"),), extra=True),
            # Not extra: in an article ctrl+r is redo, so the library is where these must be seen.
            FooterItem((("library.review-queue", "review"), ("library.stats", "stats")), group="team"),
            FooterItem((("app.claims", "claims"),), extra=True),
            FooterItem((("app.help", "more"),), end=True),
            FooterItem((("app.quit", "quit"),), end=True),
        ]

    @property
    def table(self) -> LibraryTable:
        return self.query_one(LibraryTable)

    def on_mount(self) -> None:
        self.app.run_job(self.app.reader, lambda store: store.articles.outlets(), self._got_outlets,
                         on_error=lambda error: None, owner=self)  # no database: the empty page says what to do
        self.set_interval(OPEN_BY_EVERY_S, self.refresh_open_by)

    def on_screen_resume(self) -> None:
        # First shown, or back from an article whose status and span count may have changed.
        current = self.table.current
        # Back from an article, Textual repaints the screen in full, twice, before the page is read: hold
        # it all for one frame. Not on the first showing: the first frame must not wait for the store.
        self.load_page(starting_at=current.seq if current else None, keep=current.id if current else None,
                       hold=DisplayHold(self.app) if current else None)

    def _got_outlets(self, outlets: list[str]) -> None:
        self.outlets = outlets

    # Loading pages ------------------------------------------------------------

    def _filters(self) -> dict:
        return {"outlet": self.outlet, "title_contains": self.title_query or None, "status": self.status}

    def load_page(self, *, after: int | None = None, before: int | None = None, starting_at: int | None = None,
                  last: bool = False,
                  keep: str | None = None, hold: DisplayHold | None = None) -> None:
        """Read a page of rows in the reader thread, then show it (and release ``hold``)."""
        annotator, filters = self.app.annotator, self._filters()

        def job(store) -> tuple[list[LibraryRow], dict[str, int], dict[str, list[str]]]:
            progress = store.progress
            if last:
                rows = progress.last_page(annotator, limit=PAGE_SIZE, **filters)
            else:
                rows = progress.library_page(annotator, after=after, before=before, starting_at=starting_at,
                                             limit=PAGE_SIZE, **filters)
            return rows, progress.counts(annotator), open_by_others(store, annotator)

        def show(result: tuple[list[LibraryRow], dict[str, int], dict[str, list[str]]]) -> None:
            try:
                show_page(result)
            finally:
                if hold is not None:
                    hold.release()

        def show_page(result: tuple[list[LibraryRow], dict[str, int], dict[str, list[str]]]) -> None:
            rows, self.counts, open_by = result
            self.total = self.counts["articles"]
            if (after or before) and not rows and not keep:
                return  # already at the first or last page
            self.table.show_rows(rows, open_by, cursor_at_end=last or before is not None)
            if keep is not None:
                for index, row in enumerate(rows):
                    if row.id == keep:
                        self.table.move_cursor(row=index, animate=False)
            self._show_header()

        def failed(error: Exception) -> None:
            try:
                self._show_error(error)
            finally:
                if hold is not None:
                    hold.release()

        self.app.run_job(self.app.reader, job, show, on_error=failed, owner=self)

    def refresh_open_by(self) -> None:
        """Read again who else has which article open (while the library is shown)."""
        if not self.is_current or not self.table.rows_shown:
            return
        if self._reading_open_by:
            self._open_by_again = True
            return
        self._reading_open_by = True
        me = self.app.annotator

        def show(open_by: dict[str, list[str]]) -> None:
            self._reading_open_by = False
            self.table.set_open_by(open_by)
            if self._open_by_again:
                self._open_by_again = False
                self.refresh_open_by()

        def failed(error: Exception) -> None:
            self._reading_open_by = False

        self.app.run_job(self.app.reader, lambda store: open_by_others(store, me), show, on_error=failed, owner=self)

    def on_database_changed(self, event: DatabaseChanged) -> None:
        self.refresh_open_by()

    def _show_error(self, error: Exception) -> None:
        self.total = 0
        self._show_header()

    def _show_header(self) -> None:
        empty = self.total == 0
        self.set_class(empty, "-empty")
        if empty:
            quit_key = ", ".join(self.app.keymap.keys_of("app.quit")) or "ctrl+q"
            self.query_one("#library-empty", Static).update(
                Text(EMPTY_HELP.format(path=visible(self.app.db_shown, keep_newlines=False), quit=quit_key))
            )
        header = Text(no_wrap=True, overflow="ellipsis", end="")
        header.append("claimdesk library", "bold")
        header.append(f" · {self.total:,} article{'s' if self.total != 1 else ''}")
        for status in ("in progress", "done by me"):
            if self.counts.get(status):
                header.append(f" · {self.counts[status]:,} {status}")
        for name, value in (("outlet", self.outlet), ("status", self.status), ("title", self.title_query)):
            if value:
                header.append(f" · {name}: ")
                header.append(visible(value, keep_newlines=False), "italic")
        self.query_one("#library-header", Static).update(header)
        self.query_one(KeyFooter).refresh()  # clear-filters shows while a filter is on

    @on(PageWanted)
    def turn_page(self, event: PageWanted) -> None:
        rows = self.table.rows_shown
        if event.direction == 0:
            self.load_page(last=event.last)
        elif rows and event.direction > 0:
            self.load_page(after=rows[-1].seq)
        elif rows and event.direction < 0:
            self.load_page(before=rows[0].seq)

    @on(ArticleChosen)
    def open_article(self, event: ArticleChosen) -> None:
        self.app.open_article(event.article_id)

    # Filters and search -------------------------------------------------------

    def action_filter_outlet(self) -> None:
        """Show the next outlet only (cycling back to all)."""
        choices: list[str | None] = [None, *self.outlets]
        self.outlet = choices[(choices.index(self.outlet) + 1) % len(choices)] if self.outlet in choices else None
        self.load_page()

    def action_filter_status(self) -> None:
        """Show articles of the next status only (cycling back to all)."""
        from store.progress import LIBRARY_STATUSES  # loaded by the store threads by now

        choices: list[str | None] = [None, *LIBRARY_STATUSES]
        self.status = choices[(choices.index(self.status) + 1) % len(choices)]
        self.load_page()

    def action_clear_filters(self) -> None:
        search = self.query_one("#library-search", Input)
        search.remove_class("-open")
        search.value = ""
        self.outlet = self.status = None
        self.title_query = ""
        self.table.focus()
        self.load_page()

    def action_search(self) -> None:
        search = self.query_one("#library-search", Input)
        search.add_class("-open")
        search.focus()

    def action_next_unfinished(self) -> None:
        self.app.open_next_unfinished(None)

    def action_edit_details(self) -> None:
        """Fix the current article's title or outlet in a small form; saved at once, as an event."""
        from tui.screens.article_details import ArticleDetailsScreen

        row = self.table.current
        if row is None:
            return
        annotator = self.app.annotator

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None or result == (row.title, row.outlet):
                return
            title, outlet = result

            def saved(_article) -> None:
                self.app.notify("saved", timeout=2)
                self.app.run_job(self.app.reader, lambda store: store.articles.outlets(), self._got_outlets, owner=self)
                self.load_page(starting_at=row.seq, keep=row.id)

            self.app.run_job(
                self.app.writer,
                lambda store: store.articles.set_details(row.id, annotator, title=title, outlet=outlet),
                saved, owner=self,
            )

        self.app.push_screen(ArticleDetailsScreen(row.id, row.title, row.outlet), chosen)

    def on_key(self, event) -> None:
        # Typing a character nobody binds starts a title search with it. (Key
        # events reach handlers before the bindings of the screen are looked up.)
        search = self.query_one("#library-search", Input)
        if event.key in self.active_bindings:
            return
        if event.is_printable and event.character and not search.has_focus and self.table.has_focus:
            event.stop()
            self.action_search()
            search.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#library-search")
    def search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        query = event.value.strip()

        def apply() -> None:
            if query != self.title_query:
                self.title_query = query
                self.load_page()

        self._search_timer = self.set_timer(SEARCH_DELAY_S, apply)

    @on(Input.Submitted, "#library-search")
    def search_done(self, event: Input.Submitted) -> None:
        self.table.focus()
