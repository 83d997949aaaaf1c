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


GUIDELINES = "guidelines"
GUIDELINES_VERSION = "guidelines.version"
GUIDELINES_SEEN = "guidelines.seen."  # + annotator: the version they last saw


def set_guidelines(db: sqlite_utils.Database, text: str) -> str:
    """Store the team's annotation guidelines (Markdown); returns their version
    (a hash of the text), which every annotator's app compares with the one
    they last saw."""
    import hashlib

    version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    with write(db):
        write_setting(db, GUIDELINES, text)
        write_setting(db, GUIDELINES_VERSION, version)
    return version


def read_guidelines(db: sqlite_utils.Database) -> str | None:
    """The guidelines, or None when none were set."""
    return read_setting(db, GUIDELINES)


def unseen_guidelines(db: sqlite_utils.Database, annotator: str) -> str | None:
    """The guidelines when ``annotator`` has not seen this version yet (and
    records that they now have: the app shows them once per change); else None."""
    version = read_setting(db, GUIDELINES_VERSION)
    if version is None or read_setting(db, GUIDELINES_SEEN + annotator) == version:
        return None
    with write(db):
        text = read_setting(db, GUIDELINES)
        write_setting(db, GUIDELINES_SEEN + annotator, version)
    return text


class Settings:
    """The team settings of one database, the guidelines among them."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def get(self, key: str) -> str | None:
        """The stored value, or None when the setting was never set."""
        return read_setting(self.db, key)

    def set(self, key: str, value: str) -> None:
        """Store a value, replacing the old one."""
        write_setting(self.db, key, value)

    def guidelines(self) -> str | None:
        """The guidelines, or None when none were set."""
        return read_guidelines(self.db)

    def set_guidelines(self, text: str) -> str:
        """Store the guidelines; returns their version (see :func:`set_guidelines`)."""
        return set_guidelines(self.db, text)

    def unseen_guidelines(self, annotator: str) -> str | None:
        """The guidelines when ``annotator`` has not seen this version yet, recording that they now have."""
        return unseen_guidelines(self.db, annotator)
