"""Team-wide settings kept in the database (the ``settings`` table), so every
annotator's claimdesk follows the same rules."""

from __future__ import annotations

from store.sqlite import sqlite_utils

from store.db import StoreError, write


def read_setting(db: sqlite_utils.Database, key: str) -> str | None:
    """The stored value, or None when the setting was never set."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def read_int_setting(db: sqlite_utils.Database, key: str, default: int) -> int:
    """A whole-number setting, or ``default`` when unset."""
    value = read_setting(db, key)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise StoreError(f"setting {key!r} holds {value!r}, not a whole number; set it again") from None


def write_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    """Store a value, replacing the old one, in its own write transaction (or
    in the caller's, when one is open)."""
    with write(db):
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
