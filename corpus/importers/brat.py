"""brat standoff: ``NAME.txt`` (the text) with ``NAME.ann`` beside it.

Read from the ``.ann``: ``T`` lines (``T1<TAB>LABEL START END<TAB>text``)
are spans; ``A``/``M`` lines (``A1<TAB>Name T1 [value]``) are attributes of
their span (``True`` when they have no value); ``#`` lines
(``#1<TAB>AnnotatorNotes T1<TAB>...``) are its notes: ``key=value; ...`` as
our export writes them (``annotator=ana``) become the annotator and
attributes, any other note is kept as ``note``. A discontinuous span
(``0 5;9 14``) is refused with its line, except when its pieces are only
split by line breaks (our export writes a span across a line break so):
then it is one span again. Relations, events and normalisations are refused
with their line too: the article is not imported without them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from corpus.importers.spans import place
from corpus.normalise import normalise_text
from corpus.readers.decode import DecodeError, decode_bytes
from corpus.readers.fields import first_line
from corpus.records import ArticleRecord, ImportedSpan, Rejection, source_name

_PIECE = re.compile(r"^(\d+) (\d+)$")


def _value(text: str) -> Any:
    """A note's value: a number when it reads as one (our export writes 12.5), else the text."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else text


def _pieces(where: str, raw: str) -> tuple[int, int] | str:
    pieces = []
    for piece in where.split(";"):
        match = _PIECE.match(piece.strip())
        if not match:
            return f"offsets {where!r} are not START END"
        pieces.append((int(match[1]), int(match[2])))
    for (_, end), (start, _) in zip(pieces, pieces[1:]):
        if start < end or raw[end:start].strip("\n") != "":
            return (f"a discontinuous span ({where}): claimdesk spans are one piece of text; "
                    "split it into separate T lines")
    return pieces[0][0], pieces[-1][1]


def read_brat(txt: Path, ann: Path, default_outlet: str, max_bytes: int) -> ArticleRecord | Rejection:
    """One brat document as an article with its spans."""
    if txt.stat().st_size > max_bytes:
        return Rejection(source=source_name(txt), message=f"file is over the size limit of {max_bytes:,} bytes (--max-size)")
    try:
        raw = decode_bytes(txt.read_bytes())
        lines = decode_bytes(ann.read_bytes()).splitlines()
    except DecodeError as err:
        return Rejection(source=source_name(txt), message=str(err))
    text = normalise_text(raw)
    if not text.strip():
        return Rejection(source=source_name(txt), message="no article text in the file")
    found: dict[str, tuple[int, str, tuple[int, int], str]] = {}
    attrs: dict[str, dict[str, Any]] = {}
    annotators: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        source = source_name(ann, number)
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        kind = ident[:1]
        if kind == "T":
            head, _, covered = rest.partition("\t")
            label, _, where = head.partition(" ")
            pieces = _pieces(where, raw)
            if isinstance(pieces, str):
                return Rejection(source=source, message=f"{ident}: {pieces}")
            found[ident] = (number, label, pieces, covered)
        elif kind in "AM":
            parts = rest.split()
            if len(parts) < 2 or parts[1] not in found:
                return Rejection(source=source, message=f"{ident}: an attribute of an unknown span ({rest[:40]!r})")
            attrs.setdefault(parts[1], {})[parts[0]] = " ".join(parts[2:]) if len(parts) > 2 else True
        elif kind == "#":
            head, _, note = rest.partition("\t")
            parts = head.split()
            if len(parts) < 2 or parts[1] not in found:
                continue  # a note on the document or on something we do not read: nothing to keep
            target = attrs.setdefault(parts[1], {})
            pairs = [piece.partition("=") for piece in note.split("; ")] if "=" in note else []
            if pairs and all(sep and key.strip() and " " not in key.strip() for key, sep, _ in pairs):
                for key, _, value in pairs:
                    if key.strip() == "annotator":
                        annotators[parts[1]] = value.strip()
                    else:
                        target[key.strip()] = _value(value.strip())
            else:
                target["note"] = note
        elif kind in "REN*":
            what = {"R": "a relation", "E": "an event", "N": "a normalisation", "*": "an equivalence"}[kind]
            return Rejection(source=source, message=(
                f"{ident} is {what}; claimdesk reads spans (T), attributes (A) and notes (#) only, "
                "so the document is not imported without it"))
        else:
            return Rejection(source=source, message=f"not a brat annotation line ({line[:40]!r})")
    spans: list[ImportedSpan] = []
    for ident, (number, label, (start, end), covered) in found.items():
        claimed = covered if "\n" not in raw[start:end] else None  # our export joins line pieces with a space
        span = place(raw, text, start, end, label, claimed=claimed, annotator=annotators.get(ident),
                     attrs=attrs.get(ident))
        if isinstance(span, str):
            return Rejection(source=source_name(ann, number), message=f"{ident}: {span}")
        spans.append(span)
    stem = txt.stem
    from corpus.readers import slug  # the same ids as plain text files

    outlet = default_outlet
    return ArticleRecord(source=source_name(txt), id=f"{slug(outlet)}/{slug(stem)}", title=first_line(text),
                         outlet=outlet, text=text, spans=spans)
