"""An open claimdesk database: :class:`Store`."""

from __future__ import annotations

from pathlib import Path

from store.articles import ArticleStore
from store.engine import is_url, open_database
from store.labels import LabelStore
from store.progress import ProgressStore
from store.schema import migrate
from store.spans import SpanStore


class Store:
    """An open claimdesk database: articles, spans, labels and progress over one connection."""

    def __init__(self, path: Path | str, *, create: bool = True, allow_network_fs: bool | None = None) -> None:
        """``allow_network_fs`` overrides the refusal of a database on a network
        filesystem (default: the environment variable CLAIMDESK_ALLOW_NETWORK_FS)."""
        self.path = path if is_url(path) else Path(path)
        self.db = open_database(self.path, create=create, allow_network_fs=allow_network_fs)
        try:
            migrate(self.db, self.db.name)
        except BaseException:
            self.db.close()
            raise
        self.articles = ArticleStore(self.db)
        self.spans = SpanStore(self.db)
        self.labels = LabelStore(self.db)
        self.progress = ProgressStore(self.db)

    def close(self) -> None:
        """Close the connection (every change is already committed)."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
