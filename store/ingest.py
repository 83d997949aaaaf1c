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
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from store.sqlite import sqlite_utils

from corpus.records import ArticleRecord, ImportedSpan, Rejection, SpanRecord
from corpus.plural import counted
from store import events
from corpus.suggestions import Suggestion, suggest as run_suggesters
from store.db import StoreError, bulk_write
from store.labels import LabelStore
from store.models import Span
from store.spans import insert_spans
from store.suggestions import SuggestionStore

# Records read and prepared (hashed, suggestions computed) at a time, outside any lock.
BATCH_SIZE = 500
# Each write transaction stores as many prepared articles as fit in about this
# long; the count adapts to how long the last one took (suggestions per
# article and the disk vary), within [1, MAX_WRITE_ARTICLES].
WRITE_HOLD_S = 0.06
FIRST_WRITE_ARTICLES = 8
MAX_WRITE_ARTICLES = 400
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


@dataclass
class _Prepared:
    """A record made ready to store outside the write lock."""

    record: ArticleRecord
    digest: str
    article_id: str
    suggestions: list[Suggestion] = field(default_factory=list)


class Ingester:
    """Stores records batch by batch; one instance per ingest run.

    Reading, hashing and the suggesters run with no lock held; each write
    transaction then stores only a few articles (with their imported spans
    and suggestions), sized to last about :data:`WRITE_HOLD_S`, through
    :func:`store.db.bulk_write`, so an annotator's write never waits long.
    A killed ingest leaves whole articles only: each is stored in one
    transaction with its spans, suggestions and events.
    """

    def __init__(
        self, db: sqlite_utils.Database, on_batch: Callable[[IngestReport], None] | None = None, *, suggest: bool = False
    ) -> None:
        """``suggest`` runs the suggesters over each new article and stores their suggestions with it."""
        self.db = db
        self.suggestions = SuggestionStore(db) if suggest else None
        self.report = IngestReport()
        self.on_batch = on_batch
        self._outlets: dict[str, int] = {}
        self._labels = {r[0] for r in db.execute("SELECT name FROM labels")}
        self._write_size = FIRST_WRITE_ARTICLES

    def run(self, items: Iterable[ArticleRecord | SpanRecord | Rejection], batch_size: int = BATCH_SIZE) -> IngestReport:
        """Store every record; rejections are counted and kept for the report."""
        for batch in _batches(items, batch_size):
            records, span_records = [], []
            for item in batch:
                if isinstance(item, Rejection):
                    self.report.rejected.append(item)
                elif isinstance(item, SpanRecord):
                    span_records.append(item)
                else:
                    records.append(item)
            self._later: list[ArticleRecord] = []
            prepared = self._prepare(records)
            while prepared:
                chunk, prepared = prepared[: self._write_size], prepared[self._write_size :]
                self._write_chunk(chunk)
            if self._later or span_records:
                with bulk_write(self.db):
                    self._add_to_stored(self._later, span_records)
            if self.on_batch:
                self.on_batch(self.report)
        return self.report

    def _prepare(self, records: list[ArticleRecord]) -> list[_Prepared]:
        """Everything that needs no lock: ids, hashes, label checks, suggestions.

        Articles already stored (by hash) are counted as duplicates here so
        the suggesters do not run on them again; the write checks again under
        the lock, since another process may store the same text meanwhile.
        """
        hashes = [r.sha256 for r in records]
        known = _lookup(self.db, "SELECT hash, id FROM articles WHERE hash IN ({marks})", hashes)
        prepared = []
        for record, digest in zip(records, hashes):
            if why := self._create_labels(record):
                self.report.rejected.append(Rejection(source=record.source, message=why))
                continue
            if digest in known:
                self.report.duplicates += 1
                if record.spans:  # the same article again, with annotations: keep those it lacks
                    self._later.append(record)
                continue
            item = _Prepared(record=record, digest=digest, article_id=record.id or f"a-{digest[:16]}")
            if self.suggestions is not None:
                item.suggestions = [s for s in run_suggesters(record.text) if s.label in self._labels]
            prepared.append(item)
        return prepared

    def _create_labels(self, record: ArticleRecord | SpanRecord) -> str | None:
        """Create the labels of the record's spans the database lacks; the reason when one cannot be."""
        for name in sorted({s.label for s in record.spans} - self._labels):
            colour = NEW_LABEL_COLOURS[len(self.report.created_labels) % len(NEW_LABEL_COLOURS)]
            try:
                if LabelStore(self.db).add_missing(name, colour):  # another process may have added it meanwhile
                    self.report.created_labels.append(name)
            except StoreError as err:
                return f"label {name!r} cannot be created: {err}"
            self._labels.add(name)
        return None

    def _to_stored(self, article_id: str, text: str, spans: list[ImportedSpan], annotator: str | None,
                   stamp: str) -> list[Span]:
        """The imported spans an article already stored lacks, as new spans."""
        have = {tuple(row) for row in self.db.execute(
            "SELECT start, \"end\", label, annotator FROM spans WHERE article_id = ? AND status = 'accepted'",
            [article_id])}
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

    def _add_to_stored(self, records: list[ArticleRecord], span_records: list[SpanRecord]) -> None:
        """Add imported spans to articles stored before (inside the caller's write transaction)."""
        stamp = events.now()
        new: list[Span] = []
        for record in records:
            found = self.db.execute("SELECT id, text FROM articles WHERE hash = ?", [record.sha256]).fetchone()
            if found is not None:
                new += self._to_stored(found[0], found[1], record.spans, record.annotator, stamp)
        for span_record in span_records:
            new += self._span_record(span_record, stamp)
        insert_spans(self.db, new)
        self.report.added += len(new)

    def _write_chunk(self, chunk: list[_Prepared]) -> None:
        """Store one chunk in one short transaction and size the next one by how long it took."""
        try:
            with bulk_write(self.db):
                began = time.perf_counter()
                self._store(chunk)
                held = time.perf_counter() - began
        except BaseException:
            self._outlets.clear()  # ids inserted by the rolled-back transaction are gone
            raise
        wanted = len(chunk) * WRITE_HOLD_S / max(held, 1e-4)
        self._write_size = max(1, min(MAX_WRITE_ARTICLES, int(min(wanted, self._write_size * 2))))

    def _outlet_id(self, name: str) -> int:
        """The outlet's id, adding it if new: one statement, so a process adding the
        same outlet at the same moment cannot make it fail (it waits for the lock)."""
        if name not in self._outlets:
            self._outlets[name] = self.db.execute(
                "INSERT INTO outlets (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name"
                " RETURNING id",
                [name],
            ).fetchone()[0]
        return self._outlets[name]

    def _store(self, chunk: list[_Prepared]) -> None:
        """Store a chunk of prepared articles, inside the caller's write transaction."""
        known_hashes = _lookup(self.db, "SELECT hash, id FROM articles WHERE hash IN ({marks})", [p.digest for p in chunk])
        known_ids = _lookup(self.db, "SELECT id, hash FROM articles WHERE id IN ({marks})", [p.article_id for p in chunk])
        stamp = events.now()
        rows, spans, new = [], [], []
        for item in chunk:
            record, digest, article_id = item.record, item.digest, item.article_id
            if digest in known_hashes:  # stored meanwhile, or earlier in this batch
                self.report.duplicates += 1
                if record.spans:  # the same article again, with annotations: keep those it lacks
                    self._later.append(record)
                continue
            if article_id in known_ids:
                self.report.rejected.append(
                    Rejection(source=record.source, message=f"id {article_id!r} is already stored with different text")
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
            new.append(item)
        self.db.executemany(
            "INSERT INTO articles (id, outlet_id, title, url, published, hash, length, metadata, source, ingested_at, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        insert_spans(self.db, spans)
        if self.suggestions is not None and new:
            self.report.suggestions += self.suggestions.add_articles(
                [(item.article_id, item.suggestions) for item in new], {item.article_id: item.record.text for item in new}
            )
        self.report.ingested += len(rows)
        self.report.spans += len(spans)

    def _imported(self, record: ArticleRecord, article_id: str, stamp: str) -> Iterator[Span]:
        for imported in record.spans:
            yield Span(
                id=events.new_id(), article_id=article_id, start=imported.start, end=imported.end,
                label=imported.label, text=record.text[imported.start : imported.end],
                annotator=imported.annotator or record.annotator or "imported", origin="imported",
                status="accepted", attrs=imported.attrs, created_at=stamp, updated_at=stamp,
            )
