"""The label set, kept in the database so a whole team shares it."""

from __future__ import annotations

import re

from store.sqlite import sqlite_utils

from store.db import StoreError, write
from store.models import Label

_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class LabelStore:
    """Read and extend the label set."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def all(self) -> list[Label]:
        """Every label, in display order."""
        return [Label(**r) for r in self.db.query("SELECT * FROM labels ORDER BY position, name")]

    def add(self, name: str, key: str | None, colour: str) -> Label:
        """Add a label; its key must be one character not used by another label."""
        if not _NAME.match(name):
            raise StoreError(f"label name {name!r}: use lower-case letters, digits, - or _ (up to 32)")
        if key is not None and len(key) != 1:
            raise StoreError(f"label key {key!r}: use a single character")
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
            raise StoreError(f"label colour {colour!r}: use #rrggbb")
        with write(self.db):
            # One statement takes the position and claims the name and key at once.
            # (WHERE true: without it SQLite reads the ON CONFLICT as a join's ON.)
            row = self.db.execute(
                "INSERT INTO labels (name, key, colour, position)"
                " SELECT ?, ?, ?, coalesce(max(position), -1) + 1 FROM labels WHERE true"
                " ON CONFLICT DO NOTHING RETURNING position",
                [name, key, colour],
            ).fetchone()
            if row is None:
                if self.db.execute("SELECT 1 FROM labels WHERE name = ?", [name]).fetchone():
                    raise StoreError(f"label {name!r} exists already")
                raise StoreError(f"key {key!r} is taken by another label")
            label = Label(name=name, key=key, colour=colour, position=row[0])
        return label

    def add_missing(self, name: str, colour: str) -> bool:
        """Add a label without a key unless one of that name exists; True when added.

        One statement: two ingests bringing the same new label at once both
        succeed (one adds it, the other finds it), where a look-then-add would
        fail the second with "exists already"."""
        if not _NAME.match(name):
            raise StoreError(f"label name {name!r}: use lower-case letters, digits, - or _ (up to 32)")
        with write(self.db):
            row = self.db.execute(
                "INSERT INTO labels (name, key, colour, position)"
                " SELECT ?, NULL, ?, coalesce(max(position), -1) + 1 FROM labels WHERE true"
                " ON CONFLICT (name) DO NOTHING RETURNING position",
                [name, colour],
            ).fetchone()
        return row is not None
