"""Spans: add, change, delete, undo and redo — each one committed at once,
each one recorded as an event.

Every span carries a version number. A change names the version it was
based on; if another session changed the span in between, the change is
refused with :class:`SpanConflict` instead of silently overwriting.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

from store.sqlite import sqlite_utils
from pydantic import BaseModel, Field

from store import events
from store.db import write
from store.errors import SpanConflict, SpanError
from store.models import Event, Origin, Span, Status


class NewSpan(BaseModel):
    """A span to be added; the store fills in its text, times and version."""

    article_id: str
    start: int
    end: int
    label: str
    origin: Origin = "manual"
    status: Status = "accepted"
    attrs: dict[str, Any] = Field(default_factory=dict)
    span_id: str | None = None


# The columns of a span row, in table order. Never ``SELECT *``: on PostgreSQL
# the table has one more, its spelt-out rowid (store/schema.py), which is no
# part of a span and must not reach an event.
SPAN_COLUMNS = 'id, article_id, start, "end", label, text, annotator, origin, status, attrs, created_at, updated_at, version'
_INSERT = f"INSERT INTO spans ({SPAN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
# Article ids per lookup query: below SQLite's default limit on host parameters.
_LOOKUP_CHUNK = 500


def insert_spans(
    db: sqlite_utils.Database,
    spans: list[Span],
    *,
    acting: str | None = None,
    batch: str | None = None,
    article_batches: dict[str, str] | None = None,
) -> None:
    """Insert spans that are already checked, and one ``add`` event each, with one
    ``executemany`` for the spans and one for the events (inside the caller's
    write transaction).

    ``acting`` is recorded on the events instead of each span's annotator;
    ``batch`` is the events' batch id, or ``article_batches`` gives one per article.
    """
    # The rows by hand, not Span.to_row(): model_dump costs more than the insert.
    insert_rows(db, [
        {"id": span.id, "article_id": span.article_id, "start": span.start, "end": span.end, "label": span.label,
         "text": span.text, "annotator": span.annotator, "origin": span.origin, "status": span.status,
         "attrs": json.dumps(span.attrs, ensure_ascii=False, sort_keys=True), "created_at": span.created_at,
         "updated_at": span.updated_at, "version": span.version}
        for span in spans
    ], acting=acting, batch=batch, article_batches=article_batches)


def insert_rows(
    db: sqlite_utils.Database,
    rows: list[dict[str, Any]],
    *,
    acting: str | None = None,
    batch: str | None = None,
    article_batches: dict[str, str] | None = None,
) -> None:
    """:func:`insert_spans` for rows of the ``spans`` table already made (every
    column, in table order, ``attrs`` as JSON)."""
    ids = events.new_ids(len(rows))
    user = events.os_user()
    changes = [
        (event_id, row["created_at"], acting or row["annotator"], user, row["article_id"], row["id"], "add", None,
         article_batches[row["article_id"]] if article_batches is not None else batch, None,
         json.dumps(row, ensure_ascii=False))
        for event_id, row in zip(ids, rows)
    ]
    db.executemany(_INSERT, [tuple(row.values()) for row in rows])
    events.record_many(db, changes)


class SpanRows(Sequence[Span]):
    """Spans just written, as rows: each becomes a :class:`Span` only when it is
    looked at, so a bulk write returns at once whatever its size."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [Span.from_row(row) for row in self.rows[index]]
        return Span.from_row(self.rows[index])


