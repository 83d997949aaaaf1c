"""The one place every message of the command line goes through.

:func:`escaped_output` puts :class:`EscapingStream` in front of standard
output and standard error for the whole run of a command, so whatever a
command prints (its own lines, rejections quoting file names, JSON, errors)
reaches the terminal with control characters written as escapes
(:func:`corpus.escape.escape_controls`): an escape sequence in a file name
or a label is shown, never obeyed. Newlines pass, so every untrusted string
that could hold one (file names, ids) is escaped where it enters, with its
newlines; the progress line writes its ``\\r`` through :func:`terminal`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from corpus.escape import escape_controls


class EscapingStream:
    """A text stream that escapes control characters (but newlines) on the way out."""

    def __init__(self, stream: TextIO) -> None:
        self.unescaped = stream

    def write(self, text: str) -> int:
        self.unescaped.write(escape_controls(text, keep_newlines=True))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, buffer, encoding...
        return getattr(self.unescaped, name)


def terminal(stream: TextIO) -> TextIO:
    """The stream under an :class:`EscapingStream`, for the program's own control characters."""
    return getattr(stream, "unescaped", stream)


@contextmanager
def escaped_output() -> Iterator[None]:
    """Escape everything written to ``sys.stdout`` and ``sys.stderr`` inside the block."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(sys.stdout), EscapingStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
