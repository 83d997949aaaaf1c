"""The database: one SQLite file, opened through :class:`Store`."""

from __future__ import annotations

import sys
from pathlib import Path


def _import_sqlite_utils_without_dataframes() -> None:
    """sqlite-utils imports pandas and numpy when they are installed, only to map
    their column types, which we never insert: 300 ms and 100 MB at every start."""
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes their import fail
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_import_sqlite_utils_without_dataframes()

from store.articles import ArticleStore  # noqa: E402
from store.db import StoreError, connect, default_db_path
from store.labels import LabelStore
from store.schema import migrate
from store.spans import SpanConflict, SpanError, SpanStore

__all__ = ["Store", "StoreError", "SpanConflict", "SpanError", "default_db_path"]


class Store:
    """An open claimdesk database: articles, spans and labels over one connection."""

    def __init__(self, path: Path | str, *, create: bool = True, allow_network_fs: bool | None = None) -> None:
        """``allow_network_fs`` overrides the refusal of a database on a network
        filesystem (default: the environment variable CLAIMDESK_ALLOW_NETWORK_FS)."""
        self.path = Path(path)
        self.db = connect(self.path, create=create, allow_network_fs=allow_network_fs)
        try:
            migrate(self.db, str(self.path))
        except BaseException:
            self.db.close()
            raise
        self.articles = ArticleStore(self.db)
        self.spans = SpanStore(self.db)
        self.labels = LabelStore(self.db)

    def close(self) -> None:
        """Close the connection (every change is already committed)."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
