"""Hold the screen back while a screen fills in, then send it as one frame.

Opening an article pushes the annotate screen, lays it out, and shows the
text when the store thread has read it: each step on its own event-loop
turn, and Textual sends a full 80x24 frame for each (about 4 KB apiece,
most of the bytes before the text shows; docs/terminal-bytes.md). A hold
keeps Textual from drawing (``App.batch_update``) until :meth:`release`,
then repaints the screen once. It lets go by itself after ``limit``
seconds, so a slow or failed read never leaves the screen frozen.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from textual.app import App


class DisplayHold:
    """Textual draws nothing from creation until :meth:`release` (or ``limit`` seconds)."""

    def __init__(self, app: App, limit: float = 1.0) -> None:
        self.app = app
        self._batch: AbstractContextManager | None = app.batch_update()
        self._batch.__enter__()
        self._timer = app.set_timer(limit, self.release, name="display-hold")

    @property
    def held(self) -> bool:
        return self._batch is not None

    def release(self) -> None:
        """Draw again: the whole screen, once. Releasing twice does nothing."""
        if self._batch is None:
            return
        batch, self._batch = self._batch, None
        self._timer.stop()
        # Refresh first: ending the batch then draws the screen once, with
        # whatever Textual rendered (and dropped) while the hold was on.
        self.app.screen.refresh()
        batch.__exit__(None, None, None)
