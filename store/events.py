"""The append-only events table: every change, who made it, before and after.

Undo, redo and the audit trail are built on it. Event ids are made by the
client, so a write retried after a crash between commit and acknowledgement
is recognised and not applied twice.
"""

from __future__ import annotations

import json
import os
import pwd
import uuid
from datetime import UTC, datetime

from store.sqlite import sqlite_utils

from store.models import Event, Span

# Actions a person can undo; undo and redo themselves are recorded too.
UNDOABLE = ("add", "update", "delete")


def now() -> str:
    """The current UTC time, ISO 8601 with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id() -> str:
    """A fresh client-made id for a span or an event."""
    return uuid.uuid4().hex


_user_names: dict[int, str] = {}


def new_ids(count: int) -> list[str]:
    """``count`` fresh ids like :func:`new_id`'s (128 random bits as hex), made at
    once: a bulk write of thousands of spans would spend more on ``uuid4`` than on
    the insert."""
    pool = os.urandom(16 * count)
    return [pool[at:at + 16].hex() for at in range(0, 16 * count, 16)]


def os_user() -> str:
    """The real operating-system user of this process (not ``$USER``, which anyone can set)."""
    uid = os.getuid()
    # Cached by uid: a bulk write records thousands of events, and the passwd lookup is a file read.
    if uid not in _user_names:
        try:
            _user_names[uid] = pwd.getpwuid(uid).pw_name
        except KeyError:
            _user_names[uid] = str(uid)
    return _user_names[uid]


def _snapshot(span: Span | None) -> str | None:
    return json.dumps(span.to_row(), ensure_ascii=False) if span else None


_INSERT = (
    "INSERT INTO events (id, at, annotator, os_user, article_id, span_id, action, target, batch, before, after)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def already_recorded(db: sqlite_utils.Database, event_id: str) -> bool:
    """True when an event with this client id is already in the table."""
    return db.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone() is not None


def record(
    db: sqlite_utils.Database,
    *,
    annotator: str,
    action: str,
    article_id: str | None,
    before: Span | None = None,
    after: Span | None = None,
    target: str | None = None,
    event_id: str | None = None,
    batch: str | None = None,
) -> str:
    """Append one event (inside the caller's write transaction); returns its id."""
    event_id = event_id or new_id()
    span = after or before
    db.execute(
        _INSERT,
        [event_id, now(), annotator, os_user(), article_id, span.id if span else None, action, target, batch,
         _snapshot(before), _snapshot(after)],
    )
    return event_id


def record_many(db: sqlite_utils.Database, rows: list[tuple]) -> None:
    """Append many events with one ``executemany`` (inside the caller's write
    transaction). Each row is ``(id, at, annotator, os_user, article_id, span_id,
    action, target, batch, before, after)``, the snapshots already JSON; see
    :func:`change_row`."""
    db.executemany(_INSERT, rows)


def change_row(
    *,
    annotator: str,
    action: str,
    span_id: str,
    article_id: str,
    before: str | None,
    after: str | None,
    at: str,
    batch: str | None = None,
    target: str | None = None,
    event_id: str | None = None,
) -> tuple:
    """One event row for :func:`record_many`; ``before`` and ``after`` are span
    snapshots as JSON (``json.dumps(span.to_row())``) or None."""
    return (event_id or new_id(), at, annotator, os_user(), article_id, span_id, action, target, batch, before, after)


ARTICLE_CHANGE = "set-article"


def record_article_change(
    db: sqlite_utils.Database, *, annotator: str, article_id: str, before: dict, after: dict
) -> str:
    """Append the event of a change to an article's title or outlet (inside the
    caller's write transaction); ``before`` and ``after`` hold the changed fields.
    It names no span, so the replay of spans passes over it."""
    event_id = new_id()
    db.execute(
        "INSERT INTO events (id, at, annotator, os_user, article_id, span_id, action, before, after)"
        " VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)",
        [event_id, now(), annotator, os_user(), article_id, ARTICLE_CHANGE,
         json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)],
    )
    return event_id


def is_undone(db: sqlite_utils.Database, event_id: str) -> bool:
    """An event is undone when the latest undo/redo aimed at it is an undo."""
    row = db.execute("SELECT action FROM events WHERE target = ? ORDER BY seq DESC LIMIT 1", [event_id]).fetchone()
    return bool(row) and row[0] == "undo"


def _undoable(db: sqlite_utils.Database, annotator: str, article_id: str, newer_than: int, order: str):
    return db.execute(
        f"SELECT * FROM events WHERE annotator = ? AND article_id = ? AND seq > ?"
        f" AND action IN {UNDOABLE!r} ORDER BY seq {order}",
        [annotator, article_id, newer_than],
    )


def _rows(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def undo_target(db: sqlite_utils.Database, annotator: str, article_id: str) -> Event | None:
    """The annotator's latest change to the article that is not undone."""
    for event in _rows(_undoable(db, annotator, article_id, 0, "DESC")):
        if not is_undone(db, event["id"]):
            return Event.from_row(event)
    return None


def redo_target(db: sqlite_utils.Database, annotator: str, article_id: str) -> Event | None:
    """The earliest undone change newer than the latest change still in force.

    A new change after an undo therefore empties the redo list, as in an editor.
    """
    in_force = undo_target(db, annotator, article_id)
    for event in _rows(_undoable(db, annotator, article_id, in_force.seq if in_force else 0, "ASC")):
        if is_undone(db, event["id"]):
            return Event.from_row(event)
    return None


def batch_steps(db: sqlite_utils.Database, target: Event, action: str) -> list[Event]:
    """The events one undo (or redo) of ``target`` takes back: the target alone,
    or every event of its batch still in force (or still undone), latest first
    for undo and earliest first for redo."""
    if target.batch is None:
        return [target]
    order = "DESC" if action == "undo" else "ASC"
    rows = _rows(
        db.execute(
            f"SELECT * FROM events WHERE batch = ? AND annotator = ? AND action IN {UNDOABLE!r} ORDER BY seq {order}",
            [target.batch, target.annotator],
        )
    )
    want_undone = action == "redo"
    return [Event.from_row(r) for r in rows if is_undone(db, r["id"]) == want_undone]


def history(db: sqlite_utils.Database, article_id: str) -> list[Event]:
    """Every change to an article's spans, oldest first: its audit trail
    (changes to the article's title or outlet are events of their own, action
    :data:`ARTICLE_CHANGE`, and not listed here)."""
    return [Event.from_row(r) for r in _rows(db.execute(
        "SELECT * FROM events WHERE article_id = ? AND action != ? ORDER BY seq", [article_id, ARTICLE_CHANGE]))]


class EventLog:
    """The events of one database: every change, appended, never edited."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def history(self, article_id: str) -> list[Event]:
        """Every change to an article's spans, oldest first (see :func:`history`)."""
        return history(self.db, article_id)
