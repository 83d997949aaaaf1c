"""The PostgreSQL engine (psycopg 3), for teams on several machines.

One connection per :class:`PostgresDatabase`, in autocommit mode outside the
store's own transactions. The team lock is a transaction-level advisory lock
taken at the start of every write, so writes are serialised across every
machine exactly as SQLite's ``BEGIN IMMEDIATE`` serialises them across the
processes of one; readers never wait. Each write ends with a NOTIFY, which
is how other annotators' screens learn of it (:class:`NotifyFeed`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from store.engine.base import ChangeFeed, Database, Params, safe_url
from store.engine.pg_sql import translate
from store.errors import ConnectionLost, DatabaseMissing, StoreError

try:
    import psycopg
    from psycopg import adapt, errors, pq
    from psycopg.rows import dict_row
except ImportError:  # pragma: no cover - the message is the point
    psycopg = None

# pg_advisory_xact_lock keys: every claimdesk write, and the bulk writers' queue.
TEAM_LOCK = 0x636C6169  # "clai"
BULK_LOCK = 0x636C6162
CHANNEL = "claimdesk_changes"
# As on SQLite (store/db.py): how long a write waits for the lock before telling
# the user, and how long a bulk writer leaves it free after each commit.
WRITE_WAIT_S = 30.0
BULK_GAP_S = 0.012
SCHEMA_TABLE = "claimdesk_schema"
# A session idle this long inside a transaction is ended by the server (see _guard_session).
STALLED_TRANSACTION_S = 300.0
TCP_KEEPALIVE_IDLE_S = 30
_COMMIT_WRITE = f"NOTIFY {CHANNEL}; COMMIT"


def _begin_write() -> str:
    """One simple query (no parameters: the key is our constant) that begins a
    transaction and takes the team lock, waiting at most WRITE_WAIT_S; once it
    is held, lock_timeout is back to none for the rest of the transaction (the
    subquery runs first: the lock function is volatile)."""
    return (f"BEGIN; SET LOCAL lock_timeout = '{int(WRITE_WAIT_S * 1000)}ms'; "
            f"SELECT set_config('lock_timeout', '0', true) FROM (SELECT pg_advisory_xact_lock({TEAM_LOCK})) AS held")


def _take_bulk_turn() -> str:
    """The bulk writers' turn, as one simple query; outside a transaction its
    statements run as one implicit transaction, so a failed wait undoes the SET."""
    return (f"SET lock_timeout = '{int(WRITE_WAIT_S * 1000)}ms'; SELECT pg_advisory_lock({BULK_LOCK}); "
            "RESET lock_timeout")

def connect_postgres(url: str, *, create: bool = True) -> PostgresDatabase:
    """An open PostgreSQL database, or a one-line :class:`StoreError` saying why not."""
    if psycopg is None:
        raise StoreError(
            "a postgresql:// database needs the PostgreSQL driver: pip install 'claimdesk[postgresql]' "
            "(psycopg 3)"
        )
    shown = safe_url(url)
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as err:
        reason = " ".join(str(err).split()).removeprefix("connection failed: ") or type(err).__name__
        raise StoreError(f"{shown}: cannot connect ({reason})") from None
    _adapt(conn)
    _guard_session(conn)
    db = PostgresDatabase(conn, name=shown, url=url)
    if not create and db.schema_version() == 0:
        db.close()
        raise DatabaseMissing(f"{shown}: no claimdesk database here yet (create one with `claimdesk ingest PATH --db {shown}`)")
    return db


def _guard_session(conn: Any) -> None:
    """Make the server end this session if it stalls inside a transaction for
    :data:`STALLED_TRANSACTION_S` (a suspended laptop, a stopped or hung process
    holding the team lock would otherwise hold up every writer for good; our
    own transactions last milliseconds), and notice a vanished client over TCP
    within about a minute instead of the system's two hours."""
    conn.execute(
        f"SET idle_in_transaction_session_timeout = '{int(STALLED_TRANSACTION_S * 1000)}ms'; "
        f"SET tcp_keepalives_idle = {TCP_KEEPALIVE_IDLE_S}; SET tcp_keepalives_interval = 10; "
        "SET tcp_keepalives_count = 3"
    )


