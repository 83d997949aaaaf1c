"""The database: one SQLite file, opened through :class:`Store`.

Importing this package is cheap: :class:`Store` and the tools behind it
(sqlite-utils, pydantic) load when first used, so the app can draw its first
frame before they are needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.errors import ConnectionLost, DatabaseMissing, SpanConflict, SpanError, StoreError

if TYPE_CHECKING:
    from store.opened import Store

__all__ = ["Store", "StoreError", "ConnectionLost", "DatabaseMissing", "SpanConflict", "SpanError", "default_db_path", "ALLOW_NETWORK_FS_ENV"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from store.opened import Store

        return Store
    if name == "default_db_path":
        from store.db import default_db_path

        return default_db_path
    if name == "ALLOW_NETWORK_FS_ENV":
        from store.db import ALLOW_NETWORK_FS_ENV

        return ALLOW_NETWORK_FS_ENV
    raise AttributeError(f"module 'store' has no attribute {name!r}")
