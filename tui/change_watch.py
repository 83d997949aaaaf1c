"""Other people's changes, as they are committed.

A :class:`ChangeWatcher` thread holds the store's change feed
(:meth:`store.Store.changes`): on PostgreSQL a LISTEN for the NOTIFY every
write sends at commit, on SQLite the file's data version. Each time anyone
commits, it calls ``on_change`` (at most every :data:`MIN_GAP_S`, so a bulk
ingest committing many times a second costs the screens two refreshes a
second, not dozens). Screens react to :class:`tui.messages.DatabaseChanged`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

MIN_GAP_S = 0.5
# While the database cannot be opened yet (an app started before the first ingest).
RETRY_S = 2.0


class ChangeWatcher:
    """A daemon thread that calls ``on_change`` after others' commits."""

    def __init__(self, target: Path | str, on_change: Callable[[], None]) -> None:
        self.target = target
        self.on_change = on_change
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="claimdesk-changes", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()

    def _run(self) -> None:
        from store import Store, StoreError

        while not self._stopping.is_set():
            try:
                with Store(self.target, create=False) as store, store.changes() as feed:
                    while not self._stopping.is_set():
                        if feed.wait(timeout=MIN_GAP_S):
                            self.on_change()
                            self._stopping.wait(MIN_GAP_S)
            except (StoreError, OSError, RuntimeError):
                pass  # not there yet, or the server went away: try again soon
            except Exception:  # the feed must never take the app down with it
                pass
            self._stopping.wait(RETRY_S)
