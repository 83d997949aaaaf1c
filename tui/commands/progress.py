"""A progress line on stderr for long commands, only when a person is watching."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tui.commands.output import terminal


class Progress:
    """``ingesting: 12,345 done (4,000/s)`` redrawn in place at most ten times a second.

    Counts only (no bar): a streamed corpus has no known total.
    """

    def __init__(self, what: str, *, enabled: bool, total: int | None = None) -> None:
        self.what = what
        self.enabled = enabled
        self.total = total
        self.started = time.monotonic()
        self._drawn = 0.0
        self._width = 0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self._clear()

    def _clear(self) -> None:
        if self.enabled and self._width:
            terminal(sys.stderr).write("\r" + " " * self._width + "\r")
            terminal(sys.stderr).flush()
            self._width = 0

    def update(self, done: int) -> None:
        """Redraw with ``done`` items finished."""
        now = time.monotonic()
        if not self.enabled or now - self._drawn < 0.1:
            return
        self._drawn = now
        rate = done / max(now - self.started, 1e-6)
        if self.total:
            filled = int(30 * done / self.total)
            line = f"{self.what}: [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{self.total:,} ({rate:,.0f}/s)"
        else:
            line = f"{self.what}: {done:,} done ({rate:,.0f}/s)"
        terminal(sys.stderr).write("\r" + line.ljust(self._width))
        terminal(sys.stderr).flush()
        self._width = len(line)

    def print(self, message: str, file: TextIO | None = None) -> None:
        """Print a line above the progress line (on standard error unless told)."""
        self._clear()
        print(message, file=file or sys.stderr)
