"""The store, off the UI thread.

A :class:`StoreThread` owns one connection and runs jobs (functions of a
:class:`store.Store`) one at a time, in the order they were submitted, so
"tag, then undo" is applied in that order while the UI keeps drawing. A
write under contention can wait seconds for the lock; the screen never does.
Results come back to the event loop, to a callback or an asyncio future.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from store import Store

T = TypeVar("T")
Job = Callable[["Store"], T]
# Called on the event loop with a job's result, or the error it raised.
Deliver = Callable[[Any, "BaseException | None"], None]


class StoreThread:
    """One worker thread with its own connection to the database.

    Each job's result is handed over on the event loop in the same callback
    that counts the job finished, so a job submitted by that hand-over is
    counted before the thread can look idle: :meth:`idle` is exact.
    """

    def __init__(self, path: Path | str, name: str) -> None:
        self.path = path
        self._queue: queue.SimpleQueue[tuple[Job, Deliver, contextvars.Context] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending = 0
        self._idle: asyncio.Event | None = None
        self._released = threading.Event()

    @property
    def busy(self) -> bool:
        """Whether a job submitted is not finished yet (its result not handed over)."""
        return self._pending > 0

    def start(self, *, held: bool = False) -> None:
        """Start taking jobs; call from the event loop. A ``held`` thread queues
        them and runs none until :meth:`release`."""
        if not held:
            self._released.set()
        if self._loop is not None:
            return  # already started (by a first job)
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Event()
        self._idle.set()
        self._thread.start()

    def call(self, job: Job[T], deliver: Deliver) -> None:
        """Queue ``job``; ``deliver(result, error)`` runs on the event loop when it
        has finished. Starts the thread on first use. Call from the event loop."""
        if self._loop is None:
            self.start()
        assert self._idle is not None
        self._pending += 1
        self._idle.clear()
        # Handed over in the caller's context (Textual finds its app there), not the thread's.
        self._queue.put((job, deliver, contextvars.copy_context()))

    def submit(self, job: Job[T]) -> asyncio.Future[T]:
        """Queue ``job``; the future resolves on the event loop with its result."""
        if self._loop is None:
            self.start()
        assert self._loop is not None
        future: asyncio.Future[T] = self._loop.create_future()

        def deliver(result: Any, error: BaseException | None) -> None:
            if future.cancelled():
                return
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)

        self.call(job, deliver)
        return future

    def report_to_loop(self, show: Callable[..., Any]) -> Callable[..., None]:
        """A function for a job to call in this thread: each call runs ``show``
        with its arguments on the event loop, without waiting for it (and before
        the job's own result is handed over). Call from the event loop."""
        if self._loop is None:
            self.start()
        loop, context = self._loop, contextvars.copy_context()
        assert loop is not None

        def report(*args: Any) -> None:
            try:
                loop.call_soon_threadsafe(show, *args, context=context)
            except RuntimeError:
                pass  # the loop has closed: nobody is watching

        return report

    async def idle(self) -> None:
        """Wait until every job submitted so far (and any submitted while their
        results were handed over) has finished and its result is handed over."""
        while self._pending:
            assert self._idle is not None
            await self._idle.wait()

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
            job, deliver, context = item
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
                if store is not None and _connection_lost(err):
                    # The server restarted or the network dropped: the next job connects afresh.
                    with contextlib.suppress(Exception):
                        store.close()
                    store = None
            self._deliver(deliver, result, error, context)
        if store is not None:
            store.close()

    def _deliver(self, deliver: Deliver, result: Any, error: BaseException | None,
                 context: contextvars.Context) -> None:
        def finish() -> None:
            try:
                deliver(result, error)
            finally:
                self._pending -= 1
                if not self._pending and self._idle is not None:
                    self._idle.set()

        try:
            assert self._loop is not None
            self._loop.call_soon_threadsafe(finish, context=context)
        except RuntimeError:
            pass  # the loop has closed: the app is gone, the job's work is committed


def _connection_lost(error: Exception) -> bool:
    from store import ConnectionLost

    return isinstance(error, ConnectionLost)
