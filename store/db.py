"""Opening the database file and writing to it safely.

One SQLite file is the only state. Every connection uses WAL (readers never
block the writer), foreign keys, ``synchronous=FULL`` and a busy timeout.
Every write runs in :func:`write`, which takes the write lock up front with
``BEGIN IMMEDIATE``: a deferred transaction that reads and then writes fails
with "database is locked" under contention, whatever the busy timeout.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

DEFAULT_DB = "claimdesk.db"
BUSY_TIMEOUT_S = 10.0
WRITE_ATTEMPTS = 8


class StoreError(Exception):
    """A problem with the database that the user can act on; the message says how."""


def default_db_path() -> Path:
    """``$CLAIMDESK_DB``, else ``./claimdesk.db``."""
    return Path(os.environ.get("CLAIMDESK_DB") or DEFAULT_DB)


def _create_shared_file(path: Path) -> None:
    """Create the file with mode 0666 minus the umask before SQLite does.

    SQLite creates new database files 0644 whatever the umask, so a second
    annotator in the group would get "attempt to write a readonly database";
    the ``-wal`` and ``-shm`` files copy the main file's mode.
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
    except FileExistsError:
        return
    os.close(fd)


def connect(path: Path | str, *, create: bool = True) -> sqlite_utils.Database:
    """An open database with claimdesk's pragmas; the schema is not touched."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no such database (create one with `claimdesk ingest PATH --db {path}`)")
        if not path.parent.exists():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
        _create_shared_file(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: cannot open as a claimdesk database ({err})") from None
    return sqlite_utils.Database(conn)


def _is_busy(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


@contextlib.contextmanager
def write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction, committed on exit and rolled back on error.

    ``BEGIN IMMEDIATE`` waits up to the busy timeout for the write lock; if
    that still fails the attempt is retried a few times with jittered
    back-off, so a user never sees "database is locked".
    """
    conn = db.conn
    for attempt in range(WRITE_ATTEMPTS):
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as err:
            if not _is_busy(err) or attempt == WRITE_ATTEMPTS - 1:
                raise StoreError(f"the database is busy: another process has held the write lock too long ({err})") from None
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
