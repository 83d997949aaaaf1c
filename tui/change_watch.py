"""Other people's changes, as they are committed.

A :class:`ChangeWatcher` thread holds the store's change feed
(:meth:`store.Store.changes`): on PostgreSQL a LISTEN for the NOTIFY every
write sends at commit, on SQLite the file's data version. Each time anyone
commits, it calls ``on_change`` on the event loop that started it (at most
every :data:`MIN_GAP_S`, so a bulk ingest committing many times a second
costs the screens two refreshes a second, not dozens). Screens react to :class:`tui.messages.DatabaseChanged`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

MIN_GAP_S = 0.5
# While the database cannot be opened yet (an app started before the first ingest).
RETRY_S = 2.0


class ChangeWatcher:
    """A daemon thread that has ``on_change`` called on the event loop after others' commits."""

    def __init__(self, target: Path | str, on_change: Callable[[], None]) -> None:
        self.target = target
        self.on_change = on_change
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="claimdesk-changes", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """Start watching; call from the event loop, where ``on_change`` will run."""
        self._loop = asyncio.get_running_loop()
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()

    def _run(self) -> None:
        from store import Store

        while not self._stopping.is_set():
            try:
                with Store(self.target, create=False) as store, store.changes() as feed:
                    while not self._stopping.is_set():
                        if feed.wait(timeout=MIN_GAP_S):
                            self._tell()
                            self._stopping.wait(MIN_GAP_S)
            except Exception:  # not there yet, or the server went away: try again soon; never take the app down
                pass
            self._stopping.wait(RETRY_S)

    def _tell(self) -> None:
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(self.on_change)
        except RuntimeError:
            pass  # the loop has closed: the app is gone
