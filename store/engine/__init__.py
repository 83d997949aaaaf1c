"""The two database engines behind :class:`store.Store`: SQLite (one file, the
embedded default) and PostgreSQL (a server, for teams on several machines).

Both implement :class:`store.engine.base.Database`; the store modules write
one SQL text for both, in SQLite's spelling (``?`` and ``:name`` parameters,
``INSERT OR IGNORE``), which the PostgreSQL engine translates
(:mod:`store.engine.pg_sql`). Where the two differ beyond spelling (JSON,
time arithmetic, text search) a module asks ``db.dialect``.
"""

from __future__ import annotations

from pathlib import Path

from store.engine.base import Database, database_target, is_url, safe_url, shown

__all__ = ["Database", "database_target", "is_url", "open_database", "safe_url", "shown"]


def open_database(target: Path | str, *, create: bool = True, allow_network_fs: bool | None = None) -> Database:
    """The database at ``target``: a ``postgresql://`` URL or an SQLite file path."""
    if is_url(target):
        from store.engine.postgres import connect_postgres

        return connect_postgres(str(target), create=create)
    from store.db import connect

    return connect(target, create=create, allow_network_fs=allow_network_fs)
