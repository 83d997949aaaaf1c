"""Copying a whole claimdesk database to another one, on either engine
(``claimdesk db copy``): how a team moves from its SQLite file to a
PostgreSQL server, or back.

Every table of the schema is copied row for row, keeping every key:
articles and spans keep their ``rowid`` (the ingest order the library pages
by), events and claim decisions their ``seq`` (the order undo walks), the
text byte for byte. The source is read a page at a time inside one snapshot,
so the copy is the database as it was at one moment (a span and the event
that made it cannot be split by someone's write in between); the target is
written in batches, each its own write transaction.

What is engine-specific is not copied but rebuilt: SQLite's title index
(and the setting that says how far it got), PostgreSQL's identity sequences
(moved past the copied keys). The copy is verified at the end: every table
holds as many rows as the source did, and the target's spans equal the
replay of its events.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.articles import TITLE_INDEX_MARK
from store.db import snapshot, write
from store.engine import Database, is_url, open_database
from store.errors import StoreError
from store.replay import replay_differences
from store.schema import DEFAULT_LABELS, migrate

# Every table of the schema with its key (the order pages are read in), listed
# so that each comes after the tables its foreign keys name. A table the
# migrations make that is missing here stops the copy before it starts
# (tests/test_db_copy.py checks this list against a new database of each engine).
TABLES: dict[str, tuple[str, ...]] = {
    "outlets": ("id",),
    "labels": ("name",),
    "articles": ("rowid",),
    "spans": ("rowid",),
    "suggestion_rules": ("span_id",),
    "events": ("seq",),
    "progress": ("article_id", "annotator"),
    "settings": ("key",),
    "article_locks": ("article_id", "annotator"),
    "claim_decisions": ("seq",),
    "claim_leaders": ("cluster",),
    "claim_clustered": ("span_id",),
    "claim_cluster_sizes": ("cluster",),
    "claim_conflicts": ("a", "b"),
}
# Tables whose SQLite rowid means something (ingest order, the paging key): it
# is copied as a column (PostgreSQL spells it out as one, see store/schema.py).
KEEPS_ROWID = frozenset({"articles", "spans"})
# SQLite's title index: an FTS5 table and the tables it keeps its index in.
TITLE_INDEX = "article_titles"
# Rows that describe the engine's own state, not the team's: not copied, rebuilt.
ENGINE_ROWS: dict[str, tuple[str, list[Any]]] = {"settings": ("key <> ?", [TITLE_INDEX_MARK])}
# Columns that move with changes that leave the row counts as they were (a span
# edited, a cursor moved, a lock refreshed): with the counts, how a copy tells
# that someone wrote to the source while it ran.
WRITE_MARKS = {"events": "seq", "progress": "updated_at", "article_locks": "seen_at"}
# Rows read a page at a time; article pages are smaller (a text can be megabytes).
PAGE_ROWS = 1000
ARTICLE_PAGE_ROWS = 100


@dataclass
class CopyReport:
    """What a copy did: the rows of every table, and how long it took."""

    source: str
    target: str
    counts: dict[str, int]
    seconds: float = 0.0
    # Filled by :func:`verify_copy`: one line per disagreement, empty when the copy is whole.
    problems: list[str] = field(default_factory=list)
    # Tables of the source someone wrote to while the copy ran (see WRITE_MARKS).
    changed_meanwhile: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        """One line: what was copied where, and that it was verified."""
        main = ", ".join(f"{self.counts.get(t, 0):,} {t}" for t in ("articles", "spans", "events"))
        others = self.rows - sum(self.counts.get(t, 0) for t in ("articles", "spans", "events"))
        return (
            f"copied {main} and {others:,} other rows ({len(self.counts)} tables) from {self.source} to "
            f"{self.target} in {self.seconds:.1f} s; verified: every table has the source's row count and the "
            f"spans equal the replay of the {self.counts.get('events', 0):,} events"
        )


def engine_tables(db: Database) -> set[str]:
    """The tables of ``db`` that belong to its engine rather than to claimdesk's data."""
    if db.dialect != "sqlite":
        return set()
    return {name for name in db.table_names()
            if name.startswith("sqlite_") or name == TITLE_INDEX or name.startswith(f"{TITLE_INDEX}_")}


