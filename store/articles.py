"""Reading articles: one by one, or a page at a time for lists of any size."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from store.models import Article, ArticleSummary

_SUMMARY = (
    "SELECT a.rowid AS rowid, a.id, o.name AS outlet, a.title, a.length, a.url, a.published"
    " FROM articles a JOIN outlets o ON o.id = a.outlet_id"
)


class ArticleStore:
    """Articles by id, by position and by page; pages are keyed by rowid, so
    the millionth page costs what the first does."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, article_id: str) -> Article | None:
        """The article with its text, or None."""
        rows = list(
            self.db.query(
                "SELECT a.rowid AS rowid, a.*, o.name AS outlet FROM articles a"
                " JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?",
                [article_id],
            )
        )
        if not rows:
            return None
        row = rows[0]
        row["metadata"] = json.loads(row["metadata"] or "{}")
        return Article(**row)

    def _where(self, outlet: str | None, title_contains: str | None) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if outlet:
            clauses.append("o.name = ?")
            params.append(outlet)
        if title_contains:
            escaped = title_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            if len(title_contains) >= 3:
                # The trigram index answers substring searches of three or more characters.
                clauses.append("a.rowid IN (SELECT rowid FROM article_titles WHERE title LIKE ? ESCAPE '\\')")
            else:
                clauses.append("a.title LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def page(
        self, *, after_rowid: int = 0, limit: int = 100, outlet: str | None = None, title_contains: str | None = None
    ) -> list[ArticleSummary]:
        """Up to ``limit`` articles after ``after_rowid`` in ingest order."""
        where, params = self._where(outlet, title_contains)
        where = (where + " AND" if where else " WHERE") + " a.rowid > ?"
        sql = f"{_SUMMARY}{where} ORDER BY a.rowid LIMIT ?"
        return [ArticleSummary(**r) for r in self.db.query(sql, [*params, after_rowid, limit])]

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
