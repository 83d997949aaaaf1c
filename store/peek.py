"""Quick looks into a database without opening a :class:`store.Store`.

The app reads the label keys before its first frame (a keymap that clashes
with them must stop the start), when loading sqlite-utils, pydantic and the
migrations would hold that frame back: this module needs only ``sqlite3``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from store.engine.base import is_url


def label_keys(db_path: Path | str) -> dict[str, str | None]:
    """Each label's key, read straight from the file, read-only (no store, no
    migration). Empty when there is no database yet, or when the file is not a
    claimdesk database (the store says so when it opens it)."""
    if is_url(db_path):
        return _postgres_label_keys(str(db_path))
    path = Path(db_path)
    if not path.exists():
        return {}
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as conn:
            return dict(conn.execute("SELECT name, key FROM labels"))
    except sqlite3.Error:
        return {}


def _postgres_label_keys(url: str) -> dict[str, str | None]:
    """:func:`label_keys` on a PostgreSQL server: empty when it cannot be reached
    or holds no claimdesk tables (the store says why when it opens)."""
    try:
        import psycopg
    except ImportError:
        return {}
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            return dict(conn.execute("SELECT name, key FROM labels").fetchall())
    except psycopg.Error:
        return {}
