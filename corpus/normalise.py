"""Make untrusted article text safe and canonical before it is stored.

The stored text is the source of truth for every character offset, so this
runs exactly once, at ingest:

* CRLF, CR and the Unicode line separators (U+2028, U+2029, U+0085) become LF;
* ANSI/VT escape sequences (CSI ``ESC [ ... m``, OSC ``ESC ] ... BEL``, and
  the other two-character escapes) are removed whole, so no ``[31m`` residue
  is left behind;
* every other control character (C0 but newline and tab, DEL, C1) and the
  bidirectional override and isolate characters are removed (Rich and Textual
  pass them straight to the terminal), and so are lone surrogates (SQLite
  cannot store them as UTF-8);
* the result is normalised to NFC.

Imported annotations carry offsets into the raw text; :func:`map_span` moves
them onto the stored text, or says they cannot be moved.
"""

from __future__ import annotations

import re
import unicodedata

# Sequences removed whole. OSC and the string commands (DCS, SOS, PM, APC)
# run to BEL or ST (ESC \\); CSI runs to its final byte; the rest are ESC
# plus one character. The 8-bit C1 forms (U+009B CSI, U+009D OSC) too.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\]|\x9d|\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[ -/]*[0-~]?"
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def normalise_text(raw: str) -> str:
    """The text as it will be stored (see the module docstring for the rules)."""
    # Fast path: printable lines hold nothing to remove (isprintable is False
    # for every control, separator and format character, and more; the regular
    # expressions below decide for those).
    clean = all(line.isprintable() for line in raw.split("\n"))
    if not clean and (_UNSAFE.search(raw) or "\u2028" in raw or "\u2029" in raw):
        raw = _ESCAPE_SEQUENCE.sub("", raw)
        raw = _NEWLINES.sub("\n", raw)
        raw = _UNSAFE.sub("", raw)
    if not unicodedata.is_normalized("NFC", raw):
        raw = unicodedata.normalize("NFC", raw)
    return raw


def map_span(raw: str, stored: str, start: int, end: int) -> tuple[int, int] | None:
    """Move the raw-text span ``[start, end)`` onto the stored text.

    Returns the stored offsets, or None when the span cannot be moved
    faithfully: out of range, or cut through something the normalisation
    rewrote so that the stored characters differ from the raw ones.
    """
    if not 0 <= start < end <= len(raw):
        return None
    if raw is stored or raw == stored:
        return start, end
    prefix = normalise_text(raw[:start])
    covered = normalise_text(raw[start:end])
    new_start, new_end = len(prefix), len(prefix) + len(covered)
    if not covered or not stored.startswith(prefix) or stored[new_start:new_end] != covered:
        return None
    return new_start, new_end
