"""A progress bar on stderr for long commands, only when a person is watching.

With a known total it is a bar with ``done/total``, the rate and the time
left (Rich's progress display, which comes with Textual); without one, a
count and a rate. When stderr is not a terminal (a pipe, a log file, cron)
nothing is drawn at all: ``enabled`` is False and Rich is never imported.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

from corpus.escape import escape_controls
from tui.commands.output import terminal

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress


class Progress:
    """``ingesting ━━━━━━╸━━━━ 12,345/40,000  4,000/s  0:00:07 left``, redrawn in place.

    The display starts at the first :meth:`update` and ends on leaving the
    ``with`` block (or :meth:`__exit__`), leaving no trace on the terminal.
    """

    def __init__(self, what: str, *, enabled: bool, total: int | None = None) -> None:
        self.what = what
        self.enabled = enabled
        self.total = total
        self._bar: RichProgress | None = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _start(self) -> RichProgress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TaskProgressColumn
        from rich.progress import TextColumn, TimeElapsedColumn, TimeRemainingColumn

        if self.total:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                       TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), TextColumn("left"))
        else:
            columns = (TextColumn("{task.description}"), TextColumn("{task.completed:,} done"),
                       TextColumn("{task.fields[rate]}"), TimeElapsedColumn())
        bar = RichProgress(*columns, console=Console(file=terminal(sys.stderr), highlight=False), transient=True,
                           refresh_per_second=5, redirect_stdout=False, redirect_stderr=False)
        # Not redirected: Rich's stand-in for sys.stdout would read escape sequences in
        # what is printed instead of letting tui.commands.output escape them.
        self._task = bar.add_task(self.what, total=self.total or None, rate="")
        bar.start()
        return bar

    def update(self, done: int) -> None:
        """Show ``done`` items finished."""
        if not self.enabled:
            return
        if self._bar is None:
            self._bar = self._start()
        task = self._bar.tasks[0]
        speed = task.speed
        self._bar.update(self._task, completed=done, rate=f"{speed:,.0f}/s" if speed else "")

    def print(self, message: str, file: TextIO | None = None) -> None:
        """Print a line above the bar (on standard error unless told; markup off and
        control characters escaped: messages name untrusted files)."""
        if self._bar is not None and file in (None, sys.stderr):
            self._bar.console.print(escape_controls(message, keep_newlines=True), markup=False, highlight=False,
                                    emoji=False, soft_wrap=True)
        else:
            print(message, file=file or sys.stderr)
