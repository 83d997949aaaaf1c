"""Reading articles: one by one, or a page at a time for lists of any size."""

from __future__ import annotations

import json
import re
from typing import Any

from store.sqlite import sqlite_utils

from store import events
from store.db import write
from store.errors import StoreError
from store.models import Article, ArticleSummary
from store.settings import read_int_setting, write_setting

# The highest rowid whose title is in the search index.
TITLE_INDEX_MARK = "title_index_rowid"
_WORDS = re.compile(r"\w+")

_SUMMARY = (
    "SELECT a.rowid AS seq, a.id, o.name AS outlet, a.title, a.length, a.url, a.published"
    " FROM articles a JOIN outlets o ON o.id = a.outlet_id"
)


class ArticleStore:
    """Articles by id, by position and by page; pages are keyed by rowid, so
    the millionth page costs what the first does. Title search matches the
    beginnings of words, every typed word in any order ("min def" finds
    "Minister defends ...")."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, article_id: str) -> Article | None:
        """The article with its text, or None."""
        rows = list(
            self.db.query(
                "SELECT a.rowid AS seq, a.*, o.name AS outlet FROM articles a"
                " JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?",
                [article_id],
            )
        )
        if not rows:
            return None
        row = rows[0]
        row["metadata"] = json.loads(row["metadata"] or "{}")
        return Article(**row)

    def index_titles(self, chunk: int = 20_000) -> int:
        """Bring the title search index up to date; returns how many titles it added.

        Articles are never removed and their titles change only through
        :meth:`set_details`, which mends the index itself, so indexing is
        append-only: everything above the highest indexed rowid is new. When nothing is
        new (every search but the first after an ingest) it reads two numbers
        and takes no write lock.
        """
        if self.db.dialect == "postgresql":
            return 0  # an expression index, which PostgreSQL keeps up to date itself
        newest = self.db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
        if read_int_setting(self.db, TITLE_INDEX_MARK, 0) >= newest:
            return 0
        added = 0
        while True:
            with write(self.db):
                start = read_int_setting(self.db, TITLE_INDEX_MARK, 0)
                top = self.db.execute(
                    "SELECT max(rowid), count(*) FROM (SELECT rowid FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?) AS chunk",
                    [start, chunk],
                ).fetchone()
                if not top[1]:
                    return added
                self.db.execute(
                    "INSERT INTO article_titles (rowid, title) SELECT rowid, title FROM articles WHERE rowid > ? AND rowid <= ?",
                    [start, top[0]],
                )
                write_setting(self.db, TITLE_INDEX_MARK, str(top[0]))  # joins this transaction
                added += top[1]

    def set_details(self, article_id: str, annotator: str, *, title: str | None = None, outlet: str | None = None) -> Article:
        """Change an article's title and/or outlet (a new outlet is added); the text
        never changes. Recorded as an event (action ``set-article``, the old and
        new values in ``before`` and ``after``) like every change. Returns the article."""
        if title is not None:
            title = " ".join(title.split())
            if not title:
                raise StoreError("a title cannot be empty")
        if outlet is not None:
            outlet = " ".join(outlet.split())
            if not outlet:
                raise StoreError("an outlet name cannot be empty")
        with write(self.db):
            row = self.db.execute(
                "SELECT a.rowid, a.title, o.name FROM articles a JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?",
                [article_id],
            ).fetchone()
            if row is None:
                raise StoreError(f"no article with id {article_id!r}")
            rowid, old_title, old_outlet = row
            before, after = {}, {}
            if title is not None and title != old_title:
                before["title"], after["title"] = old_title, title
                self.db.execute("UPDATE articles SET title = ? WHERE rowid = ?", [title, rowid])
                if self.db.dialect == "sqlite" and rowid <= read_int_setting(self.db, TITLE_INDEX_MARK, 0):
                    # already indexed: replace its words
                    self.db.execute(
                        "INSERT INTO article_titles (article_titles, rowid, title) VALUES ('delete', ?, ?)", [rowid, old_title]
                    )
                    self.db.execute("INSERT INTO article_titles (rowid, title) VALUES (?, ?)", [rowid, title])
            if outlet is not None and outlet != old_outlet:
                before["outlet"], after["outlet"] = old_outlet, outlet
                outlet_id = self.db.execute(
                    "INSERT INTO outlets (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name"
                    " RETURNING id",
                    [outlet],
                ).fetchone()[0]
                self.db.execute("UPDATE articles SET outlet_id = ? WHERE rowid = ?", [outlet_id, rowid])
            if after:
                events.record_article_change(self.db, annotator=annotator, article_id=article_id, before=before, after=after)
        article = self.get(article_id)
        assert article is not None
        return article

    def _where(self, outlet: str | None, title_contains: str | None) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if outlet:
            clauses.append("o.name = ?")
            params.append(outlet)
        words = _WORDS.findall(title_contains or "")
        if words:
            self.index_titles()
            if self.db.dialect == "postgresql":
                clauses.append("to_tsvector('simple', a.title) @@ to_tsquery('simple', ?)")
                params.append(" & ".join(f"{word}:*" for word in words))
            else:
                clauses.append("a.rowid IN (SELECT rowid FROM article_titles WHERE article_titles MATCH ?)")
                params.append(" AND ".join(f'"{word}"*' for word in words))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def filter_clause(self, *, outlet: str | None = None, title_contains: str | None = None) -> tuple[str, list[Any]]:
        """The SQL condition (over ``articles a JOIN outlets o``) and parameters that
        :meth:`page` and :meth:`count` use, for queries that add their own columns."""
        where, params = self._where(outlet, title_contains)
        return where.removeprefix(" WHERE "), params

    def page(
        self, *, after: int = 0, limit: int = 100, outlet: str | None = None, title_contains: str | None = None
    ) -> list[ArticleSummary]:
        """Up to ``limit`` articles in ingest order after the one whose ``seq`` is ``after``."""
        where, params = self._where(outlet, title_contains)
        where = (where + " AND" if where else " WHERE") + " a.rowid > ?"
        sql = f"{_SUMMARY}{where} ORDER BY a.rowid LIMIT ?"
        return [ArticleSummary(**r) for r in self.db.query(sql, [*params, after, limit])]

    def count(self, *, outlet: str | None = None, title_contains: str | None = None) -> int:
        """How many articles match."""
        where, params = self._where(outlet, title_contains)
        return self.db.execute(f"SELECT count(*) FROM articles a JOIN outlets o ON o.id = a.outlet_id{where}", params).fetchone()[0]

    def neighbour(self, article_id: str, step: int) -> ArticleSummary | None:
        """The next (``step`` 1) or previous (-1) article in ingest order."""
        op, order = (">", "ASC") if step > 0 else ("<", "DESC")
        rows = list(
            self.db.query(
                f"{_SUMMARY} WHERE a.rowid {op} (SELECT rowid FROM articles WHERE id = ?) ORDER BY a.rowid {order} LIMIT 1",
                [article_id],
            )
        )
        return ArticleSummary(**rows[0]) if rows else None

    def position(self, article_id: str) -> int:
        """The 1-based position of the article in ingest order."""
        return self.db.execute(
            "SELECT count(*) FROM articles WHERE rowid <= (SELECT rowid FROM articles WHERE id = ?)", [article_id]
        ).fetchone()[0]

    def outlets(self) -> list[str]:
        """Every outlet name, sorted."""
        return [r[0] for r in self.db.execute("SELECT name FROM outlets ORDER BY name")]