def article_texts(db: sqlite_utils.Database, article_ids: list[str]) -> dict[str, str]:
    """The text of each of the articles that exist among ``article_ids``."""
    texts: dict[str, str] = {}
    wanted = list(dict.fromkeys(article_ids))
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start:start + _LOOKUP_CHUNK]
        texts.update(db.execute(f"SELECT id, text FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
    return texts


def _fetch(db: sqlite_utils.Database, span_id: str) -> Span | None:
    cursor = db.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", [span_id])
    row = cursor.fetchone()
    if row is None:
        return None
    return Span.from_row(dict(zip([d[0] for d in cursor.description], row)))


def _article_text(db: sqlite_utils.Database, article_id: str) -> str:
    row = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise SpanError(f"no article with id {article_id!r}")
    return row[0]


def _check_label(db: sqlite_utils.Database, label: str) -> None:
    if db.execute("SELECT 1 FROM labels WHERE name = ?", [label]).fetchone() is None:
        known = ", ".join(r[0] for r in db.execute("SELECT name FROM labels ORDER BY position"))
        raise SpanError(f"unknown label {label!r} (known: {known})")


def validate(
    db: sqlite_utils.Database, article_id: str, start: int, end: int, label: str, text: str | None = None
) -> str:
    """Check a span against its article and the label set; returns the covered text.
    ``text`` is the article's text when the caller has it already."""
    if text is None:
        text = _article_text(db, article_id)
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end <= len(text):
        raise SpanError(f"span [{start}, {end}) does not fit article {article_id!r} of {len(text)} characters")
    _check_label(db, label)
    return text[start:end]


# Attributes the machine keeps up to date (dedup writes a claim's cluster),
# which a person's undo neither checks nor owns.
DERIVED_ATTRS = frozenset({"cluster"})


def _content(span: Span | None) -> tuple | None:
    """What a person made of a span; versions, times and derived attributes aside."""
    if span is None:
        return None
    attrs = {k: v for k, v in span.attrs.items() if k not in DERIVED_ATTRS}
    return (span.start, span.end, span.label, span.status, span.annotator, attrs)


_UPSERT = _INSERT + (
    ' ON CONFLICT (id) DO UPDATE SET article_id = excluded.article_id, start = excluded.start, "end" = excluded."end",'
    " label = excluded.label, text = excluded.text, annotator = excluded.annotator, origin = excluded.origin,"
    " status = excluded.status, attrs = excluded.attrs, created_at = excluded.created_at,"
    " updated_at = excluded.updated_at, version = excluded.version"
)


def _write_row(db: sqlite_utils.Database, span: Span) -> None:
    db.execute(_UPSERT, tuple(span.to_row().values()))


class SpanStore:
    """All writes to the spans table go through here."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._batch: str | None = None

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Every change made inside is one transaction and one batch of events:
        one undo (or redo) takes them all back."""
        if self._batch is not None:  # already in a batch: join it
            yield
            return
        with write(self.db):
            self._batch = events.new_id()
            try:
                yield
            finally:
                self._batch = None

    @property
    def current_batch(self) -> str | None:
        """The batch id of the :meth:`batch` open now, or None."""
        return self._batch

    def get(self, span_id: str) -> Span | None:
        """The span as stored now, or None."""
        return _fetch(self.db, span_id)

    def for_article(self, article_id: str, *, annotator: str | None = None, statuses: tuple[Status, ...] | None = None) -> list[Span]:
        """The article's spans in text order, optionally one annotator's or of some statuses."""
        sql = f"SELECT {SPAN_COLUMNS} FROM spans WHERE article_id = ?"
        params: list[Any] = [article_id]
        if annotator is not None:
            sql += " AND annotator = ?"
            params.append(annotator)
        if statuses:
            sql += f" AND status IN ({', '.join('?' * len(statuses))})"
            params.extend(statuses)
        sql += ' ORDER BY start, "end" DESC, id'
        return [Span.from_row(r) for r in self.db.query(sql, params)]

    def add(
        self,
        article_id: str,
        start: int,
        end: int,
        label: str,
        annotator: str,
        *,
        origin: Origin = "manual",
        status: Status = "accepted",
        attrs: dict[str, Any] | None = None,
        span_id: str | None = None,
        event_id: str | None = None,
        acting: str | None = None,
    ) -> Span:
        """Store a new span. ``acting`` is who did it when that is not the span's
        annotator (a reviewer writing the gold layer)."""
        event_id = event_id or events.new_id()
        with write(self.db):
            if events.already_recorded(self.db, event_id):
                row = self.db.execute("SELECT span_id FROM events WHERE id = ?", [event_id]).fetchone()
                return _fetch(self.db, row[0])  # a retry of a write that already landed
            return self._insert(
                NewSpan(article_id=article_id, start=start, end=end, label=label, origin=origin, status=status,
                        attrs=attrs or {}, span_id=span_id),
                annotator, acting=acting, event_id=event_id,
            )

    def add_many(self, spans: list[NewSpan], annotator: str, *, acting: str | None = None) -> list[Span]:
        """Store several spans in one transaction as one batch: one undo takes them all back.

        Written with one ``executemany`` for the spans and one for their events."""
        with self.batch():
            made = self.prepare(spans, annotator)
            insert_spans(self.db, made, acting=acting, batch=self._batch)
            return made

    def prepare(
        self, spans: list[NewSpan], annotator: str, *, texts: dict[str, str] | None = None
    ) -> list[Span]:
        """Check new spans against their articles and the label set and make them,
        without writing anything (:func:`insert_spans` writes them). ``texts``
        holds the articles' texts when the caller has them already."""
        if texts is None:
            texts = article_texts(self.db, [span.article_id for span in spans])
        labels = {row[0] for row in self.db.execute("SELECT name FROM labels")}
        stamp = events.now()
        made = []
        for new in spans:
            text = texts.get(new.article_id)
            if text is None:
                raise SpanError(f"no article with id {new.article_id!r}")
            start, end = new.start, new.end
            if not 0 <= start < end <= len(text):
                raise SpanError(f"span [{start}, {end}) does not fit article {new.article_id!r} of {len(text)} characters")
            if new.label not in labels:
                _check_label(self.db, new.label)
            # Every field is checked above or by NewSpan: construct without validating again.
            made.append(Span.model_construct(
                id=new.span_id or events.new_id(), article_id=new.article_id, start=start, end=end,
                label=new.label, text=text[start:end], annotator=annotator, origin=new.origin, status=new.status,
                attrs=new.attrs, created_at=stamp, updated_at=stamp, version=1,
            ))
        return made

    def _insert(
        self,
        new: NewSpan,
        annotator: str,
        *,
        acting: str | None,
        event_id: str | None = None,
        text: str | None = None,
    ) -> Span:
        covered = validate(self.db, new.article_id, new.start, new.end, new.label, text)
        stamp = events.now()
        span = Span(
            id=new.span_id or events.new_id(), article_id=new.article_id, start=new.start, end=new.end,
            label=new.label, text=covered, annotator=annotator, origin=new.origin, status=new.status,
            attrs=new.attrs, created_at=stamp, updated_at=stamp,
        )
        self.db.execute(_INSERT, tuple(span.to_row().values()))
        events.record(self.db, annotator=acting or annotator, action="add", article_id=new.article_id, after=span,
                      event_id=event_id, batch=self._batch)
        return span

    def update(
        self,
        span_id: str,
        expected_version: int,
        annotator: str,
        *,
        event_id: str | None = None,
        **changes: Any,
    ) -> Span:
        """Change a span's label, edges, status or attributes.

        ``changes`` takes ``start``, ``end``, ``label``, ``status``, ``attrs``
        (replaced whole). ``annotator`` is who makes the change.
        """
        allowed = {"start", "end", "label", "status", "attrs"}
        if unknown := set(changes) - allowed:
            raise SpanError(f"cannot change {', '.join(sorted(unknown))} of a span")
        event_id = event_id or events.new_id()
        with write(self.db):
            if events.already_recorded(self.db, event_id):
                return _fetch(self.db, span_id)
            before = self._current(span_id, expected_version)
            data = before.model_dump()
            data.update(changes)
            data["text"] = validate(self.db, before.article_id, data["start"], data["end"], data["label"])
            data["updated_at"] = events.now()
            data["version"] = before.version + 1
            after = Span(**data)
            _write_row(self.db, after)
            events.record(self.db, annotator=annotator, action="update", article_id=before.article_id, batch=self._batch,
                          before=before, after=after, event_id=event_id)
        return after

    def delete(self, span_id: str, expected_version: int, annotator: str, *, event_id: str | None = None) -> Span:
        """Remove a span; the event keeps what it was."""
        event_id = event_id or events.new_id()
        with write(self.db):
            if events.already_recorded(self.db, event_id):
                return self._deleted_snapshot(event_id)
            before = self._current(span_id, expected_version)
            self.db.execute("DELETE FROM spans WHERE id = ?", [span_id])
            events.record(self.db, annotator=annotator, action="delete", article_id=before.article_id, batch=self._batch,
                          before=before, event_id=event_id)
        return before

    def _deleted_snapshot(self, event_id: str) -> Span:
        row = self.db.execute("SELECT before FROM events WHERE id = ?", [event_id]).fetchone()
        return Span.from_row(json.loads(row[0]))

    def _current(self, span_id: str, expected_version: int) -> Span:
        span = _fetch(self.db, span_id)
        if span is None:
            raise SpanConflict("that span was deleted in another session; the view has been reloaded")
        if span.version != expected_version:
            raise SpanConflict("that span was changed in another session; the view has been reloaded")
        return span

    def undo(self, article_id: str, annotator: str, *, event_id: str | None = None) -> Span | None:
        """Undo the annotator's latest change to the article still in force.

        Returns the span as it is afterwards (its old state, or the deleted
        span when an add is undone); None when there is nothing to undo.
        A retry with the same ``event_id`` does not undo a second change.
        """
        return self._step(article_id, annotator, "undo", event_id)

    def redo(self, article_id: str, annotator: str, *, event_id: str | None = None) -> Span | None:
        """Redo the change most recently undone, unless a newer change replaced it."""
        return self._step(article_id, annotator, "redo", event_id)

    def _step(self, article_id: str, annotator: str, action: str, event_id: str | None) -> Span | None:
        with write(self.db):
            if event_id and events.already_recorded(self.db, event_id):
                row = self.db.execute("SELECT before, after FROM events WHERE id = ?", [event_id]).fetchone()
                return Span.from_row(json.loads(row[1] or row[0]))
            find = events.undo_target if action == "undo" else events.redo_target
            target = find(self.db, annotator, article_id)
            if target is None:
                return None
            steps = events.batch_steps(self.db, target, action)
            results = [
                self._reverse(step, annotator, action, event_id if n == 0 else None) for n, step in enumerate(steps)
            ]
            return results[0]

    def _reverse(self, target: Event, annotator: str, action: str, event_id: str | None) -> Span:
        """Undo moves the span from ``target.after`` back to ``target.before``; redo the other way."""
        expected, wanted = (target.after, target.before) if action == "undo" else (target.before, target.after)
        current = _fetch(self.db, (target.after or target.before).id)
        if _content(current) != _content(expected):
            raise SpanConflict(f"cannot {action}: the span was changed since, in this or another session")
        if wanted is None:
            self.db.execute("DELETE FROM spans WHERE id = ?", [current.id])
            result = current
        else:
            version = (current.version if current else wanted.version) + 1
            result = wanted.model_copy(update={"version": version, "updated_at": events.now()})
            _write_row(self.db, result)
        events.record(self.db, annotator=annotator, action=action, article_id=target.article_id, before=current,
                      after=None if wanted is None else result, target=target.id, batch=target.batch, event_id=event_id)
        return result
