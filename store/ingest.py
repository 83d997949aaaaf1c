"""Putting read articles into the database, a batch per transaction.

The same text again (same SHA-256) is skipped and counted; the same id with
different text is rejected, never overwritten. Imported annotations are
stored as spans of origin ``imported`` with an event each; spans that come
with an article already stored (the same text again, or a
:class:`~corpus.records.SpanRecord` naming it) are added to it, except those
it holds already (same place, label and annotator). A label the database
does not know yet is created (without a key) and listed in the summary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from store.sqlite import sqlite_utils

from corpus.records import ArticleRecord, ImportedSpan, Rejection, SpanRecord
from corpus.plural import counted
from store import events
from store.db import StoreError, write
from store.labels import LabelStore
from store.models import Span
from store.spans import insert_spans
from store.suggestions import SuggestionStore

BATCH_SIZE = 2000
_SQL_PARAMS = 900  # below SQLite's default limit on host parameters
# Colours for labels an import creates, in turn (the default labels use blue, purple and orange).
NEW_LABEL_COLOURS = ("#98c379", "#e06c75", "#56b6c2", "#e5c07b", "#61afef", "#be5046", "#a9b665", "#d3869b")


@dataclass
class IngestReport:
    """What an ingest did."""

    ingested: int = 0
    duplicates: int = 0
    spans: int = 0
    suggestions: int = 0
    added: int = 0  # imported spans added to articles stored before
    created_labels: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def summary(self, into: object = None) -> str:
        """One line for the end of the command (``into``: the database, named after the counts)."""
        spans = f", {counted(self.spans, 'imported span')}" if self.spans else ""
        return (
            f"ingested {counted(self.ingested, 'article')}{spans}, skipped {self.duplicates:,} as duplicates, "
            f"rejected {len(self.rejected):,}" + (f" into {into}" if into is not None else "")
        ) + (f"; {counted(self.suggestions, 'suggestion')} made" if self.suggestions else "") + (
            f"; {counted(self.added, 'imported span')} added to articles already stored" if self.added else ""
        ) + (f"; labels created: {', '.join(self.created_labels)}" if self.created_labels else "")


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

    def run(self, items: Iterable[ArticleRecord | SpanRecord | Rejection], batch_size: int = BATCH_SIZE) -> IngestReport:
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

    def _create_labels(self, record: ArticleRecord | SpanRecord) -> str | None:
        """Create the labels of the record's spans the database lacks; the reason when one cannot be."""
        for name in sorted({s.label for s in record.spans} - self._labels):
            colour = NEW_LABEL_COLOURS[len(self.report.created_labels) % len(NEW_LABEL_COLOURS)]
            try:
                LabelStore(self.db).add(name, None, colour)
            except StoreError as err:
                return f"label {name!r} cannot be created: {err}"
            self._labels.add(name)
            self.report.created_labels.append(name)
        return None

    def _existing(self, article_id: str) -> set[tuple]:
        return {tuple(row) for row in self.db.execute(
            "SELECT start, \"end\", label, annotator FROM spans WHERE article_id = ? AND status = 'accepted'",
            [article_id])}

    def _to_stored(self, article_id: str, text: str, spans: list[ImportedSpan], annotator: str | None,
                   stamp: str) -> list[Span]:
        """The imported spans an article already stored lacks, as new spans."""
        have = self._existing(article_id)
        new = []
        for imported in spans:
            who = imported.annotator or annotator or "imported"
            if (imported.start, imported.end, imported.label, who) in have:
                continue
            have.add((imported.start, imported.end, imported.label, who))
            new.append(Span(
                id=events.new_id(), article_id=article_id, start=imported.start, end=imported.end,
                label=imported.label, text=text[imported.start : imported.end], annotator=who, origin="imported",
                status="accepted", attrs=imported.attrs, created_at=stamp, updated_at=stamp,
            ))
        return new

    def _span_record(self, record: SpanRecord, stamp: str) -> list[Span]:
        row = self.db.execute("SELECT text FROM articles WHERE id = ?", [record.article_id]).fetchone()
        if row is None:
            self.report.rejected.append(Rejection(source=record.source, message=(
                f"article {record.article_id!r} is not in the database; this file holds spans, not article text: "
                "ingest the articles first (e.g. from a jsonl or parquet export)")))
            return []
        text = row[0]
        for span, claimed, source in zip(record.spans, record.texts, record.sources):
            if not 0 <= span.start < span.end <= len(text) or text[span.start : span.end] != claimed:
                self.report.rejected.append(Rejection(source=source, message=(
                    f"[{span.start}, {span.end}) of article {record.article_id!r} covers "
                    f"{text[span.start : span.end][:40]!r}, not {claimed[:40]!r} as the row says")))
                return []
        if why := self._create_labels(record):
            self.report.rejected.append(Rejection(source=record.source, message=why))
            return []
        return self._to_stored(record.article_id, text, record.spans, None, stamp)

    def _store(self, records: list[ArticleRecord | SpanRecord]) -> list[tuple[str, str]]:
        """Store a batch; returns the ``(id, text)`` of the articles that are new."""
        stamp = events.now()
        added: list[Span] = []
        span_records = [r for r in records if isinstance(r, SpanRecord)]
        records = [r for r in records if isinstance(r, ArticleRecord)]
        hashes = [r.sha256 for r in records]
        known_hashes = _lookup(self.db, "SELECT hash, id FROM articles WHERE hash IN ({marks})", hashes)
        ids = [r.id or f"a-{h[:16]}" for r, h in zip(records, hashes)]
        known_ids = _lookup(self.db, "SELECT id, hash FROM articles WHERE id IN ({marks})", ids)
        rows, spans, later = [], [], []
        for record, digest, article_id in zip(records, hashes, ids):
            if digest in known_hashes:
                self.report.duplicates += 1
                if record.spans:  # the same article again, with annotations: keep those it lacks
                    if why := self._create_labels(record):
                        self.report.rejected.append(Rejection(source=record.source, message=why))
                    else:
                        later.append(record)  # once this batch's articles and spans are in
                continue
            if article_id in known_ids:
                self.report.rejected.append(
                    Rejection(source=record.source, message=f"id {article_id!r} is already stored with different text")
                )
                continue
            if why := self._create_labels(record):
                self.report.rejected.append(Rejection(source=record.source, message=why))
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
        for record in later:
            new = self._to_stored(known_hashes[record.sha256], record.text, record.spans, record.annotator, stamp)
            insert_spans(self.db, new)
            added += new
        for span_record in span_records:
            new = self._span_record(span_record, stamp)
            insert_spans(self.db, new)
            added += new
        self.report.ingested += len(rows)
        self.report.spans += len(spans)
        self.report.added += len(added)
        return [(row[0], row[-1]) for row in rows]

    def _imported(self, record: ArticleRecord, article_id: str, stamp: str) -> Iterator[Span]:
        for imported in record.spans:
            yield Span(
                id=events.new_id(), article_id=article_id, start=imported.start, end=imported.end,
                label=imported.label, text=record.text[imported.start : imported.end],
                annotator=imported.annotator or record.annotator or "imported", origin="imported",
                status="accepted", attrs=imported.attrs, created_at=stamp, updated_at=stamp,
            )
