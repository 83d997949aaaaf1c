"""The store, off the UI thread.

A :class:`StoreThread` owns one connection and runs jobs (functions of a
:class:`store.Store`) one at a time, in the order they were submitted, so
"tag, then undo" is applied in that order while the UI keeps drawing. A
write under contention can wait seconds for the lock; the screen never does.
Results come back to the event loop as asyncio futures.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from store import Store

T = TypeVar("T")
Job = Callable[["Store"], T]


class StoreThread:
    """One worker thread with its own connection to the database."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self._queue: queue.SimpleQueue[tuple[Job, asyncio.Future] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending = 0
        self._idle: asyncio.Event | None = None
        self._released = threading.Event()

    def start(self, *, held: bool = False) -> None:
        """Start taking jobs; call from the event loop. A ``held`` thread queues
        them and runs none until :meth:`release`."""
        if not held:
            self._released.set()
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Event()
        self._idle.set()
        self._thread.start()

    def submit(self, job: Job[T]) -> asyncio.Future[T]:
        """Queue ``job``; the future resolves on the event loop with its result."""
        assert self._loop is not None and self._idle is not None, "start() first"
        future: asyncio.Future[T] = self._loop.create_future()
        self._pending += 1
        self._idle.clear()
        self._queue.put((job, future))
        return future

    async def idle(self) -> None:
        """Wait until every job submitted so far (and any it led to) has finished."""
        assert self._idle is not None
        while self._pending:
            await self._idle.wait()
            # Let callbacks of the finished futures run: they may submit more.
            await asyncio.sleep(0)
            await asyncio.sleep(0)

    def stop(self, timeout: float = 5.0) -> None:
        """Finish the queued jobs (waiting at most ``timeout`` seconds) and close."""
        if self._thread.is_alive():
            self._released.set()
            self._queue.put(None)
            self._thread.join(timeout)

    def release(self) -> None:
        """Let a held thread run its jobs."""
        self._released.set()

    def _run(self) -> None:
        self._released.wait()
        store: Store | None = None
        while (item := self._queue.get()) is not None:
            job, future = item
            result: Any = None
            error: BaseException | None = None
            try:
                # Opened by the first job, and tried again by later ones while it
                # fails: the database may be created (ingested) while the app is open.
                if store is None:
                    # Loaded here, off the UI thread: the first frame need not wait for it.
                    from store import Store

                    store = Store(self.path, create=False)
                result = job(store)
            except Exception as err:  # handed to the job's caller, which shows it
                error = err
            self._deliver(future, result, error)
        if store is not None:
            store.close()

    def _deliver(self, future: asyncio.Future, result: Any, error: BaseException | None) -> None:
        def finish() -> None:
            if not future.cancelled():
                if error is None:
                    future.set_result(result)
                else:
                    future.set_exception(error)
            self._pending -= 1
            if not self._pending and self._idle is not None:
                self._idle.set()

        try:
            assert self._loop is not None
            self._loop.call_soon_threadsafe(finish)
        except RuntimeError:
            pass  # the loop has closed: the app is gone, the job's work is committed
