"""Untrusted strings made safe to print: control characters shown, not obeyed.

Rich, Textual and a plain terminal pass escape sequences straight through, and
a newline in a file name would start a forged ``file:line:`` line. Anything
that reaches a person's terminal from outside (file names, ids, labels,
messages quoting them) goes through :func:`escape_controls` first. The
escapes are the ones Python and JSON read back: ``\\n``, ``\\t``, ``\\r``,
``\\x1b`` for the other C0 controls, and ``\\u009b`` for DEL, the C1
controls, the bidirectional overrides and isolates, and lone surrogates (so
JSON written through it stays valid JSON). A backslash is left as it is, so
escaping twice changes nothing.
"""

from __future__ import annotations

import re

# C0 and DEL, C1, bidi embedding/override/isolate marks, lone surrogates.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character written as its escape.

    ``keep_newlines`` leaves ``\\n`` alone: for whole messages of several
    lines, whose untrusted parts were escaped already.
    """
    pattern = _CONTROL_BUT_NEWLINE if keep_newlines else _CONTROL
    if pattern.search(text) is None:
        return text
    return pattern.sub(_shown, text)


def has_controls(text: str) -> bool:
    """True when :func:`escape_controls` would change ``text``."""
    return _CONTROL.search(text) is not None
