"""Claim matching in a thread of its own, so it never blocks typing.

The :class:`store.claim_matches.ClaimMatcher` and its indexes live in one
:class:`tui.store_thread.StoreThread` with its own connection: building an
index (minutes the first time on a large corpus; later starts load it from
its cache file in seconds) holds up neither the writer (tagging, undo) nor
the reader (library pages). The thread starts with the first match asked
for; numpy and rapidfuzz are imported there, not at the app's start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tui.store_thread import Job, StoreThread

if TYPE_CHECKING:
    from store import Store
    from store.claim_matches import ClaimMatcher

T = TypeVar("T")


def _embedder():
    """The semantic scorer when its model is installed and readable; else words only
    (a broken model must not take the Matches panel down with it)."""
    from corpus.semantic import ModelError
    from store.embeddings import open_embedder

    try:
        return open_embedder()
    except (ModelError, OSError):
        return None


class MatchService:
    """The app's one claim matcher, behind its thread."""

    def __init__(self, db_path: Path | str) -> None:
        self.thread = StoreThread(db_path, "claimdesk-matcher")
        self._matcher: ClaimMatcher | None = None  # touched only in the thread

    def job(self, work: Callable[[ClaimMatcher], T]) -> Job[T]:
        """A job for :attr:`thread` that runs ``work`` with the matcher (made on first use)."""
        return lambda store: work(self._matcher_for(store))

    def _matcher_for(self, store: Store) -> ClaimMatcher:
        if self._matcher is None:
            self._matcher = store.claim_matcher(embedder=_embedder())
        return self._matcher

    def stop(self) -> None:
        """Close the thread without waiting for a match in progress: it only reads."""
        self.thread.stop(timeout=0)