def data_tables(db: Database) -> list[str]:
    """The tables to copy, in :data:`TABLES` order; a table claimdesk does not
    know of (a newer schema, or one made by hand) is refused, never skipped."""
    present = set(db.table_names()) - engine_tables(db)
    unknown = sorted(present - TABLES.keys())
    if unknown:
        raise StoreError(
            f"{db.name} has the table{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}, which `claimdesk db copy` "
            "does not know how to copy (made by hand, or by a newer claimdesk); nothing was copied"
        )
    return [name for name in TABLES if name in present]


def _filter(table: str) -> tuple[str, list[Any]]:
    where, params = ENGINE_ROWS.get(table, ("", []))
    return (f" WHERE {where}" if where else ""), list(params)


def table_counts(db: Database, tables: Sequence[str]) -> dict[str, int]:
    """The rows of each table that a copy carries over, read in one snapshot."""
    counts = {}
    with snapshot(db):
        for table in tables:
            where, params = _filter(table)
            counts[table] = db.execute(f'SELECT count(*) FROM "{table}"{where}', params).fetchone()[0]
    return counts


def _write_marks(db: Database, tables: Sequence[str]) -> dict[str, tuple[int, Any]]:
    """Each table's row count and, where it has one, its newest :data:`WRITE_MARKS` value."""
    marks = {}
    with snapshot(db):
        for table, count in table_counts(db, tables).items():
            newest = None
            if table in WRITE_MARKS:
                newest = db.execute(f'SELECT max("{WRITE_MARKS[table]}") FROM "{table}"').fetchone()[0]
            marks[table] = (count, newest)
    return marks


def _is_default_labels(db: Database) -> bool:
    rows = sorted(tuple(row.values()) for row in db.query("SELECT name, key, colour, position FROM labels"))
    return rows == sorted(DEFAULT_LABELS)


def what_it_holds(db: Database) -> str | None:
    """What makes ``db`` unfit as a copy's target, or None when it is empty: no
    tables, or claimdesk's tables holding nothing but the default labels."""
    present = set(db.table_names()) - engine_tables(db)
    if not present:
        return None
    known = [name for name in TABLES if name in present]
    if not known:
        return f"it holds other tables ({', '.join(sorted(present)[:5])})"
    counts = table_counts(db, known)
    if counts.get("labels") and _is_default_labels(db):
        counts["labels"] = 0
    held = [f"{count:,} {table}" for table, count in counts.items() if count]
    return f"it holds {', '.join(held)}" if held else None


def open_source(source: Path | str) -> Database:
    """The database to copy from, brought up to this claimdesk's schema."""
    db = open_database(source, create=False)
    try:
        migrate(db, db.name)
    except BaseException:
        db.close()
        raise
    return db


def open_target(target: Path | str) -> Database:
    """The database to copy into, made or migrated; refused (one line naming what
    it holds, nothing changed) unless it is empty."""
    db = open_database(target, create=True)
    try:
        if (held := what_it_holds(db)) is not None:
            raise StoreError(
                f"{db.name} is not empty ({held}); `claimdesk db copy` only copies into a new SQLite file or an "
                "empty PostgreSQL database (SRC first, then DST). Nothing was copied"
            )
        migrate(db, db.name)
    except BaseException:
        db.close()
        raise
    return db


def same_database(source: Path | str, target: Path | str) -> bool:
    """Whether ``source`` and ``target`` name the same database."""
    if is_url(source) or is_url(target):
        return str(source) == str(target)
    return Path(source).resolve() == Path(target).resolve()


def _columns(source: Database, target: Database, table: str) -> list[str]:
    columns = [name for name in source.columns(table) if name != "rowid"]
    if table in KEEPS_ROWID:
        columns = ["rowid", *columns]
    missing = [name for name in columns if name != "rowid" and name not in target.columns(table)]
    if missing:
        raise StoreError(f"{target.name}: the table {table} has no column {', '.join(missing)}; "
                         "nothing more was copied")
    return columns


def _pages(db: Database, table: str, columns: Sequence[str], *, page_rows: int) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``table`` as tuples in ``columns`` order, a page at a time, in
    order of the table's key (a row-value comparison, so composite keys page too)."""
    key = TABLES[table]
    selected = ", ".join(f'"{name}"' for name in columns)
    key_list = ", ".join(f'"{name}"' for name in key)
    where, params = _filter(table)
    positions = [list(columns).index(name) for name in key]
    last: list[Any] | None = None
    while True:
        clauses = [where[len(" WHERE "):]] if where else []
        page_params = list(params)
        if last is not None:
            clauses.append(f"({key_list}) > ({', '.join('?' for _ in key)})")
            page_params += last
        condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = [tuple(row.values()) for row in db.query(
            f'SELECT {selected} FROM "{table}"{condition} ORDER BY {key_list} LIMIT ?', [*page_params, page_rows]
        )]
        if rows:
            yield rows
        if len(rows) < page_rows:
            return
        last = [rows[-1][at] for at in positions]


