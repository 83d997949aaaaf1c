"""CoNLL: one token a line, its tag last, sentences split by blank lines,
documents by ``-DOCSTART-`` lines.

The article text is rebuilt from the tokens: a space between the tokens of
a sentence, a line break between sentences (the original spacing is not in
the file). Tags may be IOB2 (``B-X``, ``I-X``), IOB1 (``I-X`` starting a
span unless it follows the same label) or BIOES/BILOU (``S-``/``U-`` a
one-token span, ``E-``/``L-`` its last token). When every column after the
token is a tag column (as ``claimdesk export --layers`` writes one per
label) each column gives its own spans, so spans may overlap; otherwise only
the last column is read (CoNLL-2003's POS and chunk columns are not spans).
A tag that is none of these is rejected with its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from corpus.importers.spans import label_name
from corpus.readers.decode import DecodeError, decode_bytes
from corpus.readers.fields import first_line
from corpus.records import ArticleRecord, ImportedSpan, Rejection, source_name

_TAG = re.compile(r"^(O|[BIESLU][-_].+)$")


def looks_like_conll(head: str) -> bool:
    """True when a text file is token-per-line CoNLL (so not read as an article)."""
    lines = [line for line in head.splitlines()[:200] if line.strip()]
    if not lines:
        return False
    if lines[0].startswith("-DOCSTART-"):
        return True
    tagged = sum(1 for line in lines if len(line.split()) >= 2 and _TAG.match(line.split()[-1]))
    return len(lines) >= 3 and tagged / len(lines) > 0.9


def _spans(tags: list[str], bounds: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    open_label, open_start, last = None, 0, 0
    for i, tag in enumerate(tags + ["O"]):
        kind, label = (tag[0], tag[2:]) if tag != "O" else ("O", None)
        if open_label is not None and (kind in "OBSU" or label != open_label):
            spans.append((bounds[open_start][0], bounds[last][1], open_label))
            open_label = None
        if kind in "BSU" or (kind in "IEL" and open_label is None):
            open_label, open_start = label, i
        last = i
        if kind in "ESLU" and open_label is not None:
            spans.append((bounds[open_start][0], bounds[i][1], open_label))
            open_label = None
    return spans


def _document(rows: list[tuple[int, list[str]] | None], source: str, outlet: str) -> ArticleRecord | Rejection | None:
    while rows and rows[-1] is None:
        rows.pop()
    while rows and rows[0] is None:
        rows.pop(0)
    if not rows:
        return None
    width = {len(row[1]) for row in rows if row is not None}
    if len(width) != 1:
        number = next(row[0] for row in rows if row is not None and len(row[1]) != len(rows[0][1]))
        return Rejection(source=f"{source}:{number}", message="the lines of a document have different numbers of columns")
    columns = width.pop() - 1
    if columns < 1:
        return Rejection(source=f"{source}:{rows[0][0]}", message="a token with no tag column")
    tag_columns = [c for c in range(1, columns + 1)
                   if all(_TAG.match(row[1][c]) for row in rows if row is not None)]
    if columns not in tag_columns:
        bad = next(row for row in rows if row is not None and not _TAG.match(row[1][-1]))
        return Rejection(source=f"{source}:{bad[0]}", message=f"{bad[1][-1][:30]!r} is not an IOB tag (O, B-X, I-X, E-X, S-X)")
    if tag_columns != list(range(1, columns + 1)):
        tag_columns = [columns]
    pieces, bounds, tags = [], [], [[] for _ in tag_columns]
    at, fresh = 0, True
    for row in rows:
        if row is None:
            if not fresh:
                pieces.append("\n")
                at += 1
                fresh = True
            continue
        if not fresh:
            pieces.append(" ")
            at += 1
        token = row[1][0]
        pieces.append(token)
        bounds.append((at, at + len(token)))
        at += len(token)
        fresh = False
        for column, found in zip(tag_columns, tags):
            found.append(row[1][column])
    text = "".join(pieces).rstrip("\n")
    spans = [ImportedSpan(start=s, end=e, label=label_name(label)) for found in tags for s, e, label in _spans(found, bounds)]
    first = rows[0][0]
    return ArticleRecord(source=f"{source}:{first}", title=first_line(text), outlet=outlet, text=text,
                         spans=sorted(spans, key=lambda s: (s.start, -s.end)))


def read_conll(path: Path, default_outlet: str, max_bytes: int) -> Iterator[ArticleRecord | Rejection]:
    """Every document of a CoNLL file (the whole file is one when it has no ``-DOCSTART-``)."""
    try:
        text = decode_bytes(path.read_bytes())
    except DecodeError as err:
        yield Rejection(source=source_name(path), message=str(err))
        return
    source = source_name(path)
    rows: list[tuple[int, list[str]] | None] = []
    count = 0
    for number, line in enumerate(text.splitlines(), 1):
        cells = line.split()
        if cells and cells[0] == "-DOCSTART-":
            if (found := _document(rows, source, default_outlet)) is not None:
                count += 1
                yield found
            rows = []
        elif not cells:
            rows.append(None)
        else:
            rows.append((number, cells))
    if (found := _document(rows, source, default_outlet)) is not None:
        count += 1
        yield found
    if not count:
        yield Rejection(source=source, message="no tokens in the file")