def _adapt(conn: Any) -> None:
    """Python values as SQLite gives and takes them: ``sum()`` and ``avg()``
    (PostgreSQL's numeric) come back as int or float, not Decimal."""

    class NumericAsNumber(adapt.Loader):
        def load(self, data: bytes) -> int | float:
            text = bytes(data).decode()
            return float(text) if "." in text or "e" in text.lower() or text[-1:].isalpha() else int(text)

    conn.adapters.register_loader("numeric", NumericAsNumber)


def _arguments(params: Params) -> Sequence[Any] | Mapping[str, Any]:
    if params is None:
        return ()
    return params if isinstance(params, Mapping) else list(params)


class PostgresDatabase(Database):
    """The PostgreSQL engine."""

    dialect = "postgresql"

    def __init__(self, conn: Any, *, name: str, url: str) -> None:
        self.conn = conn
        self.name = name
        self.url = url

    # --- queries ---------------------------------------------------------
    def execute(self, sql: str, params: Params = None) -> Any:
        try:
            return self.conn.execute(translate(sql), _arguments(params))
        except psycopg.Error as err:
            raise _problem(err, self.name) or err

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        try:  # a lost connection fails already here
            cursor = self.conn.cursor(row_factory=dict_row)
        except psycopg.Error as err:
            raise _problem(err, self.name) or err
        with cursor:
            try:
                cursor.execute(translate(sql), _arguments(params))
            except psycopg.Error as err:
                raise _problem(err, self.name) or err
            yield from cursor

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]] | Iterator[Sequence[Any]]) -> None:
        rows = [_arguments(row) for row in rows]
        if not rows:
            return
        try:
            with self.conn.cursor() as cursor:
                cursor.executemany(translate(sql), rows)
        except psycopg.Error as err:
            raise _problem(err, self.name) or err

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        # COPY: a 10,000-article copy took 17 s as INSERTs, 11 s this way.
        names = ", ".join(f'"{name}"' for name in columns)
        with self.conn.cursor() as cursor:
            try:
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            except psycopg.Error as err:
                raise _problem(err, self.name) or err

    # --- transactions ----------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return self.conn.info.transaction_status != pq.TransactionStatus.IDLE

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        if self.in_transaction:
            yield self
            return
        # One round trip to begin and take the lock, one to notify and commit:
        # every round trip made while holding the team lock is time every other
        # writer waits (bench/bench_stress.py), and a commit with fsync on is already one.
        self._begin(_begin_write(), "another writer has held the team lock")
        with self._transaction(None, commit=_COMMIT_WRITE):
            yield self

    @contextlib.contextmanager
    def bulk_write(self) -> Iterator[Database]:
        # Bulk writers queue in the server (a session lock, which dies with the
        # connection if the process is killed); a person's write never joins that queue.
        if self.in_transaction:  # inside a write, which holds the team lock already
            with self.write():
                yield self
            return
        self._begin(_take_bulk_turn(), "another bulk write (ingest) has held its turn")
        try:
            with self.write():
                yield self
            time.sleep(BULK_GAP_S)
        finally:
            with contextlib.suppress(psycopg.Error):
                self.conn.execute("SELECT pg_advisory_unlock(%s)", [BULK_LOCK])

    def _begin(self, sql: str, holder: str) -> None:
        """Run ``sql`` (statements that end holding a lock); a wait past
        :data:`WRITE_WAIT_S` is a one-line :class:`StoreError`."""
        try:
            self.conn.execute(sql)
        except psycopg.Error as err:
            if self.in_transaction:
                with contextlib.suppress(psycopg.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(err, errors.LockNotAvailable):
                raise StoreError(f"the database is busy: {holder} for over {WRITE_WAIT_S:.0f} s") from None
            raise _problem(err, self.name) or err from None

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Database]:
        if self.in_transaction:
            yield self
            return
        with self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"):
            yield self

    @contextlib.contextmanager
    def _transaction(self, begin: str | None, commit: str = "COMMIT") -> Iterator[None]:
        """A transaction begun with ``begin`` (None: already begun), ended with ``commit``."""
        if begin is not None:
            self.conn.execute(begin)
        try:
            yield
        except BaseException as err:
            with contextlib.suppress(psycopg.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(err, psycopg.Error) and (problem := _problem(err, self.name)) is not None:
                raise problem from None
            raise
        try:
            self.conn.execute(commit)
        except psycopg.Error as err:
            if self.in_transaction:  # a statement before the COMMIT failed
                with contextlib.suppress(psycopg.Error):
                    self.conn.execute("ROLLBACK")
            raise _problem(err, self.name) or err from None

    # --- the schema ------------------------------------------------------
    def schema_version(self) -> int:
        if self.conn.execute("SELECT to_regclass(%s)", [SCHEMA_TABLE]).fetchone()[0] is None:
            return 0
        row = self.conn.execute(f"SELECT version FROM {SCHEMA_TABLE}").fetchone()
        return row[0] if row else 0

    def set_schema_version(self, version: int) -> None:
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version INTEGER NOT NULL)")
        self.conn.execute(f"DELETE FROM {SCHEMA_TABLE}")
        self.conn.execute(f"INSERT INTO {SCHEMA_TABLE} (version) VALUES (%s)", [int(version)])

    def table_names(self) -> list[str]:
        rows = self.conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
        return [row[0] for row in rows if row[0] != SCHEMA_TABLE]

    def columns(self, table: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in rows]

    def changes(self) -> ChangeFeed:
        return NotifyFeed(self.url)

    def close(self) -> None:
        self.conn.close()

    # --- spellings -------------------------------------------------------
    def json_int(self, column: str, key: str) -> str:
        return (f"(CASE WHEN jsonb_typeof(({column})::jsonb -> '{key}') = 'number'"
                f" THEN (({column})::jsonb ->> '{key}')::bigint END)")

    def json_text(self, column: str, key: str) -> str:
        return f"(({column})::jsonb ->> '{key}')"

    def seconds_between(self, earlier: str, later: str) -> str:
        return f"EXTRACT(EPOCH FROM (({later})::timestamptz - ({earlier})::timestamptz))::float8"

    def json_arrays(self, items: Sequence[str], *, json_items: Sequence[str] = ()) -> str:
        values = ", ".join(f"({item})::json" if item in json_items else item for item in items)
        return f"coalesce(json_agg(json_build_array({values}))::text, '[]')"

    def sha256_hex(self, first: str, second: str) -> str:
        # Text cannot hold a NUL byte in PostgreSQL; bytes can.
        return (f"(encode(sha256(convert_to({first}, 'UTF8') || '\\x00'::bytea || convert_to({second}, 'UTF8')),"
                " 'hex') COLLATE \"C\")")


