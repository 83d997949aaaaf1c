"""Untrusted text made safe to show: no markup, no control characters.

Article text, titles, outlet names and span text come from scraped pages
and from databases other tools may have written. Rich and Textual strip
only a handful of control characters, so an escape sequence in a title
would reach the terminal; and a string handed to a widget is parsed as
markup, so ``[@click=app.quit]`` in a title would become a live action.
Everything untrusted goes through :func:`plain` (a ``Text`` with markup off)
and :func:`visible` (control characters replaced, one for one).
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 (except newline), DEL, C1, and the bidirectional embedding, override and
# isolate characters, which reorder what the terminal shows.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def _replace(match: re.Match[str]) -> str:
    return " " if match.group() == "\t" else REPLACEMENT


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with each control character replaced by one visible character
    (a tab by a space), so offsets into it are offsets into ``text``."""
    if _CONTROL.search(text):
        text = _CONTROL.sub(_replace, text)
    if not keep_newlines and "\n" in text:
        text = text.replace("\n", " ")
    return text


def plain(text: str, style: str = "", *, one_line: bool = True) -> Text:
    """A ``Text`` that shows ``text`` literally: no markup, no control characters."""
    return Text(visible(text, keep_newlines=not one_line), style=style, no_wrap=one_line, end="")
