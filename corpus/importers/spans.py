"""Placing an imported annotation on the stored text, shared by the importers.

Offsets are code points of the raw text (as Python, doccano, brat and spaCy
count them); Label Studio's browser counts UTF-16 units, so when a region
says which text it covers and the code-point reading does not match, the
UTF-16 reading is tried too. The span then moves onto the normalised text
(:func:`corpus.normalise.map_span`), or the record is rejected.
"""

from __future__ import annotations

import re
from typing import Any

from corpus.normalise import map_span, normalise_text
from corpus.records import ImportedSpan

_NOT_NAME = re.compile(r"[^a-z0-9_-]+")


def label_name(raw: str) -> str:
    """A label as claimdesk names them: lower case, letters, digits, ``-`` and
    ``_``, starting with a letter, up to 32 characters (``PER`` → ``per``,
    ``Named Entity`` → ``named_entity``)."""
    name = _NOT_NAME.sub("_", raw.strip().lower()).strip("_")
    if not name or not name[0].isalpha():
        name = f"l_{name}"
    return name[:32]


def utf16_to_points(text: str, offset: int) -> int | None:
    """The code-point offset of a UTF-16 offset into ``text`` (None if it splits a character)."""
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            return None
    return len(text) if units == offset else None


def place(
    raw: str, text: str, start: Any, end: Any, label: Any, *, claimed: Any = None, annotator: str | None = None,
    attrs: dict[str, Any] | None = None, utf16: bool = False,
) -> ImportedSpan | str:
    """The span on the stored text, or why it cannot be placed."""
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        return f"start and end must be whole numbers, not {start!r} and {end!r}"
    if not isinstance(label, str) or not label.strip():
        return f"[{start}, {end}) has no label"
    if isinstance(claimed, str) and raw[start:end] != claimed and utf16:
        s, e = utf16_to_points(raw, start), utf16_to_points(raw, end)
        if s is not None and e is not None and raw[s:e] == claimed:
            start, end = s, e
    if not 0 <= start < end <= len(raw):
        return f"[{start}, {end}) does not fit a text of {len(raw)} characters"
    if isinstance(claimed, str) and normalise_text(claimed) != normalise_text(raw[start:end]):
        return f"[{start}, {end}) says it covers {claimed[:40]!r} but the text there is {raw[start:end][:40]!r}"
    mapped = map_span(raw, text, start, end)
    if mapped is None:
        return f"[{start}, {end}) cannot be mapped onto the normalised text"
    return ImportedSpan(start=mapped[0], end=mapped[1], label=label_name(label), annotator=annotator,
                        attrs={k: v for k, v in (attrs or {}).items() if v is not None})
