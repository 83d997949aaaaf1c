"""The screen as a terminal shows it: the app runs under Pilot with a driver
that keeps every byte Textual writes, and pyte (a terminal emulator) turns
those bytes back into cells.

A partial repaint that forgets a row leaves stale cells on a real terminal
while the app's own idea of the screen is right; only the bytes show it.
"""

from __future__ import annotations

import pyte
from textual.drivers.headless_driver import HeadlessDriver



class RecordingDriver(HeadlessDriver):
    """The headless driver, but the app draws as on a terminal and every
    byte it writes goes to ``terminal``."""

    terminal: Terminal

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        self.terminal.feed(data)


class Terminal:
    """A pyte screen fed with what the app writes."""

    def __init__(self, columns: int, rows: int) -> None:
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.written = 0

    def feed(self, data: str) -> None:
        self.written += len(data.encode())
        self.stream.feed(data)

    def cells(self) -> list[list[tuple]]:
        """Every cell as (character, foreground, background, attributes)."""
        screen = self.screen
        rows = []
        for y in range(screen.lines):
            line = screen.buffer[y]
            rows.append([
                (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse)
                for c in (line[x] for x in range(screen.columns))
            ])
        return rows

    def text(self) -> list[str]:
        return self.screen.display


def attach(app, columns: int, rows: int) -> Terminal:
    """Make ``app`` draw into a new :class:`Terminal` when run with
    ``app.run_test(headless=False, size=(columns, rows))``."""
    terminal = Terminal(columns, rows)
    app.driver_class = type("Recording", (RecordingDriver,), {"terminal": terminal})
    return terminal


def differences(before: list[list[tuple]], after: list[list[tuple]]) -> list[str]:
    """The cells that differ, as ``row,column: shown != repainted``."""
    found = []
    for y, (a, b) in enumerate(zip(before, after)):
        for x, (ca, cb) in enumerate(zip(a, b)):
            if ca != cb:
                found.append(f"{y},{x}: {ca} != {cb}")
    return found
