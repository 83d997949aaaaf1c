"""What the concurrency and fault benches need to run on either engine: where a
fresh database goes, and the checks that follow a kill -9.

On SQLite a database is a file and ``PRAGMA integrity_check`` /
``foreign_key_check`` look at it. On PostgreSQL it is a URL (a schema of a
throwaway server, bench/pg_throwaway.py) and the equivalents are
``amcheck``'s ``bt_index_check`` on every index of the schema (the server's
own consistency check of its B-trees) and, for every foreign key, a search
for rows whose parent is missing.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from store.engine import Database, database_target, is_url, open_database

ENGINES = ("sqlite", "postgresql")


def label(target: Path | str) -> str:
    """``sqlite`` or ``postgresql``: the engine of a database target."""
    return "postgresql" if is_url(target) else "sqlite"


def exists(target: Path | str) -> bool:
    """Whether a claimdesk database is at ``target`` yet (made and migrated)."""
    if not is_url(target) and not Path(target).exists():
        return False
    try:
        open_database(target, create=False).close()
    except Exception:  # noqa: BLE001 - any failure to open means "not yet"
        return False
    return True


def integrity(db: Database) -> str:
    """``ok``, or what the engine's own consistency check found wrong."""
    if db.dialect == "sqlite":
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    with contextlib.suppress(Exception):
        db.execute("CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public")
    if db.execute("SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'").fetchone()[0] == 0:
        return "ok (amcheck not available: indexes not checked)"
    indexes = [row[0] for row in db.execute(
        "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree'"
        " AND c.relnamespace = current_schema()::regnamespace")]
    problems = []
    for index in indexes:
        try:
            db.execute("SELECT public.bt_index_check(?::regclass, true)", [index])
        except Exception as err:  # noqa: BLE001 - the message is the finding
            problems.append(f"{index}: {str(err).splitlines()[0]}")
    return "ok" if not problems else "; ".join(problems)


def foreign_key_problems(db: Database) -> list[str]:
    """Rows whose foreign key names a missing parent, one line per table and key."""
    if db.dialect == "sqlite":
        return [str(tuple(row)) for row in db.execute("PRAGMA foreign_key_check").fetchall()]
    keys = db.execute(
        "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text,"
        " array(SELECT attname FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = ANY(c.conkey) ORDER BY"
        "  array_position(c.conkey, attnum)),"
        " array(SELECT attname FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = ANY(c.confkey) ORDER BY"
        "  array_position(c.confkey, attnum))"
        " FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
    ).fetchall()
    problems = []
    for child, parent, columns, parent_columns in keys:
        present = " AND ".join(f'c."{col}" IS NOT NULL' for col in columns)
        match = " AND ".join(f'p."{pc}" = c."{col}"' for col, pc in zip(columns, parent_columns))
        orphans = db.execute(
            f"SELECT count(*) FROM {child} c WHERE {present} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})"
        ).fetchone()[0]
        if orphans:
            problems.append(f"{child}({', '.join(columns)}) -> {parent}: {orphans} rows without a parent")
    return problems


# A database named on a command line: a URL as it is, anything else as a path.
target = database_target
