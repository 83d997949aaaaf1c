"""Sentence, paragraph and word boundaries in article text.

Every function returns end-exclusive ``(start, end)`` character offsets into
the text it was given, trimmed of surrounding white space, in text order.
News text is full of full stops that do not end a sentence (``Mr.``,
``U.S.``, ``3.5``, ``p.m.``), and of sentences that end inside a closing
quote mark, so a plain split on ``". "`` will not do.
"""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence (lower case,
# without the final dot).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep
    pres sec dept inc ltd co corp bros vs etc approx est no nos vol fig jan feb
    mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun a.m p.m
    e.g i.e u.s u.k u.n e.u al cf ed eds rev hon
    """.split()
)

# A candidate sentence end: terminal punctuation, optional closing quotes or
# brackets, then white space.
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+(?:['’.\-]\w+)*", re.UNICODE)
_TOKEN = re.compile(r"\w+(?:['’.\-]\w+)*|[^\w\s]", re.UNICODE)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Paragraphs: the non-blank lines of the text.

    Extracted and scraped articles put one paragraph on a line (blank lines
    between them or not), so every line break ends a paragraph.
    """
    bounds: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        piece = _trimmed(text, *line.span())
        if piece:
            bounds.append(piece)
    return bounds


def _is_false_end(text: str, match: re.Match[str]) -> bool:
    """True where a full stop belongs to an abbreviation or an initial."""
    if text[match.start()] != ".":
        return False
    word_start = match.start()
    while word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start : match.start()].lower()
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():
        # An initial ("J. Smith") — unless the next word starts a new sentence
        # in lower case, which never happens after an initial anyway.
        return True
    # A following lower-case word or digit means the sentence goes on
    # ("approx. 40", "the U.S. navy").
    after = text[match.end() :].lstrip()
    return bool(after) and (after[0].islower() or after[0].isdigit())


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    piece_start = start
    segment = text[start:end]
    for match in _END.finditer(segment):
        if _is_false_end(segment, match):
            continue
        piece = _trimmed(text, piece_start, start + match.end())
        if piece:
            bounds.append(piece)
        piece_start = start + match.end()
    piece = _trimmed(text, piece_start, end)
    if piece:
        bounds.append(piece)
    return bounds


def _sentence_blocks(text: str) -> list[tuple[int, int]]:
    """Runs of lines that sentences may cross: a line and the lines wrapped from it.

    Plain text wrapped by hand breaks a sentence over lines, and the next
    line then goes on in lower case (``… was open\nto talks``); that line
    break is no end. Every other line break ends a sentence, so a bullet
    or headline without a full stop never runs into the line after it, and
    a blank line always ends one.
    """
    blocks: list[tuple[int, int]] = []
    for start, end in paragraph_bounds(text):
        if blocks and _continues(text, blocks[-1][1], start):
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
    return blocks


def _continues(text: str, previous_end: int, start: int) -> bool:
    """Whether the line at ``start`` is the wrapped rest of the line ending at ``previous_end``."""
    return (
        text[start].islower()
        and text.count("\n", previous_end, start) == 1  # no blank line between
        and text[previous_end - 1] not in ".!?…:;"
    )


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text``.

    A blank line, and a line break where the next line does not go on in
    lower case, end a sentence (see ``_sentence_blocks``).
    """
    bounds: list[tuple[int, int]] = []
    for b_start, b_end in _sentence_blocks(text):
        bounds.extend(_sentences_in(text, b_start, b_end))
    return bounds


def word_bounds(text: str) -> list[tuple[int, int]]:
    """Words: runs of letters and digits, keeping inner apostrophes, dots and hyphens
    (``don't``, ``U.S``, ``3.5``, ``well-known``)."""
    return [m.span() for m in _WORD.finditer(text)]


def token_bounds(text: str) -> list[tuple[int, int]]:
    """Tokens for export: words as in :func:`word_bounds` plus each punctuation mark."""
    return [m.span() for m in _TOKEN.finditer(text)]
