"""Where each annotator is: which articles they opened or finished, and
their cursor in each — so the app can resume, and the library can show
status without reading every article.

Rows live in the ``progress`` table, one per (article, annotator), status
``open`` or ``done``. Every change is committed at once.
"""

from __future__ import annotations

from typing import Any, Literal

from store.sqlite import sqlite_utils
from pydantic import BaseModel

from store import events
from store.articles import ArticleStore
from store.db import write

LibraryStatus = Literal["new", "in progress", "done by me", "done by others"]
LIBRARY_STATUSES: tuple[LibraryStatus, ...] = ("new", "in progress", "done by me", "done by others")


class ArticleProgress(BaseModel):
    """One annotator's place in one article."""

    article_id: str
    annotator: str
    status: Literal["open", "done"]
    cursor: int
    updated_at: str


class LibraryRow(BaseModel):
    """One line of the library: an article and where this annotator stands with it
    (``seq``: its place in ingest order, the key pages are read by)."""

    seq: int
    id: str
    outlet: str
    title: str
    length: int
    my_spans: int
    mine: Literal["open", "done"] | None
    done_by_others: int

    @property
    def status(self) -> str:
        """What the library shows: new, in progress, done by me, or done by N others."""
        if self.mine == "done":
            return "done by me"
        if self.mine == "open":
            return "in progress"
        if self.done_by_others:
            return f"done by {self.done_by_others} other{'s' if self.done_by_others > 1 else ''}"
        return "new"


# SQL conditions for each library status filter; ``?`` is the annotator.
_MINE = "(SELECT p.status FROM progress p WHERE p.article_id = a.id AND p.annotator = ?)"
_OTHERS_DONE = (
    "(SELECT count(*) FROM progress p WHERE p.article_id = a.id AND p.annotator != ? AND p.status = 'done')"
)
_STATUS_FILTERS: dict[str, tuple[str, int]] = {
    # status: (condition, how many annotator parameters it takes)
    "new": (f"{_MINE} IS NULL AND {_OTHERS_DONE} = 0", 2),
    "in progress": (f"{_MINE} = 'open'", 1),
    "done by me": (f"{_MINE} = 'done'", 1),
    "done by others": (f"coalesce({_MINE}, '') != 'done' AND {_OTHERS_DONE} > 0", 2),
}
_LIBRARY_COLUMNS = (
    "SELECT a.rowid AS seq, a.id, o.name AS outlet, a.title, a.length,"
    " (SELECT count(*) FROM spans s WHERE s.annotator = ? AND s.article_id = a.id AND s.status = 'accepted') AS my_spans,"
    f" {_MINE} AS mine, {_OTHERS_DONE} AS done_by_others"
    " FROM articles a JOIN outlets o ON o.id = a.outlet_id"
)


class ProgressStore:
    """Per-annotator article status (open or done) and cursor position."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, article_id: str, annotator: str) -> ArticleProgress | None:
        """This annotator's progress in the article, or None if never opened."""
        rows = list(self.db.query("SELECT * FROM progress WHERE article_id = ? AND annotator = ?", [article_id, annotator]))
        return ArticleProgress(**rows[0]) if rows else None

    def open(self, article_id: str, annotator: str) -> ArticleProgress:
        """Record that the annotator opened the article (a finished one stays done)."""
        with write(self.db):
            self.db.execute(
                "INSERT INTO progress (article_id, annotator, status, cursor, updated_at) VALUES (?, ?, 'open', 0, ?)"
                " ON CONFLICT (article_id, annotator) DO UPDATE SET updated_at = excluded.updated_at",
                [article_id, annotator, events.now()],
            )
        progress = self.get(article_id, annotator)
        assert progress is not None
        return progress

    def save_cursor(self, article_id: str, annotator: str, cursor: int) -> None:
        """Remember where the annotator's cursor is in the article."""
        with write(self.db):
            self.db.execute(
                "INSERT INTO progress (article_id, annotator, status, cursor, updated_at) VALUES (?, ?, 'open', ?, ?)"
                " ON CONFLICT (article_id, annotator) DO UPDATE SET cursor = excluded.cursor,"
                " updated_at = excluded.updated_at",
                [article_id, annotator, max(0, cursor), events.now()],
            )

    def mark_done(self, article_id: str, annotator: str, cursor: int = 0) -> None:
        """The annotator finished the article."""
        with write(self.db):
            self.db.execute(
                "INSERT INTO progress (article_id, annotator, status, cursor, updated_at) VALUES (?, ?, 'done', ?, ?)"
                " ON CONFLICT (article_id, annotator) DO UPDATE SET status = 'done', cursor = excluded.cursor,"
                " updated_at = excluded.updated_at",
                [article_id, annotator, max(0, cursor), events.now()],
            )

    def resume(self, annotator: str) -> ArticleProgress | None:
        """The article this annotator was last working on and did not finish, if any."""
        rows = list(
            self.db.query(
                "SELECT * FROM progress WHERE annotator = ? ORDER BY updated_at DESC LIMIT 1", [annotator]
            )
        )
        if not rows or rows[0]["status"] != "open":
            return None
        return ArticleProgress(**rows[0])

    def library_page(
        self,
        annotator: str,
        *,
        after: int | None = None,
        before: int | None = None,
        starting_at: int | None = None,
        limit: int = 100,
        outlet: str | None = None,
        title_contains: str | None = None,
        status: LibraryStatus | None = None,
    ) -> list[LibraryRow]:
        """Up to ``limit`` library rows in ingest order, after the row whose ``seq``
        is ``after`` (or from ``starting_at`` on; or, with ``before``, the ones just
        before it; with none the first page). Keyset paging: any page costs what
        the first does."""
        where, params = ArticleStore(self.db).filter_clause(outlet=outlet, title_contains=title_contains)
        clauses = [where] if where else []
        if status:
            condition, count = _STATUS_FILTERS[status]
            clauses.append(condition)
            params += [annotator] * count
        backwards = before is not None
        if backwards:
            clauses.append("a.rowid < ?")
            params.append(before)
        elif starting_at is not None:
            clauses.append("a.rowid >= ?")
            params.append(starting_at)
        else:
            clauses.append("a.rowid > ?")
            params.append(after or 0)
        order = "DESC" if backwards else "ASC"
        sql = f"{_LIBRARY_COLUMNS} WHERE {' AND '.join(clauses)} ORDER BY a.rowid {order} LIMIT ?"
        rows = [LibraryRow(**r) for r in self.db.query(sql, [annotator, annotator, annotator, *params, limit])]
        return rows[::-1] if backwards else rows

    def last_page(self, annotator: str, *, limit: int = 100, **filters: Any) -> list[LibraryRow]:
        """The last ``limit`` library rows (the end of the list)."""
        return self.library_page(annotator, before=2**62, limit=limit, **filters)

    def counts(self, annotator: str) -> dict[str, int]:
        """How many articles there are, and how many this annotator has open and done."""
        total = self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        mine = dict(
            self.db.execute(
                "SELECT status, count(*) FROM progress WHERE annotator = ? GROUP BY status", [annotator]
            ).fetchall()
        )
        return {"articles": total, "in progress": mine.get("open", 0), "done by me": mine.get("done", 0)}
