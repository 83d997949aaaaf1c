"""The SQLite engine, and the transactions every store module writes in.

:func:`write`, :func:`bulk_write`, :func:`snapshot`, :func:`read_pages` and
:func:`checkpoint` take any :class:`store.engine.Database`; the rest is how
the SQLite engine opens its one file and writes to it safely.

One SQLite file is the only state. Every connection uses WAL (readers never
block the writer), foreign keys, ``synchronous=FULL`` and a busy timeout.
Every write runs in :func:`write`, which takes the write lock up front with
``BEGIN IMMEDIATE``: a deferred transaction that reads and then writes fails
with "database is locked" under contention, whatever the busy timeout.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs
from store.errors import DatabaseMissing, StoreError, database_problem
from store.sqlite import sqlite_utils

from store.mounts import network_mount
from store.engine.base import ChangeFeed, Database, database_target

DEFAULT_DB = "claimdesk.db"
BUSY_TIMEOUT_S = 10.0
# How long a write waits for the lock before telling the user; a write holds
# it for milliseconds, so only a stuck process makes anyone wait this long.
WRITE_WAIT_S = 30.0
# The WAL is emptied once a checkpoint has copied it all back; this caps
# the size of the file left behind (SQLite's default keeps it whole).
WAL_SIZE_LIMIT = 16 * 1024 * 1024
# Past this size a writer starts the WAL over itself (see _trim_wal), at most
# once every WAL_TRIM_INTERVAL_S per process, waiting up to WAL_TRIM_WAIT_S.
WAL_TRIM_SIZE = 32 * 1024 * 1024
WAL_TRIM_INTERVAL_S = 5.0
WAL_TRIM_WAIT_S = 0.05
_last_trim: dict[str, float] = {}
ALLOW_NETWORK_FS_ENV = "CLAIMDESK_ALLOW_NETWORK_FS"
# Bulk writers (ingest) queue for the write lock one at a time and, after each
# commit, leave it free this long, so a person's write waiting for it gets in
# next (a waiter polls at least every 6 ms, see _begin_immediate).
BULK_GAP_S = 0.012
# How often SQLite's change feed looks for other processes' commits.
CHANGE_POLL_S = 0.25


def default_db_path() -> Path | str:
    """``$CLAIMDESK_DB`` (a file path or a ``postgresql://`` URL), else ``./claimdesk.db``."""
    return database_target(os.environ.get("CLAIMDESK_DB") or DEFAULT_DB)


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


def _local_folder(table: str | None) -> Path:
    """A folder on a local disk to suggest instead of a network one."""
    candidates = [Path(platformdirs.user_data_dir("claimdesk")), Path("/var/tmp"), Path(tempfile.gettempdir())]
    for folder in candidates:
        if network_mount(folder, table) is None:
            return folder
    return candidates[-1]


def _env_allows_network_fs() -> bool:
    return os.environ.get(ALLOW_NETWORK_FS_ENV, "").strip().lower() in ("1", "true", "yes")


def check_local_filesystem(path: Path | str, *, allow: bool | None = None, table: str | None = None) -> None:
    """Refuse a database on a network filesystem, naming a local path to use instead.

    SQLite's WAL relies on shared memory and locks that NFS, SMB and other
    network mounts do not provide. ``allow`` (default: the environment
    variable ``CLAIMDESK_ALLOW_NETWORK_FS=1``) overrides the refusal;
    ``table`` is a mount table to use instead of ``/proc/mounts``.
    """
    if allow is None:
        allow = _env_allows_network_fs()
    if allow:
        return
    mount = network_mount(path, table)
    if mount is None:
        return
    local = _local_folder(table) / Path(path).name
    raise StoreError(
        f"{path} is on a network filesystem ({mount.fstype} mounted at {mount.point}), where SQLite cannot "
        f"lock the database safely and annotations can be lost. Use a local path such as {local} "
        f"(shared with the team as described in docs/teams.md), or set {ALLOW_NETWORK_FS_ENV}=1 "
        "if you are sure only one process at a time will use it."
    )


def connect(path: Path | str, *, create: bool = True, allow_network_fs: bool | None = None) -> SqliteDatabase:
    """An open database with claimdesk's pragmas; the schema is not touched.

    A database on a network filesystem is refused (see :func:`check_local_filesystem`).
    Errors a person can act on (a read-only, damaged or full file) in any
    write are raised as :class:`StoreError` with one line saying what to do.
    """
    path = Path(path)
    check_local_filesystem(path, allow=allow_network_fs)
    if not path.exists():
        if not create:
            raise DatabaseMissing(f"{path}: no such database (create one with `claimdesk ingest PATH --db {path}`)")
        if not path.parent.exists():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
        _create_shared_file(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: cannot open as a claimdesk database ({err})") from None
    return SqliteDatabase(conn, name=str(path))


def _is_busy(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """Take the write lock, polling every few milliseconds for up to
    :data:`WRITE_WAIT_S`.

    SQLite's own busy handler sleeps ever longer between tries (up to 100 ms
    each): with eight processes writing, a writer that has waited a while
    keeps missing the moments the lock is free, and one write in a hundred
    waited 0.4 s to 3 s (bench/bench_stress.py). Polling with short jittered
    sleeps keeps every waiter in the race.
    """
    conn.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + WRITE_WAIT_S
        pause = 0.0005
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as err:
                if not _is_busy(err) or time.monotonic() > deadline:
                    raise StoreError(
                        f"the database is busy: another process has held the write lock for over "
                        f"{WRITE_WAIT_S:.0f} s ({err})"
                    ) from None
            time.sleep(random.uniform(0.5, 1.5) * pause)
            pause = min(pause * 1.5, 0.004)
    finally:
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")


@contextlib.contextmanager
def _sqlite_write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction, committed on exit and rolled back on error.

    ``BEGIN IMMEDIATE`` takes the write lock up front, waiting for it as long
    as :data:`WRITE_WAIT_S`, so a user never sees "database is locked".
    Inside another write it joins that one, so several stores' writes can
    share one commit.
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    _begin_immediate(conn)
    try:
        yield db
        conn.execute("COMMIT")
    except BaseException as err:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # a full or broken disk may refuse even this
                conn.execute("ROLLBACK")
        problem = database_problem(err, _file_name(conn))
        if problem is not None:
            raise StoreError(problem) from None
        raise
    _trim_wal(conn)


def _bulk_lock_path(conn: sqlite3.Connection) -> str | None:
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    return f"{path}-bulk.lock" if path else None


@contextlib.contextmanager
def _bulk_turn(conn: sqlite3.Connection) -> Iterator[None]:
    """Hold the bulk writers' queue: a ``flock`` on ``<db>-bulk.lock``.

    Without it six ingests and a person all race for SQLite's write lock and
    the person wins one time in seven, waiting for several ingest batches.
    With it at most one ingest is in the race. The lock file is made like the
    database (mode 0666 minus the umask); where it cannot be made (a read-only
    folder) the queue is skipped, which costs only fairness.
    """
    path = _bulk_lock_path(conn)
    fd = None
    if path:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            fd = None
    if fd is None:
        yield
        return
    try:
        deadline = time.monotonic() + WRITE_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"the database is busy: another bulk write (ingest) has held {path} for over "
                        f"{WRITE_WAIT_S:.0f} s"
                    ) from None
                time.sleep(random.uniform(0.001, 0.003))
        yield
    finally:
        os.close(fd)  # releases the flock


@contextlib.contextmanager
def _sqlite_bulk_write(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A :func:`write` for background bulk work (ingest), which gives way to people.

    Bulk writers take turns (see :func:`_bulk_turn`) and after committing keep
    their turn for :data:`BULK_GAP_S` with SQLite's lock free, so whoever else
    is waiting for it gets it. Keep each one short (tens of milliseconds): a
    person's write may wait for one whole bulk write.
    """
    with _bulk_turn(db.conn):
        with _sqlite_write(db):
            yield db
        time.sleep(BULK_GAP_S)


def _file_name(conn: sqlite3.Connection) -> str:
    try:
        return conn.execute("PRAGMA database_list").fetchone()[2] or "the database"
    except sqlite3.Error:
        return "the database"


def _trim_wal(conn: sqlite3.Connection) -> None:
    """Start the WAL over when it has grown past :data:`WAL_TRIM_SIZE`.

    SQLite starts the WAL over only when a writer begins just after a
    checkpoint copied all of it back; with eight writers and a reader always
    busy that moment hardly comes, and the WAL reached 100 MB beside a 5 MB
    database in bench/bench_stress.py. A RESTART checkpoint copies it all
    back, waits for readers of the old frames to finish (short snapshots:
    milliseconds) and makes the next write start from the top of the file,
    which is overwritten in place rather than truncated and regrown (that
    made every following commit slower). The wait is bounded: a reader that
    holds one snapshot for minutes (and so keeps the WAL growing whatever
    anyone does) costs each writer at most 50 ms every 5 s.
    """
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return
    try:
        size = os.path.getsize(f"{path}-wal")
    except OSError:
        return
    now = time.monotonic()
    if size <= WAL_TRIM_SIZE or now - _last_trim.get(path, -WAL_TRIM_INTERVAL_S) < WAL_TRIM_INTERVAL_S:
        return
    _last_trim[path] = now
    conn.execute(f"PRAGMA busy_timeout={int(WAL_TRIM_WAIT_S * 1000)}")
    try:
        conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
    except sqlite3.OperationalError:
        pass  # the write is committed; an untrimmed WAL is only bigger, and the next try comes soon
    finally:
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")


@contextlib.contextmanager
def _sqlite_snapshot(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A read transaction: every query inside sees the database as of the first one.

    Keep it short. While a snapshot is open no checkpoint can pass it, so
    the WAL grows with every write the other processes make. Inside an
    open transaction (a write, or another snapshot) it simply joins that one.
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN")
    try:
        yield db
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def read_pages(
    db: Database, sql: str, params: Sequence[Any] = (), *, key: str, page_size: int = 500
) -> Iterator[dict[str, Any]]:
    """The rows of ``sql`` in order of its unique column ``key``, read a page at a
    time, each page in its own short snapshot; a checkpoint runs at the end.

    This is how a long reader (an export) walks a large table without holding
    one snapshot for minutes and letting the WAL grow without bound. Rows
    written while it runs may or may not be seen, but none is seen twice.
    ``sql`` and ``key`` come from our code; values go in ``params``.
    """
    last: Any = None
    while True:
        after = "" if last is None else f' WHERE "{key}" > ?'
        page_sql = f'SELECT * FROM ({sql}) AS page{after} ORDER BY "{key}" LIMIT ?'
        page_params = [*params, *([] if last is None else [last]), page_size]
        with snapshot(db):
            rows = list(db.query(page_sql, page_params))
        yield from rows
        if len(rows) < page_size:
            break
        last = rows[-1][key]
    checkpoint(db)


class Checkpoint(NamedTuple):
    """What ``PRAGMA wal_checkpoint`` did: WAL frames in the log and copied back."""

    busy: bool
    log_frames: int
    checkpointed_frames: int


def _sqlite_checkpoint(db: sqlite_utils.Database) -> Checkpoint:
    """Copy what it can of the WAL back into the database, without waiting.

    Run after a long read. A PASSIVE checkpoint never blocks writers or
    readers; when it copies everything, the next write starts the WAL over
    and trims the file to :data:`WAL_SIZE_LIMIT`.
    """
    busy, log, done = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return Checkpoint(bool(busy), log, done)


def write(db: Database) -> contextlib.AbstractContextManager[Database]:
    """A write transaction on ``db`` holding the team lock (see :meth:`Database.write`)."""
    return db.write()


def bulk_write(db: Database) -> contextlib.AbstractContextManager[Database]:
    """A write for bulk work that gives way to people (see :meth:`Database.bulk_write`)."""
    return db.bulk_write()


def snapshot(db: Database) -> contextlib.AbstractContextManager[Database]:
    """A read transaction on ``db`` (see :meth:`Database.snapshot`)."""
    return db.snapshot()


def checkpoint(db: Database) -> Checkpoint | None:
    """After a long read, let the engine reclaim what it kept (SQLite: a passive WAL checkpoint)."""
    return db.checkpoint()


class SqliteDatabase(sqlite_utils.Database, Database):
    """The SQLite engine: one file in WAL mode; ``BEGIN IMMEDIATE`` is the team lock."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, *, name: str) -> None:
        super().__init__(conn)
        self.name = name

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]] | Iterator[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def write(self) -> contextlib.AbstractContextManager[Database]:
        return _sqlite_write(self)

    def bulk_write(self) -> contextlib.AbstractContextManager[Database]:
        return _sqlite_bulk_write(self)

    def snapshot(self) -> contextlib.AbstractContextManager[Database]:
        return _sqlite_snapshot(self)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def schema_version(self) -> int:
        return self.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {int(version)}")

    def columns(self, table: str) -> list[str]:
        return [row[1] for row in self.execute(f"PRAGMA table_info({table})")]

    def checkpoint(self) -> Checkpoint:
        return _sqlite_checkpoint(self)

    def changes(self) -> ChangeFeed:
        return _DataVersionFeed(self.name)

    def json_int(self, column: str, key: str) -> str:
        return f"(CASE WHEN json_type({column}, '$.{key}') = 'integer' THEN json_extract({column}, '$.{key}') END)"

    def json_text(self, column: str, key: str) -> str:
        return f"json_extract({column}, '$.{key}')"

    def seconds_between(self, earlier: str, later: str) -> str:
        return f"((julianday({later}) - julianday({earlier})) * 86400)"

    def json_arrays(self, items: Sequence[str], *, json_items: Sequence[str] = ()) -> str:
        values = ", ".join(f"json({item})" if item in json_items else item for item in items)
        return f"json_group_array(json_array({values}))"

    def sha256_hex(self, first: str, second: str) -> str:
        # SQLite has no SHA-256 of its own: Python's, registered on this connection.
        self.conn.create_function("claimdesk_sha256_hex", 2, _sha256_hex, deterministic=True)
        return f"claimdesk_sha256_hex({first}, {second})"


def _sha256_hex(first: str, second: str) -> str:
    return hashlib.sha256(f"{first}\x00{second}".encode()).hexdigest()


class _DataVersionFeed(ChangeFeed):
    """SQLite's change feed: ``PRAGMA data_version`` on a connection of its own
    changes whenever another connection commits; looked at every
    :data:`CHANGE_POLL_S`."""

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        self._seen = self._version()
        self._closed = False

    def _version(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self._closed:
            version = self._version()
            if version != self._seen:
                self._seen = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(CHANGE_POLL_S, left))
        return False

    def close(self) -> None:
        self._closed = True
        self._conn.close()