def copy_database(source: Database, target: Database, *,
                  on_rows: Callable[[int, int], None] | None = None) -> CopyReport:
    """Copy every row of ``source`` into the empty ``target`` (both opened by
    :func:`open_source` and :func:`open_target`); ``on_rows`` hears the rows
    copied so far and the rows to copy in all after each batch. Returns the
    report, not yet verified."""
    started = time.monotonic()
    tables = data_tables(source)
    missing = [name for name in tables if name not in data_tables(target)]
    if missing:
        raise StoreError(f"{target.name} lacks the table{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                         "nothing was copied")
    with write(target):
        target.execute("DELETE FROM labels")  # the defaults a new database starts with: the source's replace them
    done = 0
    with snapshot(source):
        marks = _write_marks(source, tables)
        counts = {table: count for table, (count, _) in marks.items()}
        total = sum(counts.values())
        for table in tables:
            columns = _columns(source, target, table)
            page_rows = ARTICLE_PAGE_ROWS if table == "articles" else PAGE_ROWS
            for rows in _pages(source, table, columns, page_rows=page_rows):
                try:
                    with write(target):
                        target.insert_rows(table, columns, rows)
                except StoreError:
                    raise
                except Exception as err:  # a row the target's engine refuses: say which table, in one line
                    reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
                    raise StoreError(f"{target.name}: cannot copy a row of {table} ({reason}); "
                                     "nothing more was copied") from None
                done += len(rows)
                if on_rows is not None:
                    on_rows(done, total)
    _rebuild_engine_state(target)
    report = CopyReport(source=source.name, target=target.name, counts=counts, seconds=time.monotonic() - started)
    report.changed_meanwhile = [table for table, mark in _write_marks(source, tables).items() if mark != marks[table]]
    return report


def _rebuild_engine_state(target: Database) -> None:
    """What each engine keeps for itself, made to match the copied rows."""
    if target.dialect == "postgresql":
        # Keys were given explicitly, so the identity sequences never moved:
        # the next row would be given key 1 again.
        identities = list(target.query(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_identity = 'YES'"
        ))
        with write(target):
            for row in identities:
                table, column = row["table_name"], row["column_name"]
                target.execute(
                    f'SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max("{column}"), 0) + 1, false)'
                    f' FROM "{table}"',
                    [f'"{table}"', column],
                )
    else:
        from store.articles import ArticleStore

        ArticleStore(target).index_titles()  # the mark was not copied: every title is indexed afresh


def verify_copy(report: CopyReport, target: Database, source: Database | None = None) -> list[str]:
    """Check the copy: every table holds the rows the source held, and the spans
    equal the replay of the events. Returns (and records on ``report``) one line
    per problem; with ``source``, a disagreement the source has too is said to be the source's."""
    problems = []
    copied = table_counts(target, list(report.counts))
    for table, count in report.counts.items():
        if copied[table] != count:
            problems.append(f"{table}: {copied[table]:,} rows in {target.name}, {count:,} in {report.source}")
    if differences := replay_differences(target):
        if source is not None and replay_differences(source) == differences:
            problems.append(f"{report.source} itself fails this check, and was copied as it is: {differences[0]}")
        else:
            problems += differences
    report.problems = problems
    return problems


def empty_target(target: Database) -> None:
    """Take an interrupted copy's rows out of ``target`` again (in reverse order,
    for the foreign keys), leaving it as a new database: the default labels only."""
    with write(target):
        for table in reversed(data_tables(target)):
            target.execute(f'DELETE FROM "{table}"')
        if target.dialect == "sqlite" and TITLE_INDEX in target.table_names():
            target.execute(f"INSERT INTO {TITLE_INDEX} ({TITLE_INDEX}) VALUES ('delete-all')")
        target.executemany("INSERT INTO labels (name, key, colour, position) VALUES (?, ?, ?, ?)", DEFAULT_LABELS)

