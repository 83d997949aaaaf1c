"""Putting read articles into the database, a batch per transaction.

The same text again (same SHA-256) is skipped and counted; the same id with
different text is rejected, never overwritten. Imported annotations are
stored as spans of origin ``imported`` with an event each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from store.sqlite import sqlite_utils

from corpus.records import ArticleRecord, Rejection
from corpus.plural import counted
from store import events
from store.db import write
from store.models import Span
from store.spans import insert_spans
from store.suggestions import SuggestionStore

BATCH_SIZE = 2000
_SQL_PARAMS = 900  # below SQLite's default limit on host parameters


@dataclass
class IngestReport:
    """What an ingest did."""

    ingested: int = 0
    duplicates: int = 0
    spans: int = 0
    suggestions: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the end of the command."""
        spans = f", {counted(self.spans, 'imported span')}" if self.spans else ""
        return (
            f"ingested {counted(self.ingested, 'article')}{spans}, skipped {self.duplicates:,} as duplicates, "
            f"rejected {len(self.rejected):,}"
        ) + (f"; {counted(self.suggestions, 'suggestion')} made" if self.suggestions else "")


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _lookup(db: sqlite_utils.Database, sql: str, keys: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in _batches(keys, _SQL_PARAMS):
        found.update(db.execute(sql.format(marks=", ".join("?" * len(chunk))), chunk).fetchall())
    return found


class Ingester:
    """Stores records batch by batch; one instance per ingest run."""

    def __init__(
        self, db: sqlite_utils.Database, on_batch: Callable[[IngestReport], None] | None = None, *, suggest: bool = False
    ) -> None:
        """``suggest`` runs the suggesters over each new article once it is stored."""
        self.db = db
        self.suggestions = SuggestionStore(db) if suggest else None
        self.report = IngestReport()
        self.on_batch = on_batch
        self._outlets = dict(db.execute("SELECT name, id FROM outlets").fetchall())
        self._labels = {r[0] for r in db.execute("SELECT name FROM labels")}

    def run(self, items: Iterable[ArticleRecord | Rejection], batch_size: int = BATCH_SIZE) -> IngestReport:
        """Store every record; rejections are counted and kept for the report."""
        for batch in _batches(items, batch_size):
            records = []
            for item in batch:
                if isinstance(item, Rejection):
                    self.report.rejected.append(item)
                else:
                    records.append(item)
            if records:
                with write(self.db):
                    stored = self._store(records)
                if self.suggestions:
                    self.report.suggestions += self.suggestions.suggest_articles(stored)
            if self.on_batch:
                self.on_batch(self.report)
        return self.report

    def _outlet_id(self, name: str) -> int:
        if name not in self._outlets:
            self._outlets[name] = self.db.execute("INSERT INTO outlets (name) VALUES (?)", [name]).lastrowid
        return self._outlets[name]

    def _store(self, records: list[ArticleRecord]) -> list[tuple[str, str]]:
        """Store a batch; returns the ``(id, text)`` of the articles that are new."""
        hashes = [r.sha256 for r in records]
        known_hashes = _lookup(self.db, "SELECT hash, id FROM articles WHERE hash IN ({marks})", hashes)
        ids = [r.id or f"a-{h[:16]}" for r, h in zip(records, hashes)]
        known_ids = _lookup(self.db, "SELECT id, hash FROM articles WHERE id IN ({marks})", ids)
        stamp = events.now()
        rows, spans = [], []
        for record, digest, article_id in zip(records, hashes, ids):
            if digest in known_hashes:
                self.report.duplicates += 1
                continue
            if article_id in known_ids:
                self.report.rejected.append(
                    Rejection(source=record.source, message=f"id {article_id!r} is already stored with different text")
                )
                continue
            unknown = sorted({s.label for s in record.spans} - self._labels)
            if unknown:
                self.report.rejected.append(
                    Rejection(
                        source=record.source,
                        message=f"unknown label {unknown[0]!r} in spans (add it first: claimdesk labels add {unknown[0]} KEY)",
                    )
                )
                continue
            known_hashes[digest] = article_id
            known_ids[article_id] = digest
            rows.append(
                (article_id, self._outlet_id(record.outlet or "unknown"), record.title, record.url, record.published,
                 digest, len(record.text), json.dumps(record.metadata, ensure_ascii=False, default=str),
                 record.source, stamp, record.text)
            )
            spans.extend(self._imported(record, article_id, stamp))
        self.db.conn.executemany(
            "INSERT INTO articles (id, outlet_id, title, url, published, hash, length, metadata, source, ingested_at, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        insert_spans(self.db, spans)
        self.report.ingested += len(rows)
        self.report.spans += len(spans)
        return [(row[0], row[-1]) for row in rows]

    def _imported(self, record: ArticleRecord, article_id: str, stamp: str) -> Iterator[Span]:
        for imported in record.spans:
            yield Span(
                id=events.new_id(), article_id=article_id, start=imported.start, end=imported.end,
                label=imported.label, text=record.text[imported.start : imported.end],
                annotator=imported.annotator or record.annotator or "imported", origin="imported",
                status="accepted", attrs=imported.attrs, created_at=stamp, updated_at=stamp,
            )