class NotifyFeed(ChangeFeed):
    """PostgreSQL's change feed: LISTEN on a connection of its own; every write
    transaction sends one NOTIFY when it commits."""

    def __init__(self, url: str) -> None:
        self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        self._conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> bool:
        woke = False
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            woke = True
        if woke:  # take the rest of the batch too, without waiting
            for _ in self._conn.notifies(timeout=0.001):
                pass
        return woke

    def close(self) -> None:
        self._conn.close()


def _problem(err: BaseException, name: str) -> StoreError | None:
    """A one-line :class:`StoreError` for a PostgreSQL error a person can act on."""
    if psycopg is None or not isinstance(err, psycopg.Error):
        return None
    first = (str(err).strip().splitlines() or [type(err).__name__])[0]
    if isinstance(err, errors.DiskFull):
        return StoreError(f"the disk of the PostgreSQL server holding {name} is full; the change in progress was "
                          "undone and everything stored before is kept. Free some space and run it again")
    if isinstance(err, (errors.InsufficientPrivilege, errors.ReadOnlySqlTransaction)):
        return StoreError(f"{name} cannot be written ({first}); nothing was changed. Ask for write access")
    if isinstance(err, errors.UndefinedTable | errors.UndefinedColumn):
        return StoreError(f"{name} is damaged or was changed by another tool ({first}); nothing was changed. "
                          "Restore it from a backup")
    if isinstance(err, psycopg.OperationalError):
        return ConnectionLost(f"{name}: the connection to the server failed ({first}); "
                              "the change in progress was not made")
    return None
